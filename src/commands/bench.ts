import { Flags } from '@oclif/core';
import { stringify } from 'csv-stringify/sync';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AUTO_ORDER } from '../backends';
import type { BackendName } from '../backends/types';
import { ConsecutiveTimeouts, TIMEOUTS_BEFORE_SKIPPING } from '../bench/consecutive-timeouts';
import { benchDataPipeline } from '../bench/data-pipeline';
import { runIsolated } from '../bench/isolated-run';
import { LOSS_CURVE_TOLERANCE, lossCurveDifference, type LossParitySpec } from '../bench/loss-parity';
import { runPeerTorchBench, type PeerSpec } from '../bench/peer-torch';
import { AcafCommand } from '../cli/base-command';
import { textTable } from '../cli/text-table';
import { AcafError } from '../errors';
import { backends, networks } from '../registry';

interface Row {
  network: string;
  backend: string;
  batch: number;
  imagesPerSecond: string;
  msPerStep: string;
  peakMemoryMB: string;
  note: string;
}

export default class Bench extends AcafCommand {
  static override description =
    'Training throughput (images/s, ms/step, peak memory) of every network on every backend that loads, ' +
    'at a CIFAR-shaped input; each measurement in its own process';
  static override examples = [
    '<%= config.bin %> bench',
    '<%= config.bin %> bench --networks simple-cnn,resnet50 --backends wasm --csv bench.csv',
    '<%= config.bin %> bench --networks simple-cnn,lenet,alexnet,googlenet,resnet50 --backends wasm --peer-torch',
    '<%= config.bin %> bench --networks resnet50 --check',
    '<%= config.bin %> bench --backends wasm --width 0.125 --batch 8 --steps 1 --check --check-lr 0.0001',
  ];
  static override flags = {
    networks: Flags.string({ description: 'comma-separated networks (default: every registered one)' }),
    backends: Flags.string({ description: `comma-separated backends (default: all, in the order ${AUTO_ORDER.join(', ')})` }),
    batch: Flags.integer({ description: 'batch size', default: 64, min: 1 }),
    steps: Flags.integer({ description: 'timed steps after one warm-up step', default: 5, min: 1 }),
    size: Flags.integer({ description: 'input height and width (3 channels, 10 classes)', default: 32, min: 1 }),
    timeout: Flags.integer({
      description: 'seconds one measurement may take; a backend that exceeds it twice in a row is skipped for the remaining networks',
      default: 120,
      min: 1,
    }),
    csv: Flags.string({ description: 'also write the results to this CSV file' }),
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
    const backendNames = this.listFlag(flags.backends, AUTO_ORDER, 'backend', '--backends') as BackendName[];
    const inputShape: [number, number, number] = [flags.size, flags.size, 3];
    const networkOptions = { widthMultiplier: positiveNumber(flags.width, '--width') };
    const checkLearningRate = positiveNumber(flags['check-lr'], '--check-lr');
    const width = networkOptions.widthMultiplier === 1 ? '' : `, width x${networkOptions.widthMultiplier}`;
    this.log(
      `acaf bench: batch ${flags.batch}, input ${flags.size}x${flags.size}x3${width}, ${flags.steps} timed steps, ReLU, SGD; ${process.platform} ${process.arch}, node ${process.version}`,
    );
    const pipeline = benchDataPipeline(20000, flags.batch, inputShape);
    this.log(
      `input pipeline: ${pipeline.imagesPerSecond.toFixed(0)} images/s (crop 4, flip, brightness, contrast, per-image standardisation)`,
    );

    const rows: Row[] = [];
    /** acaf's trainable parameter count per network, which the PyTorch peer must match. */
    const trainableParameters: Record<string, number> = {};
    const unavailable = new Map<string, string>();
    const timeouts = new ConsecutiveTimeouts();
    for (const backend of backendNames) {
      for (const network of networkNames) {
        if (unavailable.has(backend)) break;
        const outcome = await runIsolated(
          { network, backend, batch: flags.batch, steps: flags.steps, inputShape, numClasses: 10, networkOptions },
          flags.timeout,
        );
        const tooSlow = timeouts.record(backend, !outcome.ok && outcome.timedOut === true);
        if (outcome.ok) {
          const { result } = outcome;
          trainableParameters[network] = result.trainableParameters;
          rows.push({
            ...result,
            imagesPerSecond: result.imagesPerSecond.toFixed(1),
            msPerStep: result.msPerStep.toFixed(1),
            peakMemoryMB: result.peakMemoryMB.toFixed(0),
            note: '',
          });
          this.log(formatRow(rows[rows.length - 1]));
        } else if (/cannot be used|cannot train/.test(outcome.reason)) {
          unavailable.set(backend, outcome.reason);
        } else {
          rows.push({ network, backend, batch: flags.batch, imagesPerSecond: '', msPerStep: '', peakMemoryMB: '', note: outcome.reason });
          this.log(formatRow(rows[rows.length - 1]));
          if (tooSlow)
            unavailable.set(
              backend,
              `too slow: ${TIMEOUTS_BEFORE_SKIPPING} networks in a row took longer than ${flags.timeout} s (--timeout)`,
            );
        }
      }
    }
    for (const [backend, reason] of unavailable) this.log(`skipped ${backend}: ${reason}`);

    if (flags['peer-torch'])
      this.addPeerRows(rows, {
        networks: networkNames,
        batch: flags.batch,
        steps: flags.steps,
        size: flags.size,
        numClasses: 10,
        widthMultiplier: networkOptions.widthMultiplier,
        threads: flags.threads,
        expectedParameters: trainableParameters,
      });
    this.log('');
    this.log(table(rows));
    if (flags.csv) {
      fs.writeFileSync(
        flags.csv,
        stringify(rows, { header: true, columns: ['network', 'backend', 'batch', 'imagesPerSecond', 'msPerStep', 'peakMemoryMB', 'note'] }),
      );
      this.log(`wrote ${flags.csv}`);
    }
    if (flags.check) {
      const checked = backendNames.filter((name) => name !== 'cpu' && !unavailable.has(name));
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

  /** PyTorch rows, and acaf's throughput over PyTorch's for each network the peer has, per acaf backend. */
  private addPeerRows(rows: Row[], spec: PeerSpec): void {
    const { results, skipped } = runPeerTorchBench(path.resolve(__dirname, '..', '..'), spec);
    if (!results) return this.log(`skipped PyTorch peer: ${skipped}`);
    const backend = `pytorch-cpu-${spec.threads}t`;
    for (const peer of results) {
      const { imagesPerSecond, msPerStep } = peer;
      if (imagesPerSecond === undefined || msPerStep === undefined) {
        this.log(`PyTorch peer, ${peer.network}: ${peer.error ?? 'no measurement'}`);
        continue;
      }
      const ours = rows.filter((row) => row.network === peer.network && row.imagesPerSecond);
      const ratios = ours.map((row) => `${row.backend} ${(Number(row.imagesPerSecond) / imagesPerSecond).toFixed(2)}x`).join(', ');
      rows.push({
        network: peer.network,
        backend,
        batch: spec.batch,
        imagesPerSecond: imagesPerSecond.toFixed(1),
        msPerStep: msPerStep.toFixed(1),
        peakMemoryMB: '',
        note: ratios && `acaf/PyTorch throughput: ${ratios}`,
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

function formatRow(row: Row): string {
  return row.note && !row.imagesPerSecond
    ? `${row.network} on ${row.backend}: ${row.note}`
    : `${row.network} on ${row.backend}: ${row.imagesPerSecond} images/s, ${row.msPerStep} ms/step, peak ${row.peakMemoryMB} MB`;
}

function table(rows: Row[]): string {
  const header = ['network', 'backend', 'batch', 'images/s', 'ms/step', 'peak MB', 'note'];
  const cells = rows.map((row) => [
    row.network,
    row.backend,
    String(row.batch),
    row.imagesPerSecond,
    row.msPerStep,
    row.peakMemoryMB,
    row.note,
  ]);
  return textTable(header, cells, { rightAligned: [2, 3, 4, 5], rule: true });
}
