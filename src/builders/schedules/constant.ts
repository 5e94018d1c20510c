import { schedules } from '../../registry';
import type { ScheduleOptions } from './types';

schedules.register<ScheduleOptions>({
  name: 'constant',
  description: 'the base learning rate throughout',
  options: {},
  build:
    (_options, { baseLr }) =>
    () =>
      baseLr,
});
