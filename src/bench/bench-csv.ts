/**
 * `acaf bench --csv`: one row per measurement (`kind` measurement) and one per network and backend over every
 * round (`kind` median, with the range), each row carrying the invocation's context (load, vector width, Node), so
 * that rows from several invocations can be pooled and still be told apart.
 */
import { stringify } from 'csv-stringify/sync';
import type { MachineContext } from './machine-context';
import { evalPerTrain, ratioToPeer, type BenchSummary, type Measurement } from './repeat-summary';

/** What holds for every row of one invocation. */
export interface InvocationContext extends MachineContext {
  /** 1-minute load averages when the invocation started and ended. */
  loadBefore: number;
  loadAfter: number;
  /** The input pipeline's images/s with augmentation on (measured once per invocation). */
  pipelineImagesPerSecond: number;
}

export const CSV_COLUMNS = [
  'kind',
  'round',
  'network',
  'backend',
  'batch',
  'imagesPerSecond',
  'imagesPerSecondMin',
  'imagesPerSecondMax',
  'msPerStep',
  'ratioToPyTorch',
  'ratioToPyTorchMin',
  'ratioToPyTorchMax',
  'evalBatch',
  'evalImagesPerSecond',
  'evalPerTrain',
  'peakMemoryMB',
  'pipelineImagesPerSecond',
  'threads',
  'kernelSources',
  'nativeKernels',
  'vectorWidthBits',
  'relaxedSimd',
  'node',
  'cpu',
  'loadBefore',
  'loadAfter',
  'note',
] as const;

type CsvRecord = Record<(typeof CSV_COLUMNS)[number], string>;

/** A number with `digits` decimals, or an empty cell. */
function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '' : value.toFixed(digits);
}

function contextCells(context: InvocationContext) {
  return {
    pipelineImagesPerSecond: fixed(context.pipelineImagesPerSecond, 0),
    vectorWidthBits: String(context.vectorWidthBits),
    relaxedSimd: String(context.relaxedSimd),
    node: context.node,
    cpu: context.cpu,
    loadBefore: fixed(context.loadBefore, 2),
    loadAfter: fixed(context.loadAfter, 2),
  };
}

function measurementRecord(measurement: Measurement, all: readonly Measurement[], context: InvocationContext): CsvRecord {
  return {
    kind: 'measurement',
    round: String(measurement.round),
    network: measurement.network,
    backend: measurement.backend,
    batch: String(measurement.batch),
    imagesPerSecond: fixed(measurement.imagesPerSecond, 1),
    imagesPerSecondMin: '',
    imagesPerSecondMax: '',
    msPerStep: fixed(measurement.msPerStep, 1),
    ratioToPyTorch: fixed(ratioToPeer(measurement, all), 3),
    ratioToPyTorchMin: '',
    ratioToPyTorchMax: '',
    evalBatch: measurement.evalBatch === undefined ? '' : String(measurement.evalBatch),
    evalImagesPerSecond: fixed(measurement.evalImagesPerSecond, 1),
    evalPerTrain: fixed(evalPerTrain(measurement), 2),
    peakMemoryMB: fixed(measurement.peakMemoryMB, 0),
    threads: measurement.threads === undefined ? '' : String(measurement.threads),
    kernelSources: measurement.kernelSources.join(' '),
    nativeKernels: measurement.nativeKernels ?? '',
    ...contextCells(context),
    note: measurement.note,
  };
}

function medianRecord(summary: BenchSummary, context: InvocationContext): CsvRecord {
  return {
    kind: 'median',
    round: '',
    network: summary.network,
    backend: summary.backend,
    batch: String(summary.batch),
    imagesPerSecond: fixed(summary.imagesPerSecond?.median, 1),
    imagesPerSecondMin: fixed(summary.imagesPerSecond?.min, 1),
    imagesPerSecondMax: fixed(summary.imagesPerSecond?.max, 1),
    msPerStep: '',
    ratioToPyTorch: fixed(summary.ratioToPeer?.median, 3),
    ratioToPyTorchMin: fixed(summary.ratioToPeer?.min, 3),
    ratioToPyTorchMax: fixed(summary.ratioToPeer?.max, 3),
    evalBatch: summary.evalBatch === undefined ? '' : String(summary.evalBatch),
    evalImagesPerSecond: fixed(summary.evalImagesPerSecond?.median, 1),
    evalPerTrain: fixed(summary.evalPerTrain?.median, 2),
    peakMemoryMB: fixed(summary.peakMemoryMB, 0),
    threads: summary.threads === undefined ? '' : String(summary.threads),
    kernelSources: summary.kernelSources.join(' '),
    nativeKernels: summary.nativeKernels ?? '',
    ...contextCells(context),
    note: summary.note,
  };
}

/** The CSV text: the measurements in the order taken, then the median rows. */
export function benchCsv(measurements: readonly Measurement[], summaries: readonly BenchSummary[], context: InvocationContext): string {
  const records = [
    ...measurements.map((measurement) => measurementRecord(measurement, measurements, context)),
    ...summaries.map((summary) => medianRecord(summary, context)),
  ];
  return stringify(records, { header: true, columns: [...CSV_COLUMNS] });
}
