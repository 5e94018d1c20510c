import { formatDuration, RunClock } from '../src/trainers/run-clock';

/** A clock the test moves by hand; the expected values are the closed-form sums of the times it was moved by. */
function manualClock() {
  let seconds = 0;
  return { now: () => seconds, advance: (by: number) => (seconds += by) };
}

test('the time left comes from the step rate from the first step on, and evaluations once one has run', () => {
  const time = manualClock();
  // 3 epochs of 10 steps of 2 s, an evaluation of 5 s after each.
  const clock = new RunClock(30, 3, time.now);
  expect(clock.secondsLeft()).toBeUndefined();
  time.advance(2);
  clock.step();
  expect(clock.secondsLeft()).toBe(29 * 2);
  for (let step = 2; step <= 10; step++) {
    time.advance(2);
    clock.step();
  }
  expect(clock.secondsLeft()).toBe(20 * 2);
  clock.evaluationStarted();
  time.advance(5);
  clock.epochEnded();
  expect(clock.secondsLeft()).toBe(20 * 2 + 2 * 5);
  // A slow evaluation does not change the step rate.
  time.advance(2);
  clock.step();
  expect(clock.secondsLeft()).toBe(19 * 2 + 2 * 5);
});

test('an epoch without an evaluation counts its end as training time', () => {
  const time = manualClock();
  const clock = new RunClock(4, 1, time.now);
  time.advance(1);
  clock.step();
  time.advance(1);
  clock.step();
  time.advance(2); // e.g. writing the checkpoint
  clock.epochEnded();
  expect(clock.secondsLeft()).toBe(2 * 2);
});

test('durations read as seconds, minutes and hours', () => {
  expect(formatDuration(0.4)).toBe('0s');
  expect(formatDuration(59)).toBe('59s');
  expect(formatDuration(125)).toBe('2m05s');
  expect(formatDuration(3 * 3600 + 7 * 60 + 30)).toBe('3h07m');
});
