#!/usr/bin/env node
// The build's last step: compiles the SIMD kernels' WebAssembly text (src/simd/module-text.ts, built into dist/ by
// tsc first) into dist/simd/, one binary per kind of memory. A template error fails the build here, with one line
// naming the template file and line, instead of a user's first run. wabt is needed only here (a dev dependency).
//
//   node scripts/compile-wat.js                 compile (what `npm run build` runs)
//   node scripts/compile-wat.js --print [kind]  print the module's WebAssembly text (kind: shared or plain)
//   node scripts/compile-wat.js --dist <dir>    compile the templates built into <dir> (tests break a copy)
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const dist = path.resolve(option('--dist') ?? path.join(__dirname, '..', 'dist'));
const { simdModuleText, templateAtLine, compiledFileName, MEMORY_KINDS } = require(path.join(dist, 'simd', 'module-text.js'));

function fail(message) {
  process.stderr.write(`compile-wat: ${message}\n`);
  process.exit(1);
}

/** wabt's message names a line of the whole module ("<name>:LINE:COLUMN: error: ..."): say which template's it is. */
function templateError(error) {
  const message = String(error.message ?? error);
  const located = /:(\d+):(\d+): (error: [^\n]*)/.exec(message);
  if (!located) return message.split('\n').filter(Boolean).join(' ');
  const template = templateAtLine(Number(located[1]));
  const where = template ? `${template.file}: line ${template.line} of its WebAssembly text` : `module line ${located[1]}`;
  return `${where}, column ${located[2]}: ${located[3]}`;
}

async function main() {
  if (args.includes('--print')) {
    const kind = option('--print') ?? 'plain';
    if (!(kind in MEMORY_KINDS)) fail(`--print takes one of ${Object.keys(MEMORY_KINDS).join(', ')}, got '${kind}'`);
    process.stdout.write(`${simdModuleText(kind)}\n`);
    return;
  }
  const wabt = await require('wabt')();
  for (const kind of ['plain', ...Object.keys(MEMORY_KINDS).filter((other) => other !== 'plain')]) {
    let parsed;
    try {
      parsed = wabt.parseWat(`simd-kernels-${kind}.wat`, simdModuleText(kind), { simd: true, threads: true, bulk_memory: true });
      // wabt's validator knows no shared memories; the functions are the same in both modules.
      if (kind === 'plain') parsed.validate();
    } catch (error) {
      fail(`the SIMD kernels' WebAssembly text (${kind} memory) does not compile: ${templateError(error)}`);
    }
    const { buffer } = parsed.toBinary({});
    parsed.destroy();
    new WebAssembly.Module(buffer); // the engine that will run it accepts it
    fs.writeFileSync(path.join(dist, 'simd', compiledFileName(kind)), buffer);
  }
}

main().catch((error) => fail(error.message));
