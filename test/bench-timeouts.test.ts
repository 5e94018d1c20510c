import { ConsecutiveTimeouts } from '../src/bench/consecutive-timeouts';

test('a backend is skipped after two timeouts in a row, not after one slow network', () => {
  const timeouts = new ConsecutiveTimeouts();
  // wasm: DenseNet times out, the next network does not, then two in a row do.
  expect([true, false, true, true].map((timedOut) => timeouts.record('wasm', timedOut))).toEqual([false, false, false, true]);
  // Each backend counts on its own.
  expect(timeouts.record('cpu', true)).toBe(false);
  expect(timeouts.record('cpu', true)).toBe(true);
});
