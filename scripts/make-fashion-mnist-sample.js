#!/usr/bin/env node
// Rebuilds data/fashion-mnist-sample/ (the quickstart's offline data) from the full Fashion-MNIST IDX files,
// e.g. Debian's dataset-fashion-mnist: node scripts/make-fashion-mnist-sample.js /usr/share/datasets/fashion-mnist
// Keeps the first 2,000 training and first 500 test images, in the original gzipped IDX format.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const source = process.argv[2] || '/usr/share/datasets/fashion-mnist';
const target = path.join(__dirname, '..', 'data', 'fashion-mnist-sample');
const splits = [
  ['train', 2000],
  ['t10k', 500],
];

/** IDX: magic (2 zero bytes, type, rank), rank big-endian uint32 sizes, then the data. */
function takeFirst(file, count) {
  const idx = zlib.gunzipSync(fs.readFileSync(path.join(source, file)));
  const rank = idx[3];
  const dims = Array.from({ length: rank }, (_, i) => idx.readUInt32BE(4 + 4 * i));
  const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
  const header = Buffer.from(idx.subarray(0, 4 + 4 * rank));
  header.writeUInt32BE(count, 4);
  const body = idx.subarray(4 + 4 * rank, 4 + 4 * rank + count * itemSize);
  // mtime 0 keeps the output byte-identical across rebuilds.
  return zlib.gzipSync(Buffer.concat([header, body]), { level: 9 });
}

fs.mkdirSync(target, { recursive: true });
for (const [split, count] of splits) {
  for (const kind of ['images-idx3', 'labels-idx1']) {
    const file = `${split}-${kind}-ubyte.gz`;
    fs.writeFileSync(path.join(target, file), takeFirst(file, count));
    console.log(`wrote ${path.join(target, file)} (${count} items)`);
  }
}
