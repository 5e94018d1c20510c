import type * as tf from '@tensorflow/tfjs';

export interface OptimizerOptions {
  type: string;
  lr: number;
  [option: string]: unknown;
}

/** A tfjs optimizer whose learning rate the trainer can change between steps (schedules). */
export interface ScheduledOptimizer {
  optimizer: tf.Optimizer;
  setLearningRate(lr: number): void;
}
