#!/usr/bin/env node
// Builds the optional native kernels (native/, an N-API addon over oneDNN) where oneDNN's headers are installed
// (Debian: apt-get install libdnnl-dev). It never fails an install: without oneDNN, or if the build fails, it writes
// why to native/build/not-built.txt (reported at start-up) and the package runs on its wasm kernels alone.
// It runs at install (the package's install script) and at every build (make rebuilds only what changed).
//
//   node scripts/build-native.js           build, or record why not
//   TFJS_WASM_TRAINING_NATIVE=0 npm ci     skip the native kernels
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const nativeDir = path.join(__dirname, '..', 'native');
const buildDir = path.join(nativeDir, 'build');
const addon = path.join(buildDir, 'Release', 'onednn_kernels.node');
const notBuilt = path.join(buildDir, 'not-built.txt');

function skip(reason) {
  fs.rmSync(addon, { force: true });
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(notBuilt, `${reason}\n`);
  process.stdout.write(`tfjs-wasm-training: native kernels not built (${reason}); the wasm kernels run alone\n`);
  process.exit(0);
}

if (process.env.TFJS_WASM_TRAINING_NATIVE === '0') skip('TFJS_WASM_TRAINING_NATIVE=0');
if (process.platform !== 'linux') skip(`built on Linux only, this is ${process.platform}`);

const includeDirs = [process.env.DNNL_ROOT && path.join(process.env.DNNL_ROOT, 'include'), '/usr/include', '/usr/local/include'].filter(Boolean);
const dnnlInclude = includeDirs.find((dir) => fs.existsSync(path.join(dir, 'oneapi', 'dnnl', 'dnnl.hpp')));
if (!dnnlInclude) skip(`oneDNN headers not found in ${includeDirs.join(', ')}: apt-get install libdnnl-dev`);

// node-gyp would download Node's headers (no network at install time here); the installed Node has them.
const nodeDir = path.resolve(path.dirname(process.execPath), '..');
if (!fs.existsSync(path.join(nodeDir, 'include', 'node', 'node_api.h'))) skip(`Node's headers not found in ${nodeDir}/include/node`);

// npm's own node-gyp: npm names it in lifecycle scripts; otherwise it sits next to the npm that ships with Node.
const nodeGyp = [
  process.env.npm_config_node_gyp,
  path.join(nodeDir, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
].find((file) => file && fs.existsSync(file));
if (!nodeGyp) skip("npm's node-gyp not found");

const step = fs.existsSync(path.join(buildDir, 'Makefile')) ? 'build' : 'rebuild';
const result = spawnSync(process.execPath, [nodeGyp, step, `--nodedir=${nodeDir}`, '--directory', nativeDir], {
  encoding: 'utf8',
  env: { ...process.env, DNNL_INCLUDE: dnnlInclude },
});
if (result.status !== 0) {
  const output = `${result.stdout}\n${result.stderr}`;
  const firstError = output.split('\n').find((line) => /error/i.test(line)) ?? `node-gyp exited with ${result.status}`;
  skip(`the build failed: ${firstError.trim()}`);
}
fs.rmSync(notBuilt, { force: true });
