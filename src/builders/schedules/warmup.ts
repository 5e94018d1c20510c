import { schedules } from '../../registry';
import type { LearningRateSchedule, ScheduleBuildContext, ScheduleOptions } from './types';

export interface WarmupOptions {
  epochs: number;
}

/**
 * The configured schedule with its optional linear warm-up: during the first `warmup.epochs` epochs the
 * rate rises linearly, step by step, from base/steps to the schedule's own value (which it then follows).
 */
export function buildSchedule(options: ScheduleOptions, context: ScheduleBuildContext): LearningRateSchedule {
  const schedule = schedules.build(options.type, options, context);
  const warmup = options.warmup as WarmupOptions | undefined;
  const warmupSteps = (warmup?.epochs ?? 0) * context.stepsPerEpoch;
  if (warmupSteps <= 0) return schedule;
  return (epoch) => {
    const step = epoch * context.stepsPerEpoch;
    return schedule(epoch) * Math.min(1, (step + 1) / warmupSteps);
  };
}
