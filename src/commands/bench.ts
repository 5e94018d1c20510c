import { Flags } from '@oclif/core';
import { AUTO_ORDER } from '../backends';
import type { BackendName } from '../backends/types';
import { benchCsv, type InvocationContext } from '../bench/bench-csv';
import { benchDataPipeline } from '../bench/data-pipeline';
import { LOSS_CURVE_TOLERANCE, lossCurveDifference, type LossParitySpec } from '../bench/loss-parity';
import { loadAverage, machineContext, type MachineContext } from '../bench/machine-context';
import { MeasurementSession } from '../bench/measurement-session';
import { summarize, type BenchSummary, type Spread } from '../bench/repeat-summary';
import { AcafCommand } from '../cli/base-command';
import { textTable } from '../cli/text-table';
import { AcafError } from '../errors';
import { writeFileAtomic } from '../io/atomic';
import { backends, networks } from '../registry';

/**
 * Backends measured unless --backends names others: every one but cpu, which is the kernels' test oracle rather than
 * a training backend (minutes per CNN step: each measurement would run into --timeout), and onednn, wasm's native
 * kernels with the cpu backend's for the rest, for what wasm's heap cannot hold.
 */
const DEFAULT_BACKENDS = AUTO_ORDER.filter((name) => name !== 'cpu' && name !== 'onednn');

/** The targets of issue 20, printed under the table: acaf at least as fast as PyTorch, evaluation 3x training. */
const TARGETS = 'targets: acaf/PyTorch >= 1.0, eval/train >= 3';

