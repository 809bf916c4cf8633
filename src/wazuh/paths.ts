// Where the Wazuh installation is, and where analysisd listens inside it.

import { basename, dirname, join, resolve } from 'node:path';

/** Wazuh's default installation directory. */
export const DEFAULT_WAZUH_DIR = '/var/ossec';

/** analysisd's datagram socket, relative to the Wazuh directory. */
const QUEUE_SOCKET = join('queue', 'sockets', 'queue');

/**
 * The Wazuh directory: the one above `wodles/` when the wrapper was started from
 * `<WAZUH>/wodles/<module>` (it passes that directory as WAZUH_AWS_WODLE_DIR, unresolved,
 * so a symlinked installation keeps its own layout), else WAZUH_PATH, else /var/ossec.
 */
export function resolveWazuhDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromWodle = wazuhDirAboveWodles(env.WAZUH_AWS_WODLE_DIR);
  if (fromWodle !== undefined) return fromWodle;

  if (env.WAZUH_PATH) return env.WAZUH_PATH;
  return DEFAULT_WAZUH_DIR;
}

/** `<wazuhDir>/queue/sockets/queue`. */
export function queueSocketPath(wazuhDir: string): string {
  return join(wazuhDir, QUEUE_SOCKET);
}

function wazuhDirAboveWodles(wodleDir: string | undefined): string | undefined {
  if (!wodleDir) return undefined;

  const moduleDir = resolve(wodleDir);
  const wodlesDir = dirname(moduleDir);
  if (basename(wodlesDir) !== 'wodles' || moduleDir === wodlesDir) return undefined;
  return dirname(wodlesDir);
}
