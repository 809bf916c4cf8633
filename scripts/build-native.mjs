// Builds the datagram addon with node-gyp against the headers of the Node.js that runs this
// script. Passing --nodedir ourselves keeps the build offline: without it node-gyp downloads
// Node's headers, and nobody's npm configuration can be relied on to say where they are.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = dirname(dirname(fileURLToPath(import.meta.url)));
const nodeDir = dirname(dirname(process.execPath));
const headers = join(nodeDir, 'include', 'node', 'node_api.h');

if (!existsSync(headers)) {
  console.error(`build-native: Node.js headers not found at ${headers}.`);
  console.error('build-native: install the headers that match this Node.js (Debian: nodejs-dev, ' +
    'or use an official Node.js tarball, which ships them).');
  process.exit(1);
}

const require = createRequire(import.meta.url);
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`], {
  cwd: projectDir,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
