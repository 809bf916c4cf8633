// install.sh and uninstall.sh against a fake Wazuh tree in a temp dir, with a fake Python wodle
// (framework/python/bin/python3 is a shell script recording its argv) to check the hand-off of
// bucket and service runs through the installed wrapper.

import { spawnSync } from 'node:child_process';
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const CHECKOUT = resolve(import.meta.dirname, '..');
const INSTALL = join(CHECKOUT, 'scripts/install.sh');
const UNINSTALL = join(CHECKOUT, 'scripts/uninstall.sh');

// Distinct bytes (no final newline, a tab, a non-ASCII byte) so a byte-for-byte check means it.
const ORIGINAL_WRAPPER = '#!/bin/sh\n# Wazuh generic wrapper\t(fake) \u00e9\nexec true "$@"';
const FAKE_PYTHON_EXIT = 7;

const trees: string[] = [];

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const result = spawnSync(command, args, {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A Wazuh tree with its aws-s3 wrapper, aws-s3.py and a python3 that records its argv. */
function fakeWazuh({ withWrapper = true, withPython = true } = {}): string {
  const wazuh = mkdtempSync(join(tmpdir(), 'fake-wazuh-'));
  trees.push(wazuh);
  mkdirSync(join(wazuh, 'wodles/aws'), { recursive: true });
  if (withWrapper) {
    writeFileSync(join(wazuh, 'wodles/aws/aws-s3'), ORIGINAL_WRAPPER);
    chmodSync(join(wazuh, 'wodles/aws/aws-s3'), 0o751);
  }
  if (withPython) addFakePython(wazuh);
  return wazuh;
}

function addFakePython(wazuh: string): void {
  mkdirSync(join(wazuh, 'framework/python/bin'), { recursive: true });
  writeFileSync(join(wazuh, 'wodles/aws/aws-s3.py'), '# stands in for Wazuh\'s wodle\n');
  const python = join(wazuh, 'framework/python/bin/python3');
  writeFileSync(python, [
    '#!/bin/sh',
    `for arg in "$@"; do printf '%s\\n' "$arg"; done > "${wazuh}/python-argv"`,
    'echo "INFO: fake python wodle ran"',
    `exit ${FAKE_PYTHON_EXIT}`,
    '',
  ].join('\n'));
  chmodSync(python, 0o755);
}

function recordedArgv(wazuh: string): string[] {
  return readFileSync(join(wazuh, 'python-argv'), 'utf8').split('\n').slice(0, -1);
}

function install(wazuh: string): Run {
  const result = run(INSTALL, [wazuh]);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result;
}

beforeAll(() => {
  const built = existsSync(join(CHECKOUT, 'dist/cli/main.js')) &&
    existsSync(join(CHECKOUT, 'build/Release/datagram.node'));
  if (!built) throw new Error('build first: npm run build (npm test does it)');
});

afterEach(() => {
  for (const tree of trees.splice(0)) rmSync(tree, { recursive: true, force: true });
});

describe('install.sh', () => {
  it('replaces the wrapper, keeps the original byte for byte and installs the program', () => {
    const wazuh = fakeWazuh();
    install(wazuh);

    const wrapper = readFileSync(join(wazuh, 'wodles/aws/aws-s3'), 'utf8');
    expect(wrapper).toBe(readFileSync(join(CHECKOUT, 'wodle/aws-s3'), 'utf8'));
    expect(statSync(join(wazuh, 'wodles/aws/aws-s3')).mode & 0o777).toBe(0o750);
    expect(readFileSync(join(wazuh, 'wodles/aws-subscriber/original/aws-s3'), 'utf8'))
      .toBe(ORIGINAL_WRAPPER);
    expect(existsSync(join(wazuh, 'wodles/aws-subscriber/dist/cli/main.js'))).toBe(true);
    expect(existsSync(join(wazuh, 'wodles/aws-subscriber/node_modules/@aws-sdk/client-sqs')))
      .toBe(true);
    expect(existsSync(join(wazuh, 'wodles/aws-subscriber/node_modules/vitest'))).toBe(false);
  });

  it('keeps the original, not its own wrapper, when run twice', () => {
    const wazuh = fakeWazuh();
    install(wazuh);
    install(wazuh);

    expect(readFileSync(join(wazuh, 'wodles/aws-subscriber/original/aws-s3'), 'utf8'))
      .toBe(ORIGINAL_WRAPPER);
  });

  it('says so and continues when the wazuh group does not exist', () => {
    const hasWazuhGroup = readFileSync('/etc/group', 'utf8').split('\n')
      .some((line) => line.startsWith('wazuh:'));
    const result = install(fakeWazuh());

    if (hasWazuhGroup) expect(result.stdout).not.toContain("group 'wazuh' does not exist");
    else expect(result.stdout).toContain("group 'wazuh' does not exist");
  });

  it('refuses a directory that is no Wazuh installation', () => {
    const notWazuh = mkdtempSync(join(tmpdir(), 'not-wazuh-'));
    trees.push(notWazuh);
    const result = run(INSTALL, [notWazuh]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('does not look like a Wazuh installation');
  });

  it('refuses a Node.js older than 20 and says what to do', () => {
    const wazuh = fakeWazuh();
    const oldNode = join(wazuh, 'old-node');
    writeFileSync(oldNode, '#!/bin/sh\necho v18.19.0\n');
    chmodSync(oldNode, 0o755);
    const result = run(INSTALL, [wazuh], { WAZUH_AWS_NODE: oldNode });

    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/Node.js 20 or newer is required.*v18.19.0/);
    expect(existsSync(join(wazuh, 'wodles/aws-subscriber'))).toBe(false);
  });
});

describe('the installed wrapper', () => {
  it('hands a bucket run to the Python wodle with the exact argv, output and exit code', () => {
    const wazuh = fakeWazuh();
    install(wazuh);
    const args = ['--bucket', 'my-logs', '--type', 'cloudtrail', '-d', '2', '-l', 'A B/C'];
    const result = run(join(wazuh, 'wodles/aws/aws-s3'), args);

    expect(result.status).toBe(FAKE_PYTHON_EXIT);
    expect(result.stdout).toBe('INFO: fake python wodle ran\n');
    expect(recordedArgv(wazuh)).toEqual([join(wazuh, 'wodles/aws/aws-s3.py'), ...args]);
  });

  it('hands a service run on, with --opt=value spellings untouched', () => {
    const wazuh = fakeWazuh();
    install(wazuh);
    const args = ['-sr=cloudwatchlogs', '--aws_log_groups=group-a', '--regions=us-east-1'];
    const result = run(join(wazuh, 'wodles/aws/aws-s3'), args);

    expect(result.status).toBe(FAKE_PYTHON_EXIT);
    expect(recordedArgv(wazuh).slice(1)).toEqual(args);
  });

  it('finds its Wazuh through a symlink from another tree, by the directory it was run from', () => {
    const installed = fakeWazuh();
    install(installed);
    const other = fakeWazuh();
    const link = join(other, 'wodles/aws/aws-s3-link');
    symlinkSync(join(installed, 'wodles/aws-subscriber/wodle/aws-s3'), link);

    const result = run(link, ['-b', 'my-logs']);

    expect(result.status).toBe(FAKE_PYTHON_EXIT);
    expect(existsSync(join(other, 'python-argv'))).toBe(true);
    expect(existsSync(join(installed, 'python-argv'))).toBe(false);
  });

  it('ends a bucket run with 12 and one ERROR line when the Python wodle is absent', () => {
    const wazuh = fakeWazuh({ withPython: false });
    install(wazuh);
    const result = run(join(wazuh, 'wodles/aws/aws-s3'), ['-b', 'my-logs']);

    expect(result.status).toBe(12);
    expect(result.stdout).toMatch(/^ERROR: bucket runs need Wazuh's Python aws-s3 wodle/);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('uninstall.sh', () => {
  it("restores Wazuh's wrapper byte for byte with its mode, and removes the program", () => {
    const wazuh = fakeWazuh();
    install(wazuh);
    install(wazuh);
    const result = run(UNINSTALL, [wazuh]);

    expect(result.status).toBe(0);
    const wrapper = join(wazuh, 'wodles/aws/aws-s3');
    expect(readFileSync(wrapper).equals(Buffer.from(ORIGINAL_WRAPPER))).toBe(true);
    expect(statSync(wrapper).mode & 0o777).toBe(0o751);
    expect(existsSync(join(wazuh, 'wodles/aws-subscriber'))).toBe(false);
  });

  it('removes its wrapper when Wazuh had none to restore', () => {
    const wazuh = fakeWazuh({ withWrapper: false });
    install(wazuh);
    expect(run(UNINSTALL, [wazuh]).status).toBe(0);

    expect(existsSync(join(wazuh, 'wodles/aws/aws-s3'))).toBe(false);
    expect(existsSync(join(wazuh, 'wodles/aws-subscriber'))).toBe(false);
  });

  it('does nothing, successfully, when nothing is installed', () => {
    const result = run(UNINSTALL, [fakeWazuh()]);

    expect(result.status).toBe(0);
    expect(readFileSync(join(fakeWazuh(), 'wodles/aws/aws-s3'), 'utf8')).toBe(ORIGINAL_WRAPPER);
  });
});
