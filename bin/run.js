#!/usr/bin/env node
// The `acaf` command. Commands are compiled to dist/ by `npm run build` (run by `npm install`).
require('@oclif/core').execute({ dir: __dirname });
