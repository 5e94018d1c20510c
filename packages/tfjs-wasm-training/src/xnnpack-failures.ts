// The module object itself (not an import-star copy): tfjs-backend-wasm's loader writes through it.
import fs = require('node:fs');

/** Where a guarded fs.writeSync keeps the one it wraps (a registry symbol: the same for every copy of this module). */
const UNGUARDED = Symbol.for('tfjs-wasm-training.unguardedWriteSync');
type GuardedWriteSync = typeof fs.writeSync & { [UNGUARDED]?: typeof fs.writeSync };

/** XNNPACK's xnn_status values that tfjs-backend-wasm reports by number. */
const XNN_STATUS: Record<string, string> = { '6': 'out of memory' };

/** tfjs-backend-wasm's report of a failed XNNPACK call, e.g. "XNN status for xnn_create_fully_connected_nc_f32 is not successful. Got status 6." */
const XNN_FAILURE = /^XNN status for (\w+) is not successful\. Got status (\d+)/;

/**
 * tfjs-backend-wasm reports an XNNPACK call that failed (typically out of memory: a network and batch that do not fit
 * in wasm's 4 GB address space, such as the paper's DenseNet at batch 64) on stderr and then carries on with an
 * output it never wrote, so training would go on with garbage. Its loader writes that report with fs.writeSync on
 * stderr; from the first wasm activation on, such a report is thrown as an error (made by `userError`) instead. Other
 * writes pass through.
 */
export function failOnXnnpackErrors(userError: (message: string) => Error): void {
  // Installing again replaces the guard rather than stacking a second one (several copies of this module share the
  // one `fs`, e.g. across jest test files); the unguarded writeSync travels with the guard.
  const writeSync = (fs.writeSync as GuardedWriteSync)[UNGUARDED] ?? fs.writeSync;
  const guarded = function (this: unknown, fd: number, data: unknown, ...rest: unknown[]) {
    const failure = fd === 2 && typeof data === 'string' ? XNN_FAILURE.exec(data) : null;
    if (failure) {
      const [, call, status] = failure;
      throw userError(
        `wasm backend: XNNPACK failed in ${call} (status ${status}${XNN_STATUS[status] ? `: ${XNN_STATUS[status]}` : ''}); ` +
          'the network and batch may not fit in wasm memory (4 GB): try a smaller train.batchSize',
      );
    }
    return (writeSync as (...args: unknown[]) => number).call(fs, fd, data, ...rest);
  };
  fs.writeSync = Object.assign(guarded, { [UNGUARDED]: writeSync }) as unknown as typeof fs.writeSync;
}
