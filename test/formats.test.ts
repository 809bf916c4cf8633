import { describe, expect, it } from 'vitest';

import { ParseError } from '../src/errors.js';
import { csvRow, sniffCsv, splitCsvLine } from '../src/formats/csv.js';
import { detectFormat } from '../src/formats/detect.js';
import { readTextRecords, type RawRecord } from '../src/formats/index.js';
import {
  JsonNestingError,
  JsonSplitter,
  JsonSyntaxError,
  MAX_JSON_DEPTH,
} from '../src/formats/json-splitter.js';
import { LineSplitter } from '../src/formats/lines.js';
import { MAX_RECORD_CHARS } from '../src/formats/records.js';
import { decodeText } from '../src/formats/text.js';

const location = { bucket: 'logs', key: 'test/object.log' };

/** The text cut into pieces of `size` characters, as a decoder might hand it over. */
function piecesOf(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += size) {
    pieces.push(text.slice(start, start + size));
  }
  return pieces;
}

function splitJson(text: string, pieceSize = text.length || 1, splitter = new JsonSplitter()) {
  const records = piecesOf(text, pieceSize).flatMap((piece) => splitter.push(piece));
  return [...records, ...splitter.end()].map((record) => record.text);
}

function splitLines(text: string, pieceSize: number, splitter: LineSplitter): string[] {
  const lines = piecesOf(text, pieceSize).flatMap((piece) => splitter.push(piece));
  return [...lines, ...splitter.end()];
}

async function* fromArray<T>(items: readonly T[]): AsyncGenerator<T> {
  yield* items;
}

async function records(text: string, pieceSize = 7): Promise<RawRecord[]> {
  const all: RawRecord[] = [];
  for await (const batch of readTextRecords(fromArray(piecesOf(text, pieceSize)), location)) {
    all.push(...batch);
  }
  return all;
}

async function decodeAll(chunks: readonly number[][]): Promise<string> {
  let text = '';
  for await (const piece of decodeText(fromArray(chunks.map((bytes) => Uint8Array.from(bytes))))) {
    text += piece;
  }
  return text;
}

