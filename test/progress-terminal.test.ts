import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from './helpers/cli';

/**
 * `acaf run` in a real terminal: a tmux session 80 columns wide, its screen read with capture-pane while the
 * quickstart (on a small subset) trains. .ci/run installs tmux.
 */
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-terminal-'));
const session = `acaf-progress-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
afterAll(() => {
  spawnSync('tmux', ['kill-session', '-t', session]);
  fs.rmSync(work, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('at 80 columns: a non-zero ETA during epoch 1, whole epoch lines above the bar, no line cut', async () => {
  const done = path.join(work, 'done');
  const command =
    `cd ${repoRoot} && node bin/run.js run --set train.epochs=2 --set data.subset.train=640 --set data.subset.test=320 ` +
    `--output ${path.join(work, 'runs')}; echo exit $? > ${done}; sleep 600`;
  tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '40', command);
  const screens: string[] = [];
  for (let waited = 0; !fs.existsSync(done) && waited < 110_000; waited += 250) {
    screens.push(tmux('capture-pane', '-p', '-t', session));
    await sleep(250);
  }
  expect(fs.readFileSync(done, 'utf8').trim()).toBe('exit 0');
  const finalScreen = tmux('capture-pane', '-p', '-t', session).split('\n');

  // The live status line during epoch 1, fitting the 80 columns, with an ETA above zero.
  const statusLines = screens.flatMap((screen) => screen.split('\n')).filter((line) => /^epoch 1\/2 \[/.test(line));
  expect(statusLines.length).toBeGreaterThan(0);
  for (const line of statusLines) expect(line.trimEnd().length).toBeLessThan(80);
  const etas = statusLines.map((line) => /ETA (?:(\d+)m)?(\d+)s$/.exec(line.trimEnd())).filter((match) => match !== null);
  expect(etas.some((match) => Number(match[1] ?? 0) * 60 + Number(match[2]) > 0)).toBe(true);

  // Both epoch lines stay on screen whole (tmux wraps what is wider than the pane: -J joins it back).
  const joined = tmux('capture-pane', '-p', '-J', '-t', session).split('\n');
  expect(joined).toContainEqual(
    expect.stringMatching(
      /^epoch 1\/2 {2}lr \S+ {2}loss \d\.\d{4} {2}acc \d\.\d{4} {2}test loss \d\.\d{4} {2}test acc \d\.\d{4} {2}\d+\.\ds {2}ETA \d/,
    ),
  );
  expect(joined).toContainEqual(
    expect.stringMatching(
      /^epoch 2\/2 {2}lr \S+ {2}loss \d\.\d{4} {2}acc \d\.\d{4} {2}test loss \d\.\d{4} {2}test acc \d\.\d{4} {2}\d+\.\ds$/,
    ),
  );
  expect(finalScreen.some((line) => line.startsWith('result:'))).toBe(true);
  expect(finalScreen.some((line) => line.includes('\x1b'))).toBe(false);
});
