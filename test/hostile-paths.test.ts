/**
 * Regression cases for path traversal (issue 15, item 2): a file name read from a data file (miniImageNet CSV,
 * VOC <filename> and ImageSets ids, COCO file_name) must resolve inside the dataset's folder; `..`, absolute paths,
 * NUL bytes, backslashes and symbolic links that leave the folder are one-line errors naming the file and entry.
 */
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { fileInside } from '../src/data/files';
import { AcafError } from '../src/errors';
import { acaf } from './helpers/cli';
import { removeTempDirs, tempDir, writeMiniImageNetFolders } from './helpers/data-fixtures';

afterAll(removeTempDirs);

/** A dataset folder `data/` beside a real image `outside.png` that no entry may reach. */
async function folderWithOutsideImage(): Promise<{ work: string; data: string; outside: string }> {
  const work = tempDir();
  const data = path.join(work, 'data');
  fs.mkdirSync(data);
  const outside = path.join(work, 'outside.png');
  await sharp({ create: { width: 6, height: 6, channels: 3, background: { r: 1, g: 2, b: 3 } } })
    .png()
    .toFile(outside);
  return { work, data, outside };
}

describe('fileInside', () => {
  let data: string;
  let outside: string;
  beforeAll(async () => ({ data, outside } = await folderWithOutsideImage()));

  it.each([
    ['../outside.png', /x\.csv:2: image "\.\.\/outside\.png" points outside .*data$/],
    ['a/../../outside.png', /"a\/\.\.\/\.\.\/outside\.png" points outside/],
    ['..', /"\.\." points outside/],
    ['/etc/passwd', /"\/etc\/passwd" is an absolute path; it must be relative to .*data$/],
    ['C:/Windows/win.ini', /is an absolute path/],
    ['..\\outside.png', /"\.\.\\\\outside\.png" contains a backslash/],
    ['ok.png\0../../etc/passwd', /"ok\.png\\u0000\.\.\/\.\.\/etc\/passwd" contains a NUL byte/],
    ['', /x\.csv:2: image is empty/],
    // Found by fuzzing: '.' named the folder itself, which was then decoded as an image.
    ['.', /x\.csv:2: image "\." names the folder .*data itself, not a file in it/],
    ['./', /names the folder .* itself/],
  ])('refuses %j', (entry, pattern) => {
    expect(() => fileInside(data, entry, 'x.csv:2: image')).toThrow(AcafError);
    expect(() => fileInside(data, entry, 'x.csv:2: image')).toThrow(pattern);
  });

  it('refuses a symbolic link inside the folder that leads out of it, accepts one that stays inside', () => {
    fs.symlinkSync(outside, path.join(data, 'escape.png'));
    expect(() => fileInside(data, 'escape.png', 'x.csv:3: image')).toThrow(
      /x\.csv:3: image "escape\.png" resolves to .*outside\.png \(through a symbolic link\), outside/,
    );
    fs.mkdirSync(path.join(data, 'sub'));
    fs.symlinkSync(path.join(data, 'sub'), path.join(data, 'linked'));
    fs.writeFileSync(path.join(data, 'sub', 'in.png'), '');
    expect(fileInside(data, 'linked/in.png', 'x')).toBe(path.join(data, 'linked', 'in.png'));
    expect(fileInside(data, 'sub/./in.png', 'x')).toBe(path.join(data, 'sub', 'in.png'));
    expect(fileInside(data, 'sub/../sub/in.png', 'x')).toBe(path.join(data, 'sub', 'in.png'));
    // A folder reached through a symbolic link is the dataset's folder: its real path is what entries stay in.
    const linkedData = path.join(path.dirname(data), 'linked-data');
    fs.symlinkSync(data, linkedData);
    expect(fileInside(linkedData, 'sub/in.png', 'x')).toBe(path.join(linkedData, 'sub', 'in.png'));
  });

  it('a missing file inside the folder is left to the caller; an entry that is not text is refused', () => {
    expect(fileInside(data, 'missing.png', 'x')).toBe(path.join(data, 'missing.png'));
    expect(() => fileInside(data, 7, 'x.json: image 1 file_name')).toThrow(/^x\.json: image 1 file_name is not text$/);
  });
});

/** The CLI's stderr is one line matching `pattern`, exit code 1, and no stack trace. */
function expectOneLine(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  expect(result.code).toBe(1);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
}