describe('JsonSplitter', () => {
  const tricky = '{"a":"x\\"}{[\\\\","b":[1,{"c":"]"}]}\n  {"d":"\\\\"}{"e":true}';

  it('splits objects written back to back, whatever the chunk boundaries', () => {
    const expected = ['{"a":"x\\"}{[\\\\","b":[1,{"c":"]"}]}', '{"d":"\\\\"}', '{"e":true}'];
    for (let size = 1; size <= tricky.length; size++) {
      expect(splitJson(tricky, size)).toEqual(expected);
    }
  });

  it('yields each element of a Records array, not the document', () => {
    const text = '{"Records":[{"n":1},{"n":2,"s":"]}"},{"n":3}]}';
    for (let size = 1; size <= text.length; size++) {
      expect(splitJson(text, size)).toEqual(['{"n":1}', '{"n":2,"s":"]}"}', '{"n":3}']);
    }
  });

  it('skips the other members of a Records document, before and after the array', () => {
    const text = '{"version":"1", "Records" :\n [ {"n":1} ], "next":{"x":[2]}}\n{"n":4}';
    expect(splitJson(text, 3)).toEqual(['{"n":1}', '{"n":4}']);
  });

  it('unwraps every Records document of several written back to back', () => {
    const text = '{"Records":[{"n":1}]}{"Records":[]}\n{"Records":[{"n":2},{"n":3}]}';
    expect(splitJson(text, 4)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
  });

  it('keeps an object whose Records member is not an array as one record', () => {
    expect(splitJson('{"Records":"none"}')).toEqual(['{"Records":"none"}']);
  });

  it('does not unwrap a Records member nested below the top level', () => {
    expect(splitJson('{"a":{"Records":[1,2]}}')).toEqual(['{"a":{"Records":[1,2]}}']);
  });

  it('yields each element of a top-level array, nested arrays whole', () => {
    expect(splitJson('[ {"a":1}, [2,3], "s", 4 ]', 2)).toEqual(['{"a":1}', '[2,3]', '"s"', '4']);
  });

  it('yields scalars written as JSON lines', () => {
    expect(splitJson('1\nnull\n"x y"\ntrue', 1)).toEqual(['1', 'null', '"x y"', 'true']);
  });

  it('reports text cut inside a string with its offset', () => {
    const splitter = new JsonSplitter();
    splitter.push('{"a":"unterminated');
    expect(() => splitter.end()).toThrow(JsonSyntaxError);
  });

  it('reports a closing bracket that does not match', () => {
    const splitter = new JsonSplitter();
    expect(() => splitter.push('{"a":[1}')).toThrow(/wrong bracket/);
  });

  it('reports a document cut inside an object', () => {
    const splitter = new JsonSplitter();
    splitter.push('{"a":{"b":1}');
    expect(() => splitter.end()).toThrow(/ends inside an object/);
  });

  it('yields each item of an AWS Config history or snapshot file', () => {
    const text =
      '{"fileVersion":"1.0","configSnapshotId":"x","configurationItems":' +
      '[{"resourceId":"i-1","tags":{"Records":[]}},{"resourceId":"i-2"}]}';
    const items = ['{"resourceId":"i-1","tags":{"Records":[]}}', '{"resourceId":"i-2"}'];
    for (let size = 1; size <= text.length; size += 5) {
      expect(splitJson(text, size)).toEqual(items);
    }
  });
});

describe('JsonSplitter with a record size limit', () => {
  const limits = { maxRecordChars: 20 };

  it('skips a record longer than the limit, counts it, and goes on with the next', () => {
    const long = `{"s":"${'a'.repeat(50)}","t":[1,{"u":"}]"}]}`;
    const text = `{"Records":[{"n":1},${long},{"n":3}]}\n{"n":4}`;
    for (let size = 1; size <= text.length; size += 3) {
      const splitter = new JsonSplitter(limits);
      expect(splitJson(text, size, splitter)).toEqual(['{"n":1}', '{"n":3}', '{"n":4}']);
      expect(splitter.skippedRecords).toBe(1);
    }
  });

  it('skips long strings and bare values written as records of their own', () => {
    const splitter = new JsonSplitter(limits);
    const text = `"${'x'.repeat(30)}"\n${'9'.repeat(30)}\n"ok"\n7`;
    expect(splitJson(text, 4, splitter)).toEqual(['"ok"', '7']);
    expect(splitter.skippedRecords).toBe(2);
  });

  it('keeps a record exactly as long as the limit', () => {
    const splitter = new JsonSplitter(limits);
    const record = `{"s":"${'b'.repeat(12)}"}`;
    expect(record).toHaveLength(20);
    expect(splitJson(record, 6, splitter)).toEqual([record]);
    expect(splitter.skippedRecords).toBe(0);
  });

  it('does not count a long prefix of a Records document as a skipped record', () => {
    const splitter = new JsonSplitter(limits);
    const text = `{"note":"${'p'.repeat(100)}","Records":[{"n":1}]}`;
    expect(splitJson(text, 7, splitter)).toEqual(['{"n":1}']);
    expect(splitter.skippedRecords).toBe(0);
  });

  it('still reports JSON cut short inside a skipped record', () => {
    const splitter = new JsonSplitter(limits);
    splitter.push(`{"s":"${'a'.repeat(50)}`);
    expect(() => splitter.end()).toThrow(/ends inside a string/);
  });
});

describe('JsonSplitter nesting limit', () => {
  const nested = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);

  it(`accepts ${MAX_JSON_DEPTH} levels of nesting`, () => {
    expect(splitJson(nested(MAX_JSON_DEPTH), 100)).toEqual([nested(MAX_JSON_DEPTH)]);
  });

  it('stops at the first level past the limit, with its offset', () => {
    const splitter = new JsonSplitter();
    const text = '{"ok":1}\n' + '['.repeat(100_000);
    const error = (() => {
      try {
        splitter.push(text);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(JsonNestingError);
    expect(error).toBeInstanceOf(JsonSyntaxError);
    expect((error as JsonNestingError).offset).toBe(9 + MAX_JSON_DEPTH);
  });
});

describe('LineSplitter', () => {
  it('ends lines at CRLF, LF and a lone CR, across chunk boundaries', () => {
    const splitter = new LineSplitter();
    const lines = [
      ...splitter.push('a\r'),
      ...splitter.push('\nb\rc\n'),
      ...splitter.push('d'),
      ...splitter.end(),
    ];
    expect(lines.filter((line) => line !== '')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps the first characters of a line longer than the limit and counts it', () => {
    const text = `short\n${'x'.repeat(25)}yz\r\nnext\n${'w'.repeat(12)}`;
    for (let size = 1; size <= text.length; size++) {
      const splitter = new LineSplitter(10);
      const lines = splitLines(text, size, splitter).filter((line) => line !== '');
      expect(lines).toEqual(['short', 'x'.repeat(10), 'next', 'w'.repeat(10)]);
      expect(splitter.cutLines).toBe(2);
    }
  });

  it('keeps a line exactly as long as the limit whole', () => {
    const splitter = new LineSplitter(10);
    expect(splitLines('0123456789\nab', 3, splitter)).toEqual(['0123456789', 'ab']);
    expect(splitter.cutLines).toBe(0);
  });
});

describe('CSV', () => {
  it('splits quoted fields with delimiters and doubled quotes inside', () => {
    expect(splitCsvLine('a,"b,c","say ""hi""",', ',')).toEqual(['a', 'b,c', 'say "hi"', '']);
  });

  it('treats runs of spaces as one delimiter for space-separated logs', () => {
    expect(splitCsvLine('  2  eni-1  10.0.0.1 ', ' ')).toEqual(['2', 'eni-1', '10.0.0.1']);
  });

  it('finds a header with digits in its names', () => {
    const dialect = sniffCsv(['time,src_ip4,port1', '2024-01-01,10.0.0.1,443']);
    expect(dialect).toEqual({ delimiter: ',', header: ['time', 'src_ip4', 'port1'] });
  });

  it('finds semicolon and tab delimiters', () => {
    expect(sniffCsv(['time;source;action', 'abc;def;ALLOW'])?.delimiter).toBe(';');
    expect(sniffCsv(['a\tb\tc', '1\t2\t3'])?.delimiter).toBe('\t');
  });

  it('reads VPC flow logs with their header as space-separated CSV', () => {
    const dialect = sniffCsv(['version account-id srcaddr action', '2 1234 10.0.0.1 ACCEPT']);
    expect(dialect?.delimiter).toBe(' ');
  });

  it('does not take a header-less CSV for a table', () => {
    const lines = ['"2024-03-07 00:00:01","user1","Allowed"', '"2024-03-07","u2","Blocked"'];
    expect(sniffCsv(lines)).toBeUndefined();
  });

  it('does not take a few lines of prose for a space-separated table', () => {
    expect(sniffCsv(['Starting the server', 'Listening on port'])).toBeUndefined();
  });

  it('does not take names with spaces inside or around them for a header', () => {
    expect(sniffCsv(['hello, world', 'goodbye, world'])).toBeUndefined();
    expect(sniffCsv(['message one\there', 'message two\tthere'])).toBeUndefined();
    expect(sniffCsv(['start time;end time', '10:00;11:00'])).toBeUndefined();
    expect(sniffCsv(['time ,source', 't1,s1'])).toBeUndefined();
  });

  it('finds quoted headers, names with parentheses, and a header with trailing blanks', () => {
    expect(sniffCsv(['"time","source"', '"t1","s1"'])?.header).toEqual(['time', 'source']);
    expect(sniffCsv(['date\tcs(Host)', '2024-01-01\texample.com'])?.header)
      .toEqual(['date', 'cs(Host)']);
    expect(sniffCsv(['time,source  ', 't1,s1'])?.header).toEqual(['time', 'source']);
  });

  it('takes names with inner spaces only from a header quoted field by field', () => {
    expect(sniffCsv(['"Event Time","User Name"', '"2024-01-01","ana"'])?.header)
      .toEqual(['Event Time', 'User Name']);
    expect(sniffCsv(['"Event Time",User Name', '"2024-01-01",ana'])).toBeUndefined();
    expect(sniffCsv(['"hello, world","x"', '"a","b"'])).toBeUndefined();
  });

  it('does not take rows of different widths for a table', () => {
    expect(sniffCsv(['a,b,c', '1,2', '1,2,3'])).toBeUndefined();
  });

  it('needs a data row to call a header a header', () => {
    expect(sniffCsv(['a,b,c'])).toBeUndefined();
  });

  it('keys each row by the header, keeping extra values and leaving out missing ones', () => {
    const dialect = { delimiter: ',', header: ['a', 'b', 'c'] };
    const row = csvRow('1,2,3,4,5', dialect);
    expect(row).toEqual({ a: '1', b: '2', c: '3', extra_fields: ['4', '5'] });
    expect(csvRow('1', dialect)).toEqual({ a: '1' });
  });
});

describe('detectFormat', () => {
  it('calls text starting with a brace JSON', () => {
    expect(detectFormat('\n  {"a":1}', true).kind).toBe('json');
  });

  it('calls a text starting with a bracketed timestamp plain lines', () => {
    const text = '[2024-01-01 10:00:00] started\n[2024-01-01] done\n';
    expect(detectFormat(text, true).kind).toBe('lines');
  });

  it('calls a top-level array JSON even when its first element is longer than the sample', () => {
    expect(detectFormat('[{"a":"' + 'x'.repeat(100), false).kind).toBe('json');
  });

  it('calls a whole text that is one JSON scalar JSON', () => {
    expect(detectFormat('null\n', true).kind).toBe('json');
  });

  it('calls whitespace only empty', () => {
    expect(detectFormat(' \n\r\n', true).kind).toBe('empty');
  });
});

describe('readTextRecords', () => {
  it('reads JSON lines with CRLF endings and blank lines between them', async () => {
    const result = await records('{"a":1}\r\n\r\n{"a":2}\r\n');
    expect(result).toEqual([{ kind: 'json', value: { a: 1 } }, { kind: 'json', value: { a: 2 } }]);
  });

  it('reads pretty-printed objects one after another', async () => {
    const result = await records('{\n  "a": 1\n}\n{\n  "a": [2]\n}\n');
    const values = result.map((record) => record.kind === 'json' && record.value);
    expect(values).toEqual([{ a: 1 }, { a: [2] }]);
  });

  it('reads CSV rows keyed by the header and never sends the header', async () => {
    const result = await records('time;source\r\nt1;s1\r\n\r\nt2;s2\r\n');
    expect(result).toEqual([
      { kind: 'csv', fields: { time: 't1', source: 's1' } },
      { kind: 'csv', fields: { time: 't2', source: 's2' } },
    ]);
  });

  it('reads plain lines, skipping blank and NUL-only lines', async () => {
    const result = await records('first line\n\n\0\0\0\n  \nlast line');
    expect(result).toEqual([
      { kind: 'line', text: 'first line' },
      { kind: 'line', text: 'last line' },
    ]);
  });

  it('reads a top-level array whose first element is longer than the detection sample', async () => {
    const long = 'x'.repeat(100_000);
    const result = await records(`[{"a":"${long}"},{"b":2}]`, 4096);
    expect(result).toEqual([
      { kind: 'json', value: { a: long } },
      { kind: 'json', value: { b: 2 } },
    ]);
  });

  it('reports malformed JSON as a ParseError naming the object and the record', async () => {
    const failure = records('{"a":1}\n{"b": nope}\n{"c":3}\n').catch((error: unknown) => error);
    const error = await failure;
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(
      /^s3:\/\/logs\/test\/object\.log: record 2 \(from character 8\) is not valid JSON/,
    );
    expect((error as ParseError).exitCode).toBe(9);
  });

  it('yields the records before malformed JSON, then fails', async () => {
    const seen: RawRecord[] = [];
    const text = '{"a":1}\n'.repeat(3000) + '{"broken"';
    const reading = (async () => {
      const chunks = fromArray(piecesOf(text, 1000));
      for await (const batch of readTextRecords(chunks, location)) seen.push(...batch);
    })();
    await expect(reading).rejects.toThrow(ParseError);
    expect(seen).toHaveLength(3000);
  });

  it('reads each item of an AWS Config snapshot as a record of its own', async () => {
    const items = Array.from({ length: 2500 }, (_, index) => ({ resourceId: `i-${index}` }));
    const snapshot = { fileVersion: '1.0', configSnapshotId: 'abc', configurationItems: items };
    const text = JSON.stringify(snapshot);
    const result = await records(text, 4096);
    expect(result).toEqual(items.map((value) => ({ kind: 'json', value })));
  });

  it('skips a JSON record longer than the limit and reads the records after it', async () => {
    const long = 'a'.repeat(MAX_RECORD_CHARS);
    const text = `{"Records":[{"n":1},{"s":"${long}"},{"n":3}]}`;
    const result = await records(text, 64 * 1024);
    expect(result).toEqual([
      { kind: 'json', value: { n: 1 } },
      { kind: 'json', value: { n: 3 } },
    ]);
  });

  it('cuts a plain line longer than the limit and reads the lines after it', async () => {
    const text = `start ${'b'.repeat(MAX_RECORD_CHARS)}\nnext line\n`;
    const result = await records(text, 64 * 1024);
    expect(result).toEqual([
      { kind: 'line', text: `start ${'b'.repeat(MAX_RECORD_CHARS - 6)}` },
      { kind: 'line', text: 'next line' },
    ]);
  });

  it('reports JSON nested past the limit as a ParseError saying so', async () => {
    const deep = '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000);
    const failure = records(`{"ok":1}\n${deep}\n{"ok":2}\n`, 64 * 1024);
    const error = await failure.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).exitCode).toBe(9);
    expect((error as ParseError).message).toMatch(/nested more than 512 levels deep/);
  });

  it('reports a top-level array nested past the limit as a ParseError, not as text', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const error = await records(deep, 64 * 1024).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/nested more than 512 levels deep/);
  });

  it('hands records over in batches of at most 1000', async () => {
    const sizes: number[] = [];
    const text = '{"a":1}\n'.repeat(2500);
    for await (const batch of readTextRecords(fromArray([text]), location)) {
      sizes.push(batch.length);
    }
    expect(sizes).toEqual([1000, 1000, 500]);
  });
});

