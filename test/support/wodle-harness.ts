// The setting every end-to-end test of the real wodle needs: fauxqs on 127.0.0.1 and a
// datagram receiver playing analysisd at <tmp>/queue/sockets/queue, where the wodle looks
// for it once WAZUH_PATH is <tmp>. Started before the tests of the calling describe block,
// stopped and removed after them.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll } from 'vitest';

// @ts-expect-error plain JavaScript helper without type declarations
import { startLocalAws } from '../../scripts/lib/local-aws.mjs';
// @ts-expect-error plain JavaScript helper without type declarations
import { startReceiver } from '../../scripts/lib/receiver.mjs';
import type { LocalAws, Receiver } from './local-harness.js';
import { wodleEnv } from './wodle-process.js';

export interface WodleHarness {
  readonly aws: LocalAws;
  readonly receiver: Receiver;
  /** Plays `<WAZUH>`: holds queue/sockets/queue; tests may put files of their own in it. */
  readonly wazuhDir: string;
  /** The environment of a wodle run against this setting (wodleEnv). */
  readonly env: NodeJS.ProcessEnv;
}

/**
 * Registers the beforeAll and afterAll hooks that start and stop the setting; its members
 * can be read from the tests on (not while the tests are being collected).
 */
export function useWodleHarness(tmpPrefix: string): WodleHarness {
  // Filled in step by step, so that afterAll undoes whatever a failing beforeAll had done.
  const state: { -readonly [K in keyof WodleHarness]?: WodleHarness[K] } = {};

  beforeAll(async () => {
    state.wazuhDir = mkdtempSync(join(tmpdir(), tmpPrefix));
    mkdirSync(join(state.wazuhDir, 'queue', 'sockets'), { recursive: true });
    state.receiver = startReceiver(join(state.wazuhDir, 'queue', 'sockets', 'queue'));
    state.aws = (await startLocalAws()) as LocalAws;
    state.env = wodleEnv(state.aws.env, state.wazuhDir);
  });

  afterAll(async () => {
    state.receiver?.stop();
    await state.aws?.stop();
    if (state.wazuhDir !== undefined) rmSync(state.wazuhDir, { recursive: true, force: true });
  });

  const member = <K extends keyof WodleHarness>(key: K): WodleHarness[K] => {
    const value = state[key];
    if (value === undefined) throw new Error(`the wodle harness has no ${key} yet`);
    return value as WodleHarness[K];
  };
  return {
    get aws() { return member('aws'); },
    get receiver() { return member('receiver'); },
    get wazuhDir() { return member('wazuhDir'); },
    get env() { return member('env'); },
  };
}