export default class Bench extends AcafCommand {
  static override description =
    'Training and evaluation throughput (images/s, ms/step, peak memory) of every network on every training backend ' +
    'that loads, at a CIFAR-shaped input; each measurement in its own process';
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --networks simple-cnn,resnet50 --backends wasm --csv bench.csv',
    '<%= config.bin %> bench --networks simple-cnn,lenet,alexnet,googlenet,resnet50 --peer-torch --repeat 3 --csv bench.csv',
    '<%= config.bin %> bench --networks resnet50 --check',
    '<%= config.bin %> bench --backends wasm --width 0.125 --batch 8 --steps 1 --check --check-lr 0.0001',
  ];
  static override flags = {
    networks: Flags.string({ description: 'comma-separated networks (default: every registered one)' }),
    backends: Flags.string({
      description: `comma-separated backends (default: ${DEFAULT_BACKENDS.join(', ')}; cpu, the test oracle, only when named)`,
    }),
    batch: Flags.integer({ description: 'batch size', default: 64, min: 1 }),
    steps: Flags.integer({ description: 'timed steps (and timed evaluation batches) after the warm-up', default: 5, min: 1 }),
    warmup: Flags.integer({
      description: 'untimed steps (and evaluation batches) first, for acaf and PyTorch alike: steady-state throughput',
      default: 3,
      min: 1,
    }),
    size: Flags.integer({ description: 'input height and width (3 channels, 10 classes)', default: 32, min: 1 }),
    'eval-batch': Flags.integer({
      description: 'also time evaluation (no gradients, no dropout, batch norm with moving statistics) at this batch size; 0: no',
      default: 256,
      min: 0,
    }),
    repeat: Flags.integer({
      description: 'measure every network this many times (acaf and PyTorch alternating) and report medians and ranges',
      default: 1,
      min: 1,
    }),
    timeout: Flags.integer({
      description: 'seconds one measurement may take; a backend that exceeds it twice in a row is skipped for the remaining networks',
      default: 120,
      min: 1,
    }),
    csv: Flags.string({ description: 'also write every measurement and the medians to this CSV file' }),
    'peer-torch': Flags.boolean({
      description:
        "also time PyTorch CPU versions of the same networks (bench/peer_torch.py, Debian's python3-torch; those it has) and show acaf/PyTorch per network",
      default: false,
    }),
    threads: Flags.integer({ description: 'PyTorch threads for --peer-torch', default: 2, min: 1 }),
    width: Flags.string({
      description: 'width multiplier of every network (its widthMultiplier option), e.g. 0.125 for quick checks',
      default: '1',
    }),
    check: Flags.boolean({
      description:
        "check that 5 SGD steps give the same losses as the cpu backend (within 1e-3 of how far its curve moves); also shows the cpu's own difference when every starting weight moves by one float32 ulp",
      default: false,
    }),
    'check-lr': Flags.string({ description: 'SGD learning rate of the --check steps', default: '0.01' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Bench);
    const networkNames = this.listFlag(flags.networks, networks.names(), 'network', '--networks');
    const backendNames = this.listFlag(flags.backends, DEFAULT_BACKENDS, 'backend', '--backends') as BackendName[];
    const inputShape: [number, number, number] = [flags.size, flags.size, 3];
    const networkOptions = { widthMultiplier: positiveNumber(flags.width, '--width') };
    const checkLearningRate = positiveNumber(flags['check-lr'], '--check-lr');
    const loadBefore = loadAverage();
    const machine = machineContext();
    const machineLine = `${describeMachine(machine)}; load average (1 min) before: ${loadBefore.toFixed(2)}`;
    const width = networkOptions.widthMultiplier === 1 ? '' : `, width x${networkOptions.widthMultiplier}`;
    const evaluation = flags['eval-batch'] ? `, evaluation at batch ${flags['eval-batch']}` : '';
    this.log(
      `acaf bench: batch ${flags.batch}, input ${flags.size}x${flags.size}x3${width}, ${flags.steps} timed steps after ${flags.warmup} untimed, ReLU, SGD${evaluation}, ` +
        `${flags.repeat} round${flags.repeat === 1 ? '' : 's'}`,
    );
    this.log(machineLine);
    const pipeline = benchDataPipeline(20000, flags.batch, inputShape);
    this.log(
      `input pipeline: ${pipeline.imagesPerSecond.toFixed(0)} images/s (crop 4, flip, brightness, contrast, per-image standardisation)`,
    );
    const context = (): InvocationContext => ({
      ...machine,
      loadBefore,
      loadAfter: loadAverage(),
      pipelineImagesPerSecond: pipeline.imagesPerSecond,
    });
    // Written before the first measurement (a path that cannot be written fails now) and after each one, so that an
    // interrupted or failing invocation keeps what it measured.
    const saveCsv = () =>
      flags.csv && writeFileAtomic(flags.csv, benchCsv(session.measurements, summarize(session.measurements), context()));

    const session = new MeasurementSession(this, {
      spec: { batch: flags.batch, steps: flags.steps, warmup: flags.warmup, inputShape, numClasses: 10, networkOptions },
      evalBatch: flags['eval-batch'],
      timeout: flags.timeout,
      rounds: flags.repeat,
      peer: flags['peer-torch']
        ? {
            batch: flags.batch,
            steps: flags.steps,
            warmup: flags.warmup,
            size: flags.size,
            numClasses: 10,
            widthMultiplier: networkOptions.widthMultiplier,
            threads: flags.threads,
          }
        : undefined,
      onMeasurement: saveCsv,
    });
    saveCsv();
    for (let round = 1; round <= flags.repeat; round++) {
      for (const network of networkNames) {
        // Odd rounds time acaf first, even ones PyTorch first: a drift in load within a round hits both sides alike.
        if (round % 2 === 0) session.measurePeer(network, round);
        for (const backend of backendNames) await session.measureAcaf(network, backend, round);
        if (round % 2 === 1) session.measurePeer(network, round);
      }
    }
    for (const [backend, reason] of session.unavailable) this.log(`skipped ${backend}: ${reason}`);

    const loadAfter = loadAverage();
    this.log('');
    this.log(machineLine);
    this.log(summaryTable(summarize(session.measurements)));
    this.log(
      `load average (1 min) after: ${loadAfter.toFixed(2)}; input pipeline ${pipeline.imagesPerSecond.toFixed(0)} images/s ` +
        `with augmentation; ${TARGETS}`,
    );
    if (flags.csv) {
      saveCsv();
      this.log(`wrote ${flags.csv}`);
    }
    if (flags.check) {
      const checked = backendNames.filter((name) => name !== 'cpu' && !session.unavailable.has(name));
      await this.checkLossCurves(networkNames, checked, {
        batch: flags.batch,
        steps: 5,
        inputShape,
        numClasses: 10,
        networkOptions,
        learningRate: checkLearningRate,
      });
    }
  }

  private async checkLossCurves(networkNames: string[], backendNames: BackendName[], spec: Omit<LossParitySpec, 'network'>): Promise<void> {
    let failed = 0;
    for (const backend of backendNames) {
      for (const network of networkNames) {
        const { difference, cpuNoiseFloor } = await lossCurveDifference({ ...spec, network }, backend, { noiseFloor: true });
        const ok = difference < LOSS_CURVE_TOLERANCE;
        if (!ok) failed++;
        this.log(
          `check ${network} on ${backend} vs cpu, 5 SGD steps at lr ${spec.learningRate}: largest difference ${difference.toExponential(2)} of the curve's movement ` +
            `${ok ? 'ok' : 'FAILED'} (cpu vs cpu from weights moved by one ulp: ${cpuNoiseFloor!.toExponential(2)})`,
        );
      }
    }
    if (failed) throw new AcafError(`${failed} loss-curve check(s) differed by more than ${LOSS_CURVE_TOLERANCE} of the curve's movement`);
  }

  private listFlag(value: string | undefined, all: string[], kind: string, flag: string): string[] {
    if (value === undefined) return all;
    const names = value
      .split(',')
      .map((name) => name.trim())
      .filter(Boolean);
    const registry = kind === 'network' ? networks : backends;
    for (const name of names) registry.get(name, flag);
    return names;
  }
}

