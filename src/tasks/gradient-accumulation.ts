import * as tf from '@tensorflow/tfjs';

/** Images [start, end) of one micro-batch within its batch. */
export interface MicroBatch {
  start: number;
  end: number;
}

/**
 * A batch of `size` images cut into `parts` micro-batches of equal size (`train.accumulate` divides `train.batchSize`);
 * an epoch's last, short batch (`train.dropLastBatch: false`) into at most `parts` of near-equal size.
 *
 *   microBatches(8, 4) -> [0,2) [2,4) [4,6) [6,8);  microBatches(5, 4) -> [0,2) [2,3) [3,4) [4,5)
 */
export function microBatches(size: number, parts: number): MicroBatch[] {
  const count = Math.max(1, Math.min(parts, size));
  const base = Math.floor(size / count);
  const larger = size % count;
  const result: MicroBatch[] = [];
  let start = 0;
  for (let index = 0; index < count; index++) {
    const end = start + base + (index < larger ? 1 : 0);
    result.push({ start, end });
    start = end;
  }
  return result;
}

/** What one micro-batch contributes: its mean loss over its images, and scalars to sum over the batch (correct predictions). */
export interface MicroBatchTerms {
  loss: tf.Scalar;
  tallies: tf.Tensor[];
}

/** The batch's outcome: the data loss (mean over the batch), the minimised objective, and each tally summed over micro-batches. */
export interface AccumulatedStep {
  loss: number;
  objective: number;
  tallies: number[];
}

/**
 * One optimizer step on a batch of `size` images, computed over `accumulate` micro-batches (gradient accumulation):
 * each micro-batch's mean loss is weighted by its share of the batch (1/accumulate), so the summed gradients are
 * those of the batch's mean loss. Only one micro-batch's activations are alive at a time: each one's forward and
 * backward pass run in a tidy scope that leaves only the running sum of the gradients. `penalty` (weight decay) is
 * added once per step, as is the optimizer update. `terms(microBatch)` runs the micro-batch's forward pass in
 * training mode.
 */
export function accumulatedStep(
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  size: number,
  accumulate: number,
  terms: (microBatch: MicroBatch) => MicroBatchTerms,
  penalty: () => tf.Scalar,
): AccumulatedStep {
  let gradientSum: tf.NamedTensorMap = {};
  const step: AccumulatedStep = { loss: 0, objective: 0, tallies: [] };
  for (const [index, microBatch] of microBatches(size, accumulate).entries()) {
    const previous = gradientSum;
    gradientSum = tf.tidy(() => {
      let kept: tf.Tensor[] = [];
      const { value, grads } = tf.variableGrads(() => {
        const micro = terms(microBatch);
        const share = (microBatch.end - microBatch.start) / size;
        // A batch in one piece has weight 1: left out, so the step is the plain one, bit for bit.
        const loss = share === 1 ? micro.loss : (tf.mul(micro.loss, share) as tf.Scalar);
        kept = [loss, ...micro.tallies].map((term) => tf.keep(term));
        return index === 0 ? (tf.add(loss, penalty()) as tf.Scalar) : loss;
      }, variables);
      const [objective, loss, ...tallies] = [value, ...kept].map((term) => term.dataSync()[0]);
      tf.dispose(kept);
      step.objective += objective;
      step.loss += loss;
      step.tallies = tallies.map((tally, i) => tally + (step.tallies[i] ?? 0));
      const sum: tf.NamedTensorMap = { ...previous };
      for (const [name, gradient] of Object.entries(grads)) sum[name] = previous[name] ? tf.add(previous[name], gradient) : gradient;
      return sum;
    });
    // The sums just replaced; those carried over unchanged (a variable without a gradient this time) stay.
    tf.dispose(
      Object.entries(previous)
        .filter(([name]) => gradientSum[name] !== previous[name])
        .map(([, tensor]) => tensor),
    );
  }
  optimizer.applyGradients(gradientSum);
  tf.dispose(gradientSum);
  return step;
}
