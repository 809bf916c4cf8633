// Runs the real program as wazuh-modulesd would, through the wodle/aws-s3 wrapper, with an
// environment that points it at the local emulator only: explicit endpoints, fake
// credentials, no instance metadata, no ~/.aws of the machine.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CHECKOUT = resolve(import.meta.dirname, '../..');
export const WRAPPER = join(CHECKOUT, 'wodle', 'aws-s3');
export const PROGRAM = join(CHECKOUT, 'dist', 'cli', 'main.js');

export interface WodleRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout lines with a level prefix, in order. */
  readonly lines: string[];
}

/** What is missing for the program to run, or undefined when it can. */
export function missingBuild(): string | undefined {
  if (!existsSync(PROGRAM)) return `${PROGRAM} is missing: run npm run build first`;
  return undefined;
}

export function wodleEnv(awsEnv: Record<string, string>, wazuhDir: string): NodeJS.ProcessEnv {
  const home = join(wazuhDir, 'home');
  mkdirSync(home, { recursive: true });
  return {
    PATH: process.env.PATH,
    HOME: home,
    AWS_CONFIG_FILE: join(home, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
    WAZUH_PATH: wazuhDir,
    ...awsEnv,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export function runWodle(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<WodleRun> {
  const command = existsSync(WRAPPER) ? WRAPPER : process.execPath;
  const argv = command === WRAPPER ? [...args] : [PROGRAM, ...args];

  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString('utf8'); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });

    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`wodle did not end within ${timeoutMs} ms; stdout: ${stdout}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').filter((line) => /^(DEBUG|INFO|WARNING|ERROR): /.test(line));
      resolvePromise({ exitCode, stdout, stderr, lines });
    });
  });
}
