#!/usr/bin/env node
// `npm run docs`: rewrites what the docs generate from the plugin registries (run after `npm run build`): the plugin
// table in README.md and docs/config-reference.md. test/readme.test.ts and test/reference.test.ts check both.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
require(path.join(root, 'dist', 'plugins'));
const { pluginTableMarkdown, pluginTableMarkers } = require(path.join(root, 'dist', 'config', 'plugin-table'));
const { configReferenceMarkdown } = require(path.join(root, 'dist', 'config', 'reference'));

const readmeFile = path.join(root, 'README.md');
const readme = fs.readFileSync(readmeFile, 'utf8');
const start = readme.indexOf(pluginTableMarkers.start);
const end = readme.indexOf(pluginTableMarkers.end);
if (start < 0 || end < start) {
  console.error(`update-docs: README.md has no plugin table markers (${pluginTableMarkers.start} ... ${pluginTableMarkers.end})`);
  process.exit(1);
}
const table = `${pluginTableMarkers.start}\n${pluginTableMarkdown()}\n`;
fs.writeFileSync(readmeFile, readme.slice(0, start) + table + readme.slice(end));
fs.writeFileSync(path.join(root, 'docs', 'config-reference.md'), configReferenceMarkdown());
console.log('update-docs: wrote the plugin table in README.md and docs/config-reference.md');
