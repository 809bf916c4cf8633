// Running the real wrapper wodle/aws-s3 the way wazuh-modulesd does, for the demo and the
// benchmarks: a temporary Wazuh directory holding analysisd's socket path, an environment that
// reaches only the local emulators, and the wrapper in a process group of its own.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
export const WRAPPER = join(PROJECT_DIR, 'wodle', 'aws-s3');
const BUILT = [join('dist', 'cli', 'main.js'), join('build', 'Release', 'datagram.node')];

/** Throws when the wrapper, the compiled program or the datagram addon is missing. */
export function checkBuilt() {
  if (!existsSync(WRAPPER)) throw new Error(`${WRAPPER} is missing`);
  for (const path of BUILT) {
    if (!existsSync(join(PROJECT_DIR, path))) {
      throw new Error(`${path} is missing: run \`npm run build\` (npm ci does it) first`);
    }
  }
}

/** A new temporary `<WAZUH>` directory with queue/sockets/ ready for analysisd's socket. */
export function makeWazuhDir(prefix) {
  const wazuhDir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(wazuhDir, 'queue', 'sockets'), { recursive: true });
  return wazuhDir;
}

/** Where the wodle looks for analysisd's socket when WAZUH_PATH is wazuhDir. */
export function socketPathIn(wazuhDir) {
  return join(wazuhDir, 'queue', 'sockets', 'queue');
}

/**
 * Only what the wodle needs: PATH to find node, the emulator's endpoint and fake credentials
 * (local-aws turns the instance metadata service off), and WAZUH_PATH for the socket. HOME and
 * the AWS config paths point into the temporary directory so no profile of the user's is read.
 */
export function wodleEnvironment(wazuhDir, awsEnv, extra = {}) {
  return {
    ...extra,
    PATH: process.env.PATH,
    HOME: wazuhDir,
    AWS_CONFIG_FILE: join(wazuhDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(wazuhDir, 'no-aws-credentials'),
    WAZUH_PATH: wazuhDir,
    ...awsEnv,
  };
}

/**
 * Runs the wrapper with args and resolves with { code, signal, seconds } once it closed.
 * onStart gets the child process before any output, to read its streams; after timeoutMs,
 * onTimeout is called and the run is stopped, so a hung run still ends.
 */
export function runWrapper(args, options) {
  const { env, cwd, timeoutMs, onStart = () => {}, onTimeout = () => {} } = options;
  return new Promise((resolve, reject) => {
    const startedAt = performance.now();
    // Its own process group, so stopping it ends the wrapper and the node it starts together.
    const stdio = ['ignore', 'pipe', 'pipe'];
    const child = spawn(WRAPPER, args, { env, cwd, stdio, detached: true });
    onStart(child);
    const timer = setTimeout(() => {
      onTimeout();
      stopProcessGroup(child);
    }, timeoutMs);

    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, seconds: (performance.now() - startedAt) / 1000 });
    });
  });
}

/** Ends the wrapper's process group, the node it started included. */
export function stopProcessGroup(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // Already gone.
  }
}
