import { schedules } from '../../registry';
import type { ScheduleOptions } from './types';

interface CosineOptions extends ScheduleOptions {
  minLr: number;
}

schedules.register<CosineOptions>({
  name: 'cosine',
  description: 'half a cosine from the base rate down to minLr over all epochs (per step)',
  options: { minLr: { type: 'number', minimum: 0, default: 0, description: 'rate reached at the end of training' } },
  build:
    ({ minLr }, { baseLr, epochs }) =>
    (epoch) =>
      minLr + (baseLr - minLr) * 0.5 * (1 + Math.cos((Math.PI * epoch) / epochs)),
});
