// Bucket (-b) and service (-sr) runs are not this program's job: they go, with the exact
// arguments we were given, to Wazuh's own Python wodle, which install.sh leaves in place next
// to us. Its output and exit code become ours, so wazuh-modulesd sees no difference.

import { spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join } from 'node:path';
import { constants as osConstants } from 'node:os';

import { HandoffUnavailableError } from './cli-errors.js';

/** Where a Wazuh manager keeps its Python and the aws-s3 wodle, relative to `<WAZUH>`. */
export const WAZUH_PYTHON = 'framework/python/bin/python3';
export const WAZUH_PYTHON_WODLE = 'wodles/aws/aws-s3.py';

export interface PythonWodle {
  readonly python: string;
  readonly script: string;
}

export function pythonWodleIn(wazuhDir: string): PythonWodle {
  return { python: join(wazuhDir, WAZUH_PYTHON), script: join(wazuhDir, WAZUH_PYTHON_WODLE) };
}

/**
 * Runs Wazuh's Python wodle with `argv` and resolves to its exit code; its stdout and stderr
 * are ours. Throws HandoffUnavailableError when it is not installed under `wazuhDir`.
 */
export async function handOff(
  mode: string,
  argv: readonly string[],
  wazuhDir: string,
): Promise<number> {
  const wodle = pythonWodleIn(wazuhDir);
  await requireInstalled(mode, wodle);

  const child = spawn(wodle.python, [wodle.script, ...argv], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', () => reject(new HandoffUnavailableError(mode, wodle.python)));
    child.once('exit', (code, signal) => resolve(code ?? exitCodeOfSignal(signal)));
  });
}

async function requireInstalled(mode: string, wodle: PythonWodle): Promise<void> {
  const needed = [
    { path: wodle.script, mode: constants.R_OK },
    { path: wodle.python, mode: constants.X_OK },
  ];
  for (const file of needed) {
    try {
      await access(file.path, file.mode);
    } catch {
      throw new HandoffUnavailableError(mode, file.path);
    }
  }
}

/** A child killed by a signal ends like a shell reports it: 128 + the signal number. */
function exitCodeOfSignal(signal: NodeJS.Signals | null): number {
  const number = signal ? osConstants.signals[signal] : undefined;
  return number === undefined ? 1 : 128 + number;
}
