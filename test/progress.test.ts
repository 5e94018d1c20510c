/* eslint-disable no-control-regex -- these tests look for terminal control characters */
import { createReporter, type OutputMode, type RunStart } from '../src/trainers/progress';

/** What a task supplies: its own columns and labels (here a detection-like task's). */
const start: RunStart = {
  backend: 'wasm',
  reason: 'test',
  runDir: '/tmp/run',
  epochs: 2,
  firstEpoch: 1,
  stepsPerEpoch: 4,
  evaluations: 2,
  evaluationImages: 6,
  columns: { train: [{ column: 'train_loss', label: 'loss' }], test: [{ column: 'map50', label: 'mAP@0.5' }] },
};

/** Drives a reporter through two epochs of four steps and an evaluation of 6 images each; returns what it wrote. */
function drive(mode: OutputMode, columns = 80): string {
  let output = '';
  const reporter = createReporter(mode, {
    write: (text) => (output += text),
    columns: () => columns,
    plainIntervalSeconds: 0,
    redrawMilliseconds: 0,
  });
  reporter.start(start);
  for (let epoch = 1; epoch <= 2; epoch++) {
    for (let step = 1; step <= 4; step++) {
      const train = { train_loss: 1 / (epoch * step), train_box_loss: 0.5 };
      reporter.step({ epoch, step, steps: 4, train, batch: train, lr: 0.01, imagesPerSecond: 123.4 });
    }
    reporter.evaluating(epoch, 4);
    reporter.evaluating(epoch, 6);
    reporter.epoch({ epoch, lr: 0.01, train_loss: 0.5, train_box_loss: 0.25, map50: 0.75, coco_ap: 0.5, seconds: 1.5 });
  }
  reporter.finish({ epochs: 2 });
  return output;
}

test('off a terminal: plain lines only, one per epoch with the task-supplied columns, and periodic progress lines', () => {
  const output = drive('plain');
  expect(output).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  const lines = output.split('\n');
  expect(lines.filter((line) => line.startsWith('epoch '))).toEqual([
    expect.stringMatching(/^epoch 1\/2 {2}lr 0\.0100 {2}loss 0\.5000 {2}mAP@0\.5 0\.7500 {2}1\.5s {2}ETA \d+s$/),
    'epoch 2/2  lr 0.0100  loss 0.5000  mAP@0.5 0.7500  1.5s',
  ]);
  // Columns the task did not name (train_box_loss, coco_ap) are not shown.
  expect(output).not.toMatch(/box|COCO/);
  // With a 0 s interval, every update is a line; none reads like an epoch's result line.
  expect(lines.filter((line) => line.startsWith('  step '))).toHaveLength(8);
  expect(lines).toContainEqual(expect.stringMatching(/^ {2}step 1\/4 {2}loss 1\.0000 {2}123 img\/s {2}ETA \d+s \(epoch 1\)$/));
  expect(lines.filter((line) => line.startsWith('  evaluating 6/6 images'))).toHaveLength(2);
});

test('on a terminal: the status line fits the width, epoch lines stay above it, the bar is cleared at the end', () => {
  for (const width of [40, 80, 120]) {
    const output = drive('bars', width);
    const statusLines = output
      .split(/\r|\n/)
      .map((segment) => segment.replace(/\x1b\[K/g, ''))
      .filter((segment) => /^epoch \d\/2 (\[|evaluating|\d)/.test(segment) && !/ {2}lr /.test(segment));
    expect(statusLines.length).toBeGreaterThan(0);
    for (const status of statusLines) expect(status.length).toBeLessThanOrEqual(width - 1);
    // Every epoch line is whole, on a line of its own after the status line was cleared.
    expect(output).toContain('\r\x1b[Kepoch 2/2  lr 0.0100  loss 0.5000  mAP@0.5 0.7500  1.5s\n');
    expect(output).toMatch(/\r\x1b\[Kepoch 1\/2 {2}lr 0\.0100 {2}loss 0\.5000 {2}mAP@0\.5 0\.7500 {2}1\.5s {2}ETA \d+s\n/);
    expect(output).toMatch(/result:\n {2}epochs {2}2\n$/);
  }
  // At 80 columns the bar has room and the evaluation has its own.
  expect(drive('bars', 80)).toMatch(/epoch 1\/2 evaluating \[=+\] 6\/6 images {2}ETA/);
});
