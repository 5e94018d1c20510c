// jest global setup: the CLI tests run dist/, so rebuild it with tsc when any source is newer than the build.
// (Plain JavaScript: it runs before jest transforms anything.)
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..', '..');

/** The newest modification time of the files under `dir` whose names match `pattern` (0 when there are none). */
function newestMtime(dir, pattern) {
  if (!fs.existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name)) {
      newest = Math.max(newest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
    }
  }
  return newest;
}

module.exports = function freshDist() {
  const sources = Math.max(
    newestMtime(path.join(root, 'src'), /\.ts$/),
    ...['tsconfig.json', 'tsconfig.build.json'].map((file) => fs.statSync(path.join(root, file)).mtimeMs),
  );
  if (newestMtime(path.join(root, 'dist'), /\.js$/) >= sources) return;
  process.stderr.write('\njest: dist/ is older than src/; building it with tsc -p tsconfig.build.json\n');
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  if (tsc.status !== 0) {
    throw new Error(`dist/ is older than src/ and the build failed, so the CLI tests would run stale code:\n${tsc.stdout}${tsc.stderr}`);
  }
};
