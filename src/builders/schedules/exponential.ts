import { schedules } from '../../registry';
import type { ScheduleOptions } from './types';

interface ExponentialOptions extends ScheduleOptions {
  gamma: number;
  staircase: boolean;
}

schedules.register<ExponentialOptions>({
  name: 'exponential',
  description: 'multiply the rate by gamma every epoch, smoothly per step or once per epoch',
  options: {
    gamma: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.95, description: 'factor per epoch' },
    staircase: { type: 'boolean', default: false, description: 'decay at epoch boundaries only, instead of every step' },
  },
  build:
    ({ gamma, staircase }, { baseLr }) =>
    (epoch) =>
      baseLr * gamma ** (staircase ? Math.floor(epoch) : epoch),
});
