import { schedules } from '../../registry';
import type { ScheduleOptions } from './types';

interface StepOptions extends ScheduleOptions {
  milestones: number[];
  gamma: number;
}

schedules.register<StepOptions>({
  name: 'step',
  description: 'multiply the rate by gamma at each milestone epoch (the paper: /10 at epochs 70 and 100)',
  options: {
    milestones: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      uniqueItems: true,
      default: [70, 100],
      description: 'epochs (counted from 0) from which the next factor applies',
    },
    gamma: { type: 'number', exclusiveMinimum: 0, default: 0.1, description: 'factor applied at each milestone' },
  },
  build:
    ({ milestones, gamma }, { baseLr }) =>
    (epoch) => {
      const passed = milestones.filter((milestone) => Math.floor(epoch) >= milestone).length;
      return baseLr * gamma ** passed;
    },
});
