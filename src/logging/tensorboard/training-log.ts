import type * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { TopLevelSpec } from 'vega-lite';
import { activationCurve, activationParameters, adaptiveLayers } from '../../builders/activations/inspect';
import { renderSvg, svgToPng } from '../../report/render';
import { EventFileWriter, histogramOf } from './event-file';

/**
 * What `logging.tensorboard` writes (TensorBoard groups tags by their first path part):
 * - `batch/<column>`, `batch/lr`: each training step's own values, at the global step;
 * - `epoch/<column>`: every metrics.csv column of each epoch (train, test, lr, seconds), at the epoch;
 * - `activations/<site>/<parameter>`: each adaptive activation's parameter (its mean over channels), at the epoch;
 * - `parameters/<weight>`: a histogram of every trainable weight, at the epoch;
 * - `activation_curves`: an image of f(z) of every adaptive site with its learned parameters, at the epoch.
 * Epoch 0 holds the initial activations and weights.
 */
export class TensorboardLog {
  private readonly writer: EventFileWriter;
  /** Curve images render asynchronously; close() waits for the last. */
  private pending: Promise<void> = Promise.resolve();

  constructor(
    dir: string,
    private readonly model: tf.LayersModel,
    private readonly warn: (line: string) => void,
  ) {
    this.writer = new EventFileWriter(dir);
  }

  /** The current activations and weights, logged at `epoch` (0 before training). */
  parameters(epoch: number): void {
    const scalars: Record<string, number> = {};
    for (const row of activationParameters(this.model))
      for (const [name, summary] of Object.entries(row.parameters)) scalars[`activations/${row.site}/${name}`] = summary.mean;
    this.writer.scalars(epoch, scalars);
    const histograms = Object.fromEntries(
      // originalName: tfjs suffixes `name` (`kernel_1`) for a model built after another in the same process (a matrix).
      this.model.trainableWeights.map((weight) => [`parameters/${weight.originalName}`, histogramOf(weight.read().dataSync())]),
    );
    this.writer.histograms(epoch, histograms);
    const curves = this.curvesSpec();
    if (curves) this.pending = this.pending.then(() => this.writeCurves(epoch, curves));
  }

  batch(globalStep: number, lr: number, values: Record<string, number>): void {
    this.writer.scalars(globalStep, { ...prefixed('batch', values), 'batch/lr': lr });
  }

  epoch(epoch: number, record: Record<string, number | null>): void {
    const values = Object.entries(record).filter((entry): entry is [string, number] => entry[0] !== 'epoch' && entry[1] !== null);
    this.writer.scalars(epoch, prefixed('epoch', Object.fromEntries(values)));
    this.parameters(epoch);
  }

  async close(): Promise<void> {
    await this.pending;
    this.writer.close();
  }

  /** f(z) of every adaptive site, one coloured line each; undefined for a network without adaptive activations. */
  private curvesSpec(): TopLevelSpec | undefined {
    const layers = adaptiveLayers(this.model);
    if (!layers.length) return undefined;
    const values = layers.flatMap((layer) => activationCurve(layer).map(({ z, f }) => ({ site: layer.name, z, f })));
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      data: { values },
      width: 360,
      height: 240,
      mark: 'line',
      encoding: {
        x: { field: 'z', type: 'quantitative', title: 'z' },
        y: { field: 'f', type: 'quantitative', title: 'f(z)' },
        color: { field: 'site', type: 'nominal', title: 'call site', sort: layers.map((layer) => layer.name) },
      },
    };
  }

  private async writeCurves(epoch: number, spec: TopLevelSpec): Promise<void> {
    try {
      const data = await svgToPng(await renderSvg(spec), 1);
      const { width = 0, height = 0 } = await sharp(data).metadata();
      this.writer.image(epoch, 'activation_curves', { data, width, height });
    } catch (error) {
      this.warn(`logging.tensorboard: could not draw the activation curves of epoch ${epoch}: ${(error as Error).message}`);
    }
  }
}

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [`${prefix}/${name}`, value]));
}
