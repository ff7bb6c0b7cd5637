#!/usr/bin/env node
'use strict';
// CommonJS (bin/package.json): see launch.js.
require('./launch.js').launch('tsnasm');
