// A live progress line for runs started by hand in a terminal. Under wazuh-modulesd stdout is a
// pipe whose every line becomes a Wazuh event, so the line is only ever drawn when both stdout
// and stderr are terminals, on stderr, and erased before the run ends.

import type { LineWriter } from '../log.js';
import type { RunStats } from '../stats.js';

const REDRAW_INTERVAL_MS = 250;
const ERASE_LINE = '\r\x1b[K';

export interface Terminal {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export class ProgressLine {
  private readonly stats: RunStats;
  private readonly terminal: Terminal;
  private timer: NodeJS.Timeout | undefined;
  private shown = false;

  constructor(stats: RunStats, terminal: Terminal = process) {
    this.stats = stats;
    this.terminal = terminal;
  }

  /** Whether a progress line makes sense here: a person watching a terminal. */
  static wanted(terminal: Terminal = process): boolean {
    return Boolean(terminal.stdout.isTTY && terminal.stderr.isTTY);
  }

  start(): void {
    this.timer = setInterval(() => this.draw(), REDRAW_INTERVAL_MS);
    this.timer.unref();
  }

  /** Erases the line for good. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.erase();
  }

  /** A log writer that keeps log lines and the progress line from overwriting each other. */
  lineWriter(): LineWriter {
    return (line) => {
      this.erase();
      this.terminal.stdout.write(`${line}\n`);
      if (this.timer) this.draw();
    };
  }

  private draw(): void {
    this.terminal.stderr.write(`${ERASE_LINE}${describe(this.stats)}`);
    this.shown = true;
  }

  private erase(): void {
    if (!this.shown) return;
    this.terminal.stderr.write(ERASE_LINE);
    this.shown = false;
  }
}

/** One short line: what was read and sent so far, and how fast. */
export function describe(stats: RunStats): string {
  const seconds = stats.elapsedSeconds();
  const rate = seconds > 0 ? Math.round(stats.eventsSent / seconds) : 0;
  return [
    `messages ${stats.messagesReceived} (${stats.messagesDeleted} deleted)`,
    `objects ${stats.objects}`,
    `events ${stats.eventsSent}`,
    `${rate} events/s`,
    `${seconds.toFixed(0)} s`,
  ].join(' | ');
}
