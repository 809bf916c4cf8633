// The `--help` text, built from the option table so it cannot drift from what is parsed.

import { OPTIONS, takesValue, type OptionSpec } from './option-table.js';

export const PROGRAM_NAME = 'aws-s3';

export const USAGE = `usage: ${PROGRAM_NAME} [options]`;

const INTRO = [
  USAGE,
  '',
  "Wazuh's aws-s3 wodle, subscriber half: drains an SQS queue of S3 or EventBridge",
  'notifications and sends every event of every object to analysisd. Bucket (-b) and',
  "service (-sr) runs are handed to Wazuh's own Python wodle when it is installed.",
  '',
  'Exactly one of -b/--bucket, -sr/--service, -sb/--subscriber is required.',
  '',
];

const COLUMN = 30;
const WIDTH = 96;

export function helpText(): string {
  const wazuh = OPTIONS.filter((spec) => !spec.extension);
  const ours = OPTIONS.filter((spec) => spec.extension);

  return [
    ...INTRO,
    'options (as in Wazuh 4.14):',
    ...wazuh.map(optionLine),
    '',
    'options of this program:',
    ...ours.map(optionLine),
    '',
  ].join('\n');
}

function optionLine(spec: OptionSpec): string {
  const spellings = [spec.short, spec.long].filter(Boolean).join(', ');
  const left = `  ${spellings}${takesValue(spec) ? ` ${spec.metavar}` : ''}`;
  const [first, ...rest] = wrap(spec.help, WIDTH - COLUMN);
  const indent = ' '.repeat(COLUMN);
  const head = left.length < COLUMN ? [left.padEnd(COLUMN) + first] : [left, indent + first];
  return [...head, ...rest.map((line) => indent + line)].join('\n');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  return [...lines, line];
}
