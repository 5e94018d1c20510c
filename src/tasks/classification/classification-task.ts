import { stringify } from 'csv-stringify/sync';
import { buildModel } from '../../builders/model';
import { withTestStatistics } from '../../builders/networks/layers/batch-norm';
import type { ClassificationExperimentConfig } from '../../config/types';
import type { ImageBatch } from '../../data/pipeline';
import { loadDataset } from '../../data/load';
import { metrics as metricPlugins } from '../../registry';
import { dataSource } from './data-source';
import { computeMetrics, evaluate } from './evaluate';
import { checkTrainingSplit, countingBatches, type Task } from '../task';
import { trainStep } from './train-step';

/** The prefix of the columns that measure a paper-faithful run the corrected way (full_test_accuracy...). */
export const FULL_TEST_PREFIX = 'full_';

/**
 * Image classification: the dataset is loaded now; the returned builder makes the network (drawing its initial
 * weights from the seeded Math.random), the batch pipeline and the `eval.metrics`.
 */
export async function loadClassificationTask(
  config: ClassificationExperimentConfig,
  context: { cwd: string; seed: number },
): Promise<() => Task<ImageBatch>> {
  const dataset = await loadDataset(config.data, context);
  checkTrainingSplit(dataset.train.count, config.data);
  return () => {
    const { model } = buildModel(config.model, { inputShape: dataset.shape, numClasses: dataset.classes.length });
    const data = dataSource(dataset, config);
    const metrics = config.eval.metrics.map((options) => metricPlugins.get(options.type, 'eval.metrics.type').build(options, undefined));
    const settings = {
      numClasses: data.classes.length,
      labelSmoothing: config.train.labelSmoothing,
      weightDecay: config.train.weightDecay,
      outputSoftmax: config.model.outputSoftmax,
      accumulate: config.train.accumulate,
    };
    const testColumns = ['test_loss', ...metrics.flatMap((metric) => metric.columns)];
    // A paper-faithful run also measures itself the corrected way: the whole test split, moving batch-norm
    // statistics, the loss of the logits; so one run gives the paper's number and a trustworthy one.
    const fullTest = config.protocol === 'paper-faithful';
    const measure = (batches: Iterable<ImageBatch>, outputSoftmax: boolean) => {
      const { loss, batch } = evaluate(model, batches, data.classes, outputSoftmax);
      const row: Record<string, number | null> = { test_loss: loss, ...computeMetrics(metrics, batch) };
      return { row, batch };
    };
    return {
      model,
      trainImages: dataset.train.count,
      stepsPerEpoch: data.stepsPerEpoch,
      // train_loss_last: the epoch's last batch's loss, what the authors' code logged.
      trainColumns: ['train_loss', 'train_accuracy', 'train_loss_last'],
      testColumns: [...testColumns, ...(fullTest ? testColumns.map((column) => FULL_TEST_PREFIX + column) : [])],
      progressColumns: {
        train: [
          { column: 'train_loss', label: 'loss' },
          { column: 'train_accuracy', label: 'acc' },
        ],
        test: [
          { column: 'test_loss', label: 'test loss' },
          { column: 'test_accuracy', label: 'test acc' },
        ],
      },
      // A paper-faithful evaluation also goes over the whole test split.
      evaluationImages: (config.eval.window ?? dataset.test.count) + (fullTest ? dataset.test.count : 0),
      bestMetric: { column: 'test_accuracy', label: 'test accuracy' },
      logs: [],
      trainBatches: (epoch) => data.trainBatches(epoch),
      trainStep(batch, optimizer) {
        const result = trainStep(model, optimizer, batch, settings);
        return {
          objective: result.objective,
          sums: { train_loss: result.loss * batch.size, train_accuracy: result.correct },
          last: { train_loss_last: result.loss },
        };
      },
      evaluate(index, onBatch) {
        const { row, batch } = measure(countingBatches(data.testBatches(index), onBatch), config.model.outputSoftmax);
        if (fullTest) {
          const full = withTestStatistics(model, 'moving', () => measure(countingBatches(data.fullTestBatches(), onBatch), false));
          for (const [column, value] of Object.entries(full.row)) row[FULL_TEST_PREFIX + column] = value;
        }
        const tables = metrics.flatMap((metric) => metric.table?.(batch) ?? []);
        return {
          row,
          logRows: {},
          files: Object.fromEntries(tables.map((table) => [table.file, stringify(table.rows)])),
        };
      },
    };
  };
}
