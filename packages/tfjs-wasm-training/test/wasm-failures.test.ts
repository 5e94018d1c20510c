import * as fs from 'node:fs';
import { failOnXnnpackErrors } from '../src/xnnpack-failures';

class UserError extends Error {}
const userError = (message: string) => new UserError(message);

test("tfjs-backend-wasm's report of a failed XNNPACK call becomes an error of the caller's type; other stderr writes pass through", () => {
  failOnXnnpackErrors(userError);
  failOnXnnpackErrors(userError); // installing twice does not wrap twice: the guard wraps an unguarded writeSync
  const unguarded = Symbol.for('tfjs-wasm-training.unguardedWriteSync');
  const wrapped = (fs.writeSync as unknown as Record<symbol, Record<symbol, unknown>>)[unguarded];
  expect(typeof wrapped).toBe('function');
  expect(wrapped[unguarded]).toBeUndefined();
  const report = 'XNN status for xnn_create_fully_connected_nc_f32 is not successful. Got status 6. Use -c dbg to see XNN logs.\n';
  expect(() => fs.writeSync(2, report)).toThrow(UserError);
  expect(() => fs.writeSync(2, report)).toThrow(
    'wasm backend: XNNPACK failed in xnn_create_fully_connected_nc_f32 (status 6: out of memory); the network and batch may not fit in wasm memory (4 GB): try a smaller train.batchSize',
  );
  const file = fs.openSync('/dev/null', 'w');
  expect(fs.writeSync(file, report)).toBe(report.length);
  expect(fs.writeSync(2, '')).toBe(0);
  fs.closeSync(file);
});