/** A flag's value as a number > 0, or a one-line error naming the flag. */
function positiveNumber(value: string, flag: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new AcafError(`${flag} must be a number > 0, got '${value}'`);
  return number;
}

function describeMachine(machine: MachineContext): string {
  return (
    `${process.platform} ${process.arch}, ${machine.cpu}, ${machine.vectorWidthBits}-bit vectors (WebAssembly SIMD: 128), ` +
    `relaxed SIMD ${machine.relaxedSimd ? 'available' : 'not available'}, node ${machine.node}`
  );
}

/** A median with its range where there are several values: "530.0 (512.3-561.0)". */
function formatSpread(value: Spread | undefined, digits: number, suffix = ''): string {
  if (!value) return '';
  const median = `${value.median.toFixed(digits)}${suffix}`;
  return value.count > 1 ? `${median} (${value.min.toFixed(digits)}-${value.max.toFixed(digits)})` : median;
}

function summaryTable(summaries: BenchSummary[]): string {
  const header = [
    'network',
    'backend',
    'batch',
    'images/s',
    'acaf/PyTorch',
    'eval images/s',
    'eval/train',
    'peak MB',
    'threads',
    'kernels',
    'note',
  ];
  const cells = summaries.map((summary) => [
    summary.network,
    summary.backend,
    String(summary.batch),
    formatSpread(summary.imagesPerSecond, 1),
    formatSpread(summary.ratioToPeer, 2, 'x'),
    formatSpread(summary.evalImagesPerSecond, 1),
    formatSpread(summary.evalPerTrain, 2, 'x'),
    summary.peakMemoryMB === undefined ? '' : summary.peakMemoryMB.toFixed(0),
    summary.threads === undefined ? '' : String(summary.threads),
    summary.kernelSources.join(' '),
    summary.note,
  ]);
  return textTable(header, cells, { rightAligned: [2, 3, 4, 5, 6, 7, 8], rule: true });
}
