/**
 * The measurements of one `acaf bench` invocation, taken one at a time: acaf's (training, then evaluation, each in
 * its own process) and the PyTorch peer's, with what stops a backend or the peer from being tried again.
 */
import * as path from 'node:path';
import { TIMEOUTS_BEFORE_SKIPPING, ConsecutiveTimeouts } from './consecutive-timeouts';
import { runIsolated } from './isolated-run';
import { runPeerTorchBench, type PeerSpec } from './peer-torch';
import { evalPerTrain, ratioToPeer, type Measurement } from './repeat-summary';
import type { TrainingBenchSpec } from './training-step-timer';
import type { BackendName } from '../backends/types';

export interface SessionOptions {
  /** What every acaf measurement shares. */
  spec: Omit<TrainingBenchSpec, 'network' | 'backend'>;
  /** Evaluation batch size; 0: training only. */
  evalBatch: number;
  /** Seconds per measurement (--timeout). */
  timeout: number;
  rounds: number;
  /** The PyTorch peer's settings, when it is wanted. */
  peer?: Omit<PeerSpec, 'networks' | 'expectedParameters' | 'evalBatch'>;
  /** Called after each measurement is added (e.g. to save what was measured so far). */
  onMeasurement?: () => void;
}

const REPOSITORY = path.resolve(__dirname, '..', '..');

export class MeasurementSession {
  readonly measurements: Measurement[] = [];
  /** Backends not measured any more, and why. */
  readonly unavailable = new Map<string, string>();
  private readonly timeouts = new ConsecutiveTimeouts();
  /** acaf's trainable parameter count per network, which the PyTorch peer must match. */
  private readonly trainableParameters: Record<string, number> = {};
  /** Why the peer cannot run here at all, once it failed to start. */
  private peerUnusable?: string;
  /** Networks the peer has no version of, or refused or failed to measure: not tried again. */
  private readonly peerDeclined = new Set<string>();

  constructor(
    private readonly logger: { log(message: string): void },
    private readonly options: SessionOptions,
  ) {}

  async measureAcaf(network: string, backend: BackendName, round: number): Promise<void> {
    if (this.unavailable.has(backend)) return;
    const { timeout, evalBatch } = this.options;
    const spec: TrainingBenchSpec = { ...this.options.spec, network, backend };
    const base = { round, network, backend, peer: false, batch: spec.batch, kernelSources: [] };
    const outcome = await runIsolated('training', spec, timeout);
    const tooSlow = this.timeouts.record(backend, !outcome.ok && outcome.timedOut === true);
    if (!outcome.ok) {
      if (/cannot be used|cannot train/.test(outcome.reason)) return void this.unavailable.set(backend, outcome.reason);
      this.add({ ...base, note: outcome.reason });
      if (tooSlow)
        this.unavailable.set(backend, `too slow: ${TIMEOUTS_BEFORE_SKIPPING} networks in a row took longer than ${timeout} s (--timeout)`);
      return;
    }
    const { result } = outcome;
    this.trainableParameters[network] = result.trainableParameters;
    const measurement: Measurement = {
      ...base,
      imagesPerSecond: result.imagesPerSecond,
      msPerStep: result.msPerStep,
      peakMemoryMB: result.peakMemoryMB,
      threads: result.threads,
      kernelSources: result.kernelSources,
      nativeKernels: result.nativeKernels,
      note: '',
    };
    if (evalBatch) {
      measurement.evalBatch = evalBatch;
      const evaluation = await runIsolated('evaluation', { ...spec, batch: evalBatch }, timeout);
      if (evaluation.ok) measurement.evalImagesPerSecond = evaluation.result.imagesPerSecond;
      else measurement.note = `evaluation: ${evaluation.reason}`;
    }
    this.add(measurement);
  }

  /** Times the network with bench/peer_torch.py, unless the peer is not wanted, cannot run, or declined it before. */
  measurePeer(network: string, round: number): void {
    const { peer, evalBatch } = this.options;
    if (!peer || this.peerUnusable || this.peerDeclined.has(network)) return;
    const known = this.trainableParameters[network];
    const { results, skipped } = runPeerTorchBench(REPOSITORY, {
      ...peer,
      networks: [network],
      evalBatch,
      expectedParameters: known === undefined ? {} : { [network]: known },
    });
    if (!results) {
      this.peerUnusable = skipped;
      return this.logger.log(`skipped PyTorch peer: ${skipped}`);
    }
    const [result] = results;
    if (result.imagesPerSecond === undefined || result.msPerStep === undefined) {
      this.peerDeclined.add(network);
      return this.logger.log(`PyTorch peer, ${network}: ${result.error ?? 'no measurement'}`);
    }
    this.add({
      round,
      network,
      backend: `pytorch-cpu-${peer.threads}t`,
      peer: true,
      batch: peer.batch,
      imagesPerSecond: result.imagesPerSecond,
      msPerStep: result.msPerStep,
      evalBatch: evalBatch || undefined,
      evalImagesPerSecond: result.evalImagesPerSecond,
      peakMemoryMB: result.peakMemoryMB,
      threads: result.threads,
      kernelSources: result.torch ? [`torch-${result.torch}`] : [],
      note: '',
    });
  }

  private add(measurement: Measurement): void {
    this.measurements.push(measurement);
    this.logger.log(this.describe(measurement));
    this.options.onMeasurement?.();
  }

  /** One line as a measurement arrives. */
  private describe(measurement: Measurement): string {
    const round = this.options.rounds > 1 ? `round ${measurement.round}/${this.options.rounds}: ` : '';
    const what = `${round}${measurement.network} on ${measurement.backend}`;
    if (measurement.imagesPerSecond === undefined) return `${what}: ${measurement.note}`;
    const parts = [`${measurement.imagesPerSecond.toFixed(1)} images/s, ${measurement.msPerStep!.toFixed(1)} ms/step`];
    if (measurement.peakMemoryMB !== undefined) parts[0] += `, peak ${measurement.peakMemoryMB.toFixed(0)} MB`;
    const evalRatio = evalPerTrain(measurement);
    if (evalRatio !== undefined)
      parts.push(`evaluation ${measurement.evalImagesPerSecond!.toFixed(1)} images/s (${evalRatio.toFixed(2)}x training)`);
    // The ratio to PyTorch once both sides of this round are there: on acaf's line its own, on PyTorch's every backend's.
    const sameRound = this.measurements.filter((other) => other.network === measurement.network && other.round === measurement.round);
    const ratios = (measurement.peer ? sameRound : [measurement])
      .map((other) => [other.backend, ratioToPeer(other, sameRound)] as const)
      .filter((entry): entry is readonly [string, number] => entry[1] !== undefined)
      .map(([backend, ratio]) => `${backend} ${ratio.toFixed(2)}x`);
    if (ratios.length) parts.push(`acaf/PyTorch: ${ratios.join(', ')}`);
    if (measurement.note) parts.push(measurement.note);
    return `${what}: ${parts.join('; ')}`;
  }
}
