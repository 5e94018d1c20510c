import '../src/plugins';
import { schedules } from '../src/registry';
import { buildSchedule } from '../src/builders/schedules/warmup';
import type { ScheduleOptions } from '../src/builders/schedules/types';

const context = { baseLr: 0.1, epochs: 150, stepsPerEpoch: 10 };

function defaults(name: string): ScheduleOptions {
  const plugin = schedules.get(name);
  const options = Object.fromEntries(
    Object.entries(plugin.options)
      .filter(([, schema]) => 'default' in schema)
      .map(([key, schema]) => [key, schema.default]),
  );
  return { type: name, ...options };
}

describe.each(schedules.names())('schedule %s', (name) => {
  test('starts at the base rate and never rises or goes negative', () => {
    const schedule = buildSchedule(defaults(name), context);
    expect(schedule(0)).toBeCloseTo(context.baseLr, 12);
    let previous = Infinity;
    for (let epoch = 0; epoch < context.epochs; epoch += 0.5) {
      const lr = schedule(epoch);
      expect(lr).toBeGreaterThanOrEqual(0);
      expect(lr).toBeLessThanOrEqual(previous + 1e-15);
      previous = lr;
    }
  });

  test('linear warm-up rises step by step to the scheduled rate', () => {
    const plain = buildSchedule(defaults(name), context);
    const warm = buildSchedule({ ...defaults(name), warmup: { epochs: 2 } }, context);
    expect(warm(0)).toBeCloseTo(plain(0) / 20, 12);
    expect(warm(1)).toBeCloseTo((plain(1) * 11) / 20, 12);
    expect(warm(1.95)).toBeCloseTo(plain(1.95), 12);
    expect(warm(5)).toBe(plain(5));
  });
});

test("step: the paper's /10 at epochs 70 and 100", () => {
  const schedule = buildSchedule({ type: 'step', milestones: [70, 100], gamma: 0.1 }, context);
  expect(schedule(69.9)).toBeCloseTo(0.1, 12);
  expect(schedule(70)).toBeCloseTo(0.01, 12);
  expect(schedule(99.5)).toBeCloseTo(0.01, 12);
  expect(schedule(100)).toBeCloseTo(0.001, 12);
});

test('exponential: gamma per epoch, smooth or staircase', () => {
  expect(buildSchedule({ type: 'exponential', gamma: 0.5, staircase: false }, context)(1.5)).toBeCloseTo(0.1 * 0.5 ** 1.5, 12);
  expect(buildSchedule({ type: 'exponential', gamma: 0.5, staircase: true }, context)(1.5)).toBeCloseTo(0.05, 12);
});

test('cosine: half-way is the mean of base and minimum; the end is the minimum', () => {
  const schedule = buildSchedule({ type: 'cosine', minLr: 0.02 }, context);
  expect(schedule(75)).toBeCloseTo(0.06, 12);
  expect(schedule(150)).toBeCloseTo(0.02, 12);
});