it('miniImageNet: a CSV row naming ../outside.png is refused through the CLI', async () => {
  const { data } = await folderWithOutsideImage();
  await writeMiniImageNetFolders(data, { train: ['n01'], val: ['n02'], test: ['n03'] }, 2, 6, 'png');
  const csv = path.join(data, 'train.csv');
  fs.appendFileSync(csv, '../../outside.png,n01\n');
  const result = acaf(['data', 'info', '--dataset', 'mini-imagenet', '--dir', data, '--option', 'size=6']);
  expectOneLine(
    result,
    new RegExp(`^acaf: ${csv}:4: image file name "\\.\\./\\.\\./outside\\.png" points outside ${path.join(data, 'images')}$`),
  );
});

/** A detection run config on `data`, with a tiny network: the error comes while loading the data, before training. */
function detectionConfig(work: string, data: string): string {
  const config = path.join(work, 'run.yaml');
  fs.writeFileSync(
    config,
    `name: hostile
task: detection
backend: cpu
data: { ${data}, inputSize: 32 }
model:
  network: { type: resnet18, variant: standard, widthMultiplier: 0.125 }
  activation: { type: relu }
  backbone: { levels: 2 }
  head: { type: yolov3, width: 8, anchors: [[[6, 6]], [[12, 12]]] }
train: { epochs: 1, batchSize: 4, optimizer: { type: adam, lr: 0.003 } }
output: { dir: ${path.join(work, 'runs')} }
`,
  );
  return config;
}

describe('detection datasets through acaf run', () => {
  let work: string;
  let voc: string;
  let coco: string;
  beforeAll(async () => {
    ({ work } = await folderWithOutsideImage());
    voc = path.join(work, 'voc');
    coco = path.join(work, 'coco');
    expect(acaf(['detection', 'shapes', '--out', voc, '--format', 'voc', '--images', '4', '--size', '32']).code).toBe(0);
    expect(acaf(['detection', 'shapes', '--out', coco, '--format', 'coco', '--images', '4', '--size', '32']).code).toBe(0);
  });

  it('VOC: a <filename> of ../../outside.png is refused', () => {
    const xml = fs.readdirSync(path.join(voc, 'Annotations')).sort()[0];
    const xmlFile = path.join(voc, 'Annotations', xml);
    const original = fs.readFileSync(xmlFile, 'utf8');
    fs.writeFileSync(xmlFile, original.replace(/<filename>[^<]*<\/filename>/, '<filename>../../outside.png</filename>'));
    try {
      const result = acaf(['run', detectionConfig(work, `type: voc, root: ${voc}, trainSplit: train, testSplit: val`)]);
      expectOneLine(
        result,
        new RegExp(`^acaf: ${xmlFile}: <filename> "\\.\\./\\.\\./outside\\.png" points outside ${path.join(voc, 'JPEGImages')}$`),
      );
    } finally {
      fs.writeFileSync(xmlFile, original);
    }
  });

  it('VOC: an ImageSets id of ../../outside is refused', () => {
    const list = path.join(voc, 'ImageSets', 'Main', 'train.txt');
    fs.writeFileSync(list, `../../../outside\n${fs.readFileSync(list, 'utf8')}`);
    const result = acaf(['run', detectionConfig(work, `type: voc, root: ${voc}, trainSplit: train, testSplit: val`)]);
    expectOneLine(result, new RegExp(`^acaf: ${list}:1: image id "\\.\\./\\.\\./\\.\\./outside\\.xml" points outside`));
  });

  it('COCO: an absolute file_name is refused', () => {
    const file = path.join(
      coco,
      'annotations',
      fs.readdirSync(path.join(coco, 'annotations')).find((name) => name.includes('train'))!,
    );
    const instances = JSON.parse(fs.readFileSync(file, 'utf8'));
    instances.images[1].file_name = path.join(work, 'outside.png');
    fs.writeFileSync(file, JSON.stringify(instances));
    const images = path.join(coco, 'train');
    const result = acaf([
      'run',
      detectionConfig(
        work,
        `type: coco, trainAnnotations: ${file}, trainImages: ${images}, testAnnotations: ${file}, testImages: ${images}`,
      ),
    ]);
    expectOneLine(
      result,
      /^acaf: .*instances_train\.json: image \d+ file_name ".*outside\.png" is an absolute path; it must be relative to /,
    );
  });
});
