#!/usr/bin/env node
// The `clickstream` command: loads the TypeScript CLI through tsx, so no build step is needed.
require('tsx/cjs');
require('./cli.ts');
