import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// @ts-expect-error: a plain JavaScript module without type declarations
import { findProblems, sortDatagrams } from '../scripts/demo.mjs';

const DEMO = fileURLToPath(new URL('../scripts/demo.mjs', import.meta.url));

interface DemoRun {
  code: number | null;
  lines: string[];
}

/** Runs the demo with its temporary files under `tempDir`; `onLine` may act on the output. */
function runDemo(args: string[], tempDir: string, onLine?: (line: string, pid: number) => void) {
  return new Promise<DemoRun>((resolve, reject) => {
    const child = spawn(process.execPath, [DEMO, ...args], {
      env: { ...process.env, TMPDIR: tempDir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        onLine?.(line, child.pid!);
      }
    });
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: pending ? [...lines, pending] : lines }));
  });
}

function frame(event: unknown): string {
  return `1:Wazuh-AWS:${JSON.stringify(event)}`;
}

function eventOf(key: string) {
  return { integration: 'aws', aws: { log_info: { log_file: key, s3bucket: 'b' }, x: 1 } };
}

const generated = [
  { type: 'waf', key: 'a.log.gz', records: 2 },
  { type: 'applog', key: 'b.log', records: 1 },
];
const cleanRun = { code: 0, signal: null, seconds: 1 };

describe('the demo report', () => {
  it('counts events per object key and sets aside datagrams that are not framed events', () => {
    const datagrams = [frame(eventOf('a.log.gz')), frame(eventOf('a.log.gz')),
      frame(eventOf('b.log')), '1:Other:{}', frame({ no: 'log_info' }), '1:Wazuh-AWS:{'];

    const { eventsByKey, malformed } = sortDatagrams(datagrams);

    expect(eventsByKey.get('a.log.gz')).toHaveLength(2);
    expect(eventsByKey.get('b.log')).toHaveLength(1);
    expect(malformed).toHaveLength(3);
  });

  it('finds nothing wrong when every record arrived once and the queue is empty', () => {
    const { eventsByKey, malformed } = sortDatagrams(
      [frame(eventOf('a.log.gz')), frame(eventOf('a.log.gz')), frame(eventOf('b.log'))]);

    expect(findProblems({ objects: generated, eventsByKey, malformed, run: cleanRun, depth: 0 }))
      .toEqual([]);
  });

  it('names a failed exit, messages left, a missing log type and a short object', () => {
    const { eventsByKey, malformed } = sortDatagrams([frame(eventOf('a.log.gz'))]);
    const run = { code: 12, signal: null, seconds: 1 };

    const problems = findProblems({ objects: generated, eventsByKey, malformed, run, depth: 1 });

    expect(problems).toEqual([
      'the wodle exited with 12',
      '1 message(s) left in the queue',
      'no events of log type applog',
      '2 object(s) marked ! above',
    ]);
  });

  it('names events of objects it never uploaded, and duplicates as a count mismatch', () => {
    const datagrams = [frame(eventOf('a.log.gz')), frame(eventOf('a.log.gz')),
      frame(eventOf('a.log.gz')), frame(eventOf('b.log')), frame(eventOf('elsewhere.log'))];
    const { eventsByKey, malformed } = sortDatagrams(datagrams);

    const problems = findProblems({ objects: generated, eventsByKey, malformed, run: cleanRun,
      depth: 0 });

    expect(problems).toEqual([
      '1 object(s) marked ! above',
      'events name unknown objects: elsewhere.log',
    ]);
  });

  it('takes any count from a corpus file but asks some events of each corpus log type', () => {
    const objects = [
      { type: 'cloudtrail', key: 'corpus/cloudtrail/digest.json', records: undefined },
      { type: 'cloudtrail', key: 'corpus/cloudtrail/trail.json', records: undefined },
    ];
    const none = sortDatagrams([]);
    const some = sortDatagrams([frame(eventOf('corpus/cloudtrail/trail.json'))]);

    expect(findProblems({ objects, ...none, run: cleanRun, depth: 0 }))
      .toEqual(['no events of log type cloudtrail']);
    expect(findProblems({ objects, ...some, run: cleanRun, depth: 0 })).toEqual([]);
  });
});

describe('npm run demo, end to end', () => {
  let tempDir = '';
  beforeAll(() => {
    tempDir = mkdtempSync(join(tmpdir(), 'demo-test-'));
  });
  afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

  it('delivers every generated record as one event and ends with its summary line', async () => {
    const { code, lines } = await runDemo(['--records', '15', '--files', '1', '--seed', 't'],
      tempDir);

    expect(lines.filter((line) => line.startsWith('demo: FAILED'))).toEqual([]);
    expect(lines.at(-1)).toMatch(/^demo: 90 events from 6 objects \(6 log types\) in \d+\.\d s$/);
    expect(lines).toContain('queue wazuh-demo-queue: 0 message(s) left');
    expect(code).toBe(0);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it('stops the wodle, the servers and removes its files when interrupted', async () => {
    const { code, lines } = await runDemo(['--records', '15', '--files', '1'], tempDir,
      (line, pid) => {
        if (line.startsWith('demo: running wodle/aws-s3')) process.kill(pid, 'SIGINT');
      });

    expect(lines).toContain('demo: SIGINT, cleaning up');
    expect(code).toBe(130);
    expect(readdirSync(tempDir)).toEqual([]);
  });
});
