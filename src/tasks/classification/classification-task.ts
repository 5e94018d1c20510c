import { stringify } from 'csv-stringify/sync';
import { buildModel } from '../../builders/model';
import type { ClassificationExperimentConfig } from '../../config/types';
import type { ImageBatch } from '../../data/pipeline';
import { loadDataset } from '../../data/load';
import { metrics as metricPlugins } from '../../registry';
import { dataSource } from './data-source';
import { computeMetrics, evaluate } from './evaluate';
import type { Task } from '../task';
import { trainStep } from './train-step';

/**
 * Image classification: the dataset is loaded now; the returned builder makes the network (drawing its initial
 * weights from the seeded Math.random), the batch pipeline and the `eval.metrics`.
 */
export async function loadClassificationTask(
  config: ClassificationExperimentConfig,
  context: { cwd: string; seed: number },
): Promise<() => Task<ImageBatch>> {
  const dataset = await loadDataset(config.data, context);
  return () => {
    const { model } = buildModel(config.model, { inputShape: dataset.shape, numClasses: dataset.classes.length });
    const data = dataSource(dataset, config);
    const metrics = config.eval.metrics.map((options) => metricPlugins.get(options.type, 'eval.metrics.type').build(options, undefined));
    const settings = {
      numClasses: data.classes.length,
      labelSmoothing: config.train.labelSmoothing,
      weightDecay: config.train.weightDecay,
      outputSoftmax: config.model.outputSoftmax,
    };
    return {
      model,
      stepsPerEpoch: data.stepsPerEpoch,
      trainColumns: ['train_loss', 'train_accuracy'],
      testColumns: ['test_loss', ...metrics.flatMap((metric) => metric.columns)],
      bestMetric: { column: 'test_accuracy', label: 'test accuracy' },
      logs: [],
      trainBatches: (epoch) => data.trainBatches(epoch),
      trainStep(batch, optimizer) {
        const result = trainStep(model, optimizer, batch, settings);
        return { objective: result.objective, sums: { train_loss: result.loss * batch.size, train_accuracy: result.correct } };
      },
      evaluate(index) {
        const { loss, batch } = evaluate(model, data.testBatches(index), data.classes, config.model.outputSoftmax);
        const tables = metrics.flatMap((metric) => metric.table?.(batch) ?? []);
        return {
          row: { test_loss: loss, ...computeMetrics(metrics, batch) },
          logRows: {},
          files: Object.fromEntries(tables.map((table) => [table.file, stringify(table.rows)])),
        };
      },
    };
  };
}
