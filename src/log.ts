// Output for the Wazuh administrator. wazuh-modulesd reads our stdout line by line after the
// run, logs it and forwards each line to analysisd, so every report is one short line with a
// level prefix, and nothing is ever printed per event.

export type DebugLevel = 0 | 1 | 2 | 3;

export type LineWriter = (line: string) => void;

const writeStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Keeps a line to one physical line whatever the message holds (keys, bodies, errors). */
function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

export class Logger {
  readonly debugLevel: DebugLevel;
  private readonly write: LineWriter;

  constructor(debugLevel: DebugLevel = 0, write: LineWriter = writeStdout) {
    this.debugLevel = debugLevel;
    this.write = write;
  }

  /** Printed only when `--debug` is at least `level`. Level 3 may show message bodies. */
  debug(level: 1 | 2 | 3, message: string): void {
    if (this.debugLevel >= level) this.write(`DEBUG: ${oneLine(message)}`);
  }

  info(message: string): void {
    this.write(`INFO: ${oneLine(message)}`);
  }

  warning(message: string): void {
    this.write(`WARNING: ${oneLine(message)}`);
  }

  error(message: string): void {
    this.write(`ERROR: ${oneLine(message)}`);
  }
}
