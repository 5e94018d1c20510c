import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import '../src/plugins';
import { loadDataset } from '../src/data';
import { DEBIAN_FASHION_MNIST_DIR } from '../src/data/fashion-mnist';
import { datasets } from '../src/registry';
import { removeTempDirs, tempDir } from './helpers/data-fixtures';

afterAll(removeTempDirs);

const SAMPLE = path.join(__dirname, '..', 'data', 'fashion-mnist-sample');
const context = { cwd: path.join(__dirname, '..'), seed: 1 };

const labelCounts = (labels: Int32Array, classes: number) => {
  const counts = new Array(classes).fill(0);
  labels.forEach((label) => counts[label]++);
  return counts;
};

describe('fashion-mnist', () => {
  it('loads the shipped sample by a relative dir', async () => {
    const dataset = await loadDataset({ type: 'fashion-mnist', dir: 'data/fashion-mnist-sample' }, context);
    expect(dataset.train.count).toBe(2000);
    expect(dataset.test.count).toBe(500);
    expect(dataset.shape).toEqual([28, 28, 1]);
    expect(dataset.classes[9]).toBe('Ankle boot');
    expect(labelCounts(dataset.train.labels, 10).reduce((a, b) => a + b)).toBe(2000);
  });

  it("finds the files in $ACAF_CACHE/fashion-mnist before Debian's folder", async () => {
    const cache = tempDir();
    fs.cpSync(SAMPLE, path.join(cache, 'fashion-mnist'), { recursive: true });
    const saved = process.env.ACAF_CACHE;
    process.env.ACAF_CACHE = cache;
    try {
      expect((await loadDataset({ type: 'fashion-mnist' }, context)).train.count).toBe(2000);
    } finally {
      if (saved === undefined) delete process.env.ACAF_CACHE;
      else process.env.ACAF_CACHE = saved;
    }
  });

  const debian = fs.existsSync(DEBIAN_FASHION_MNIST_DIR) ? it : it.skip;
  if (!fs.existsSync(DEBIAN_FASHION_MNIST_DIR)) {
    console.warn(`skipping the full Fashion-MNIST test: ${DEBIAN_FASHION_MNIST_DIR} is absent (apt-get install dataset-fashion-mnist)`);
  }
  debian("loads the full dataset from Debian's package: 60,000/10,000 images, 6,000/1,000 per class", async () => {
    const saved = process.env.ACAF_CACHE;
    process.env.ACAF_CACHE = tempDir(); // an empty cache, so the search falls through to Debian's folder
    try {
      const dataset = await loadDataset({ type: 'fashion-mnist' }, context);
      expect(dataset.train.count).toBe(60000);
      expect(dataset.test.count).toBe(10000);
      expect(dataset.train.images).toHaveLength(60000 * 784);
      expect(labelCounts(dataset.train.labels, 10)).toEqual(new Array(10).fill(6000));
      expect(labelCounts(dataset.test.labels, 10)).toEqual(new Array(10).fill(1000));
    } finally {
      if (saved === undefined) delete process.env.ACAF_CACHE;
      else process.env.ACAF_CACHE = saved;
    }
  });
});

describe('every dataset plugin', () => {
  it.each(datasets.list().map((plugin) => [plugin.name, plugin]))(
    '%s has a strict-valid options schema whose defaults validate',
    (_, plugin) => {
      expect(plugin.description.length).toBeGreaterThan(10);
      const ajv = new Ajv({ strict: true, useDefaults: true });
      const schema = { type: 'object', properties: plugin.options, required: plugin.required ?? [], additionalProperties: false };
      const validate = ajv.compile(schema);
      const options: Record<string, unknown> = {};
      for (const name of plugin.required ?? []) options[name] = name === 'classNames' ? ['a', 'b'] : 'x';
      expect(validate(options)).toBe(true);
    },
  );
});
