import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import '../src/plugins';
import { buildReport } from '../src/report/build-report';
import { escapeHtml } from '../src/report/html';
import { loadRuns } from '../src/report/load-runs';
import { writeFixtureMatrix, writeFixtureRun } from './helpers/report-fixtures';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-report-'));
writeFixtureMatrix(path.join(root, 'runs'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

test('the HTML report holds the paper table, one row per run and every figure inline', async () => {
  const html = await buildReport(loadRuns([path.join(root, 'runs')]).records, { metric: 'test_accuracy', columns: 'network', reach: 0.8 });
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  expect(html).toContain('<h3>synthetic, sgd, corrected protocol</h3>');
  expect(html).toContain('<tr><th>as</th><td><b>88.00 ± 2.83</b></td></tr>');
  expect(html).toContain('<tr><th>relu</th><td>82.00 ± 2.83</td></tr>');
  // as and relu are no adaptive/fixed pair (as adapts sigmoid): the statistics section says what it would need
  expect(html).toContain('<h2>Statistics: adaptive against fixed activations</h2>\n<p class="note">No claim to check');
  const runsTable = html.match(/<table class="runs">(.*?)<\/table>/s)![1];
  expect(runsTable.match(/<tr>/g)).toHaveLength(1 + 4);
  // accuracy and loss for the one experiment, shapes for the one run with adaptive sites
  expect(html.match(/<figure>\n<figcaption>[^<]+<\/figcaption>\n<svg /g)).toHaveLength(3);
  expect(html).not.toMatch(/<(script|link|img)\b/); // self-contained, nothing fetched
});

test('runs of different datasets get one table each instead of a mixed average', async () => {
  const mixed = path.join(root, 'mixed');
  writeFixtureRun(mixed, { name: 'a', activation: 'relu', seed: 1, dataset: 'cifar10', epochs: [{ test_accuracy: 0.5 }] });
  writeFixtureRun(mixed, { name: 'b', activation: 'relu', seed: 1, dataset: 'fashion-mnist', epochs: [{ test_accuracy: 0.7 }] });
  const html = await buildReport(loadRuns([mixed]).records, { metric: 'test_accuracy', columns: 'network', reach: 0.8 });
  expect(html).toContain('<h3>cifar10, sgd, corrected protocol</h3>');
  expect(html).toContain('<h3>fashion-mnist, sgd, corrected protocol</h3>');
});

test('names from configs are escaped', () => {
  expect(escapeHtml('<b>"a" & b</b>')).toBe('&lt;b&gt;&quot;a&quot; &amp; b&lt;/b&gt;');
});
