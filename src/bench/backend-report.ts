/**
 * What ran a measurement: the one place where `acaf bench` reads the active backend's threads and kernel sources
 * (for the wasm backend, tfjs-wasm-training's registered sources, e.g. its SIMD kernel pack; a native source that
 * registers itself there shows up here without changes to the bench).
 */
import { kernelSources } from 'tfjs-wasm-training';
import type { BackendSelection } from '../backends';

export interface BackendReport {
  /** Threads the backend computes with, where it says (wasm: "2 threads"). */
  threads?: number;
  /** Where the kernels come from, besides the backend's own, in registration order (later ones replace earlier). */
  kernelSources: string[];
}

/** Call in the measuring process, after the backend was selected. */
export function backendReport(selection: BackendSelection): BackendReport {
  const threads = /^(\d+) threads?$/.exec(selection.detail ?? '');
  return {
    threads: threads ? Number(threads[1]) : undefined,
    kernelSources: selection.name === 'wasm' ? kernelSources().map(({ name }) => name) : [],
  };
}