describe('decodeText', () => {
  it('strips a UTF-8 byte order mark', async () => {
    expect(await decodeAll([[0xef, 0xbb], [0xbf, 0x61]])).toBe('a');
  });

  it('reads UTF-16LE and UTF-16BE text announced by a byte order mark', async () => {
    expect(await decodeAll([[0xff, 0xfe, 0x7b, 0x00, 0x7d], [0x00]])).toBe('{}');
    expect(await decodeAll([[0xfe, 0xff, 0x00, 0x7b, 0x00, 0x7d]])).toBe('{}');
  });

  it('turns bytes that are not UTF-8 into replacement characters', async () => {
    expect(await decodeAll([[0x61, 0xc4, 0xe3, 0x62]])).toBe('a\ufffd\ufffdb');
  });

  it('decodes a character split across chunks whole', async () => {
    expect(await decodeAll([[0x63, 0x61, 0x66, 0xc3], [0xa9]])).toBe('café');
  });
});

describe('LineSplitter on a very long line', () => {
  it('joins a line spread over thousands of chunks once, keeping every character', () => {
    const splitter = new LineSplitter();
    const piece = 'x'.repeat(1000);
    for (let chunk = 0; chunk < 4000; chunk++) expect(splitter.push(piece)).toEqual([]);
    const [line, next] = splitter.push('end\nnext');
    expect(line).toHaveLength(4_000_003);
    expect(next).toBeUndefined();
    expect(splitter.end()).toEqual(['next']);
  });

  it(`cuts a line to its first ${MAX_RECORD_CHARS} characters by default`, () => {
    const splitter = new LineSplitter();
    const piece = 'y'.repeat(64 * 1024);
    for (let chunk = 0; chunk < 100; chunk++) expect(splitter.push(piece)).toEqual([]);
    const [line, next] = splitter.push('end\nnext');
    expect(line).toBe('y'.repeat(MAX_RECORD_CHARS));
    expect(next).toBeUndefined();
    expect(splitter.end()).toEqual(['next']);
    expect(splitter.cutLines).toBe(1);
  });
});
