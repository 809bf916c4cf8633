import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { describe as describeStats, ProgressLine, type Terminal } from '../src/cli/progress.js';
import { Logger } from '../src/log.js';
import { RunStats } from '../src/stats.js';

function fakeTerminal(isTTY: boolean) {
  const written = { stdout: '', stderr: '' };
  const stream = (name: 'stdout' | 'stderr') => {
    const pass = new PassThrough() as unknown as NodeJS.WriteStream;
    pass.isTTY = isTTY;
    pass.write = ((chunk: string) => {
      written[name] += chunk;
      return true;
    }) as NodeJS.WriteStream['write'];
    return pass;
  };
  const terminal: Terminal = { stdout: stream('stdout'), stderr: stream('stderr') };
  return { terminal, written };
}

describe('ProgressLine', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is wanted only when stdout and stderr are both terminals', () => {
    expect(ProgressLine.wanted(fakeTerminal(true).terminal)).toBe(true);
    expect(ProgressLine.wanted(fakeTerminal(false).terminal)).toBe(false);
  });

  it('draws the counters on stderr and erases the line when stopped', () => {
    const { terminal, written } = fakeTerminal(true);
    const stats = new RunStats();
    stats.messagesReceived = 4;
    stats.objects = 3;
    stats.eventsSent = 1200;
    const progress = new ProgressLine(stats, terminal);

    progress.start();
    vi.advanceTimersByTime(300);
    progress.stop();

    expect(written.stderr).toContain('messages 4');
    expect(written.stderr).toContain('objects 3');
    expect(written.stderr).toContain('events 1200');
    expect(written.stderr.endsWith('\r\x1b[K')).toBe(true);
    expect(written.stdout).toBe('');
  });

  it('erases the progress line before a log line and draws it again after', () => {
    const { terminal, written } = fakeTerminal(true);
    const progress = new ProgressLine(new RunStats(), terminal);
    const logger = new Logger(0, progress.lineWriter());

    progress.start();
    vi.advanceTimersByTime(300);
    const drawnBefore = written.stderr;
    logger.info('one line');

    expect(written.stdout).toBe('INFO: one line\n');
    expect(written.stderr.slice(drawnBefore.length)).toMatch(/^\r\x1b\[K\r\x1b\[Kmessages 0/);
    progress.stop();
  });

  it('describes a rate in events per second', () => {
    const stats = new RunStats();
    stats.eventsSent = 5000;
    vi.advanceTimersByTime(2000);

    expect(describeStats(stats)).toContain('2500 events/s');
  });
});
