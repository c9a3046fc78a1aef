#!/usr/bin/env node
// The `unthread` command. A file of its own, outside dist/, so that a package manager can link the
// bin before the workspace is built.
require('../dist/cli.js');
