import { describe, expect, it } from 'vitest';

import { Logger, oneLine } from '../src/log.js';

describe('Logger', () => {
  it('prints each level with its prefix, and debug lines only up to the chosen level', () => {
    const lines: string[] = [];
    const logger = new Logger(2, (line) => lines.push(line));

    logger.debug(1, 'one');
    logger.debug(3, 'three');
    logger.info('i');
    logger.warning('w');
    logger.error('e');

    expect(lines).toEqual(['DEBUG: one', 'INFO: i', 'WARNING: w', 'ERROR: e']);
  });

  it('keeps a report on one line when it quotes a key with line breaks', () => {
    const lines: string[] = [];
    new Logger(0, (line) => lines.push(line)).error('s3://b/a\r\nb\nc: not found');

    expect(lines).toEqual(['ERROR: s3://b/a b c: not found']);
  });

  it('shows control characters as escapes so none reaches a terminal raw', () => {
    expect(oneLine('key\u001b[31mred\u0007\u0000 tab\tkept \u009b')).toBe(
      'key\\u001b[31mred\\u0007\\u0000 tab\tkept \\u009b',
    );
  });

  it('leaves printable text, non-ASCII letters included, as it is', () => {
    expect(oneLine('café+tea (copy) #2 ünïcødé 日本')).toBe('café+tea (copy) #2 ünïcødé 日本');
  });
});
