export interface ScheduleOptions {
  type: string;
  [option: string]: unknown;
}

export interface ScheduleBuildContext {
  baseLr: number;
  epochs: number;
  stepsPerEpoch: number;
}

/** Learning rate for a step; `epoch` counts from 0 and may be fractional (epoch + step / stepsPerEpoch). */
export type LearningRateSchedule = (epoch: number) => number;
