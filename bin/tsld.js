#!/usr/bin/env node
import '../dist/src/cli/tsld.js';
