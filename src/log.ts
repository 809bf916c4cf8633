// Output for the Wazuh administrator. wazuh-modulesd reads our stdout line by line after the
// run, logs it and forwards each line to analysisd, so every report is one short line with a
// level prefix, and nothing is ever printed per event.

export type DebugLevel = 0 | 1 | 2 | 3;

export type LineWriter = (line: string) => void;

const writeStdout: LineWriter = (line) => {
  process.stdout.write(`${line}\n`);
};

// C0 controls other than tab, DEL and the C1 controls: an object key or a message body can
// hold them, and an escape sequence must not reach a terminal or wazuh-modulesd's log raw.
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Keeps a report to one physical, printable line whatever it quotes (keys, bodies, errors):
 * line breaks become spaces, other control characters their \u escape.
 */
export function oneLine(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(CONTROL_CHARACTER, escapeCharacter);
}

function escapeCharacter(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
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
