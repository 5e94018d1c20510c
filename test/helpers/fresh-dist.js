// jest global setup: the CLI tests run dist/ (and acaf imports the wasm package's dist/), so rebuild each when any of its
// sources is newer than its build.
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

/** Runs a build step (node with `args`, in `cwd`); a failure means the tests would run stale code. */
function build(cwd, args, what) {
  const step = spawnSync(process.execPath, args, { cwd, encoding: 'utf8' });
  if (step.status !== 0)
    throw new Error(`${what} is older than its sources and the build failed, so tests would run stale code:\n${step.stdout}${step.stderr}`);
}

/** The wasm training package (packages/tfjs-wasm-training): acaf imports its dist/, which has the compiled kernels. */
function freshPackageDist() {
  const pkg = path.join(root, 'packages', 'tfjs-wasm-training');
  const sources = Math.max(
    newestMtime(path.join(pkg, 'src'), /\.ts$/),
    ...['tsconfig.json', 'tsconfig.build.json', 'scripts/compile-wat.js'].map((file) => fs.statSync(path.join(pkg, file)).mtimeMs),
  );
  if (Math.min(newestMtime(path.join(pkg, 'dist'), /\.js$/), newestMtime(path.join(pkg, 'dist'), /\.wasm$/)) >= sources) return;
  process.stderr.write('\njest: packages/tfjs-wasm-training/dist/ is older than its src/; building it\n');
  build(pkg, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], 'packages/tfjs-wasm-training/dist/');
  build(pkg, ['scripts/compile-wat.js'], 'packages/tfjs-wasm-training/dist/');
}

module.exports = function freshDist() {
  freshPackageDist();
  const sources = Math.max(
    newestMtime(path.join(root, 'src'), /\.ts$/),
    ...['tsconfig.json', 'tsconfig.build.json'].map((file) => fs.statSync(path.join(root, file)).mtimeMs),
  );
  if (newestMtime(path.join(root, 'dist'), /\.js$/) >= sources) return;
  process.stderr.write('\njest: dist/ is older than src/; building it with tsc -p tsconfig.build.json\n');
  build(root, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], 'dist/');
};
