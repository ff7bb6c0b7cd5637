#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): see launch.js.
// TurboFan off at the start: see src/cli/jit-policy.ts.
require('./launch.js').launch('tsnasm', { v8Flags: '--no-turbofan' });
