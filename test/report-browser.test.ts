import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import puppeteer, { Browser } from 'puppeteer-core';
import { acaf, repoRoot } from './helpers/cli';
import { writeFixtureMatrix, writeFixtureRun } from './helpers/report-fixtures';

// `acaf report` in a real headless Chromium (Debian's `chromium`, installed by .ci/run): the page loads without
// console errors, shows every figure and table, and leaves a screenshot for a person to look at.

const chromium = '/usr/bin/chromium';
/** Where the screenshot goes (kept after the test, ignored by git). */
const screenshot = path.join(repoRoot, 'test-output', 'report.png');

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-report-browser-'));
const runs = path.join(root, 'runs');
writeFixtureMatrix(runs);
writeFixtureRun(runs, {
  name: 'tiny-as',
  activation: 'as',
  seed: 3,
  epochs: [{ test_accuracy: 0.72 }, { test_accuracy: 0.8 }, { test_accuracy: 0.87 }],
  sites: [
    { epoch: 0, site: 'block1.act1', params: { a: 1, b: 1, c: 0, d: 0 } },
    { epoch: 3, site: 'block1.act1', params: { a: 3, b: 1, c: 0, d: 0.5 } },
  ],
});

let browser: Browser | undefined;

interface Shown {
  tables: { visible: boolean; rows: number }[];
  figures: { caption: string; visible: boolean; marks: number; texts: number }[];
}

/** Runs in the page (as text: the test's TypeScript has no DOM types): what the browser shows of each table and figure. */
const pageProbe = `(() => {
  const visible = (element) => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' && style.display !== 'none';
  };
  return {
    tables: [...document.querySelectorAll('table')].map((table) => ({ visible: visible(table), rows: table.rows.length })),
    figures: [...document.querySelectorAll('figure')].map((figure) => {
      const svg = figure.querySelector('svg');
      return {
        caption: figure.querySelector('figcaption')?.textContent ?? '',
        visible: svg !== null && visible(svg),
        marks: svg ? svg.querySelectorAll('path').length : 0,
        texts: svg ? svg.querySelectorAll('text').length : 0,
      };
    }),
  };
})()`;

beforeAll(async () => {
  if (!fs.existsSync(chromium))
    throw new Error(`${chromium} not found: install Debian's chromium (apt-get install chromium), as .ci/run does`);
  browser = await puppeteer.launch({
    executablePath: chromium,
    userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'acaf-chromium-profile-')),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

afterAll(async () => {
  const pid = browser?.process()?.pid;
  await browser?.close();
  // close() ends the browser; if it hung on the way out, end that one process
  if (pid !== undefined && browser?.process()?.exitCode === null) process.kill(pid, 'SIGKILL');
});

test('the report page loads without console errors and shows every table and figure', async () => {
  const out = path.join(root, 'report.html');
  const result = acaf(['report', runs, '--out', out]);
  expect(result.code).toBe(0);
  const html = fs.readFileSync(out, 'utf8');

  const page = await browser!.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`file://${out}`, { waitUntil: 'load' });

  // what the browser shows: each table and each figure's SVG with a rendered size, inside the page's width
  const shown = (await page.evaluate(pageProbe)) as Shown;
  expect(problems).toEqual([]);
  // the counts as written in the file: every one of them must be shown
  expect(shown.tables).toHaveLength((html.match(/<table/g) ?? []).length);
  expect(shown.figures).toHaveLength((html.match(/<figure>/g) ?? []).length);
  expect(shown.tables.length).toBeGreaterThanOrEqual(2);
  for (const table of shown.tables) expect(table).toEqual({ visible: true, rows: expect.any(Number) });
  for (const table of shown.tables) expect(table.rows).toBeGreaterThan(1);
  // accuracy and loss, the shapes of one run per adaptive seed, and the side-by-side comparison
  expect(shown.figures.map((figure) => figure.caption)).toEqual([
    expect.stringMatching(/^Test accuracy: /),
    expect.stringMatching(/^Training loss: /),
    expect.stringMatching(/^Learned as shapes per call site, 2 runs side by side: /),
    expect.stringMatching(/^Learned as shapes per call site: tiny-as, seed 1$/),
    expect.stringMatching(/^Learned as shapes per call site: tiny-as, seed 3$/),
  ]);
  for (const figure of shown.figures) {
    expect(figure.visible).toBe(true);
    expect(figure.marks).toBeGreaterThan(0);
    expect(figure.texts).toBeGreaterThan(0);
  }
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot as `${string}.png`, fullPage: true });
  expect(fs.statSync(screenshot).size).toBeGreaterThan(10000);
  await page.close();
});
