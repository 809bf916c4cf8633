import { describe, expect, it } from 'vitest';

import { translatePythonRegex } from '../src/cli/python-regex.js';
import { ArgumentError } from '../src/errors.js';

describe('translatePythonRegex', () => {
  it('turns named groups and named backreferences into JavaScript syntax', () => {
    const regex = translatePythonRegex('(?P<word>[a-z]+)-(?P=word)');

    expect(regex.exec('abc-abc')?.groups?.word).toBe('abc');
    expect(regex.test('abc-abd')).toBe(false);
  });

  it('applies a leading inline flag group to the whole pattern', () => {
    const regex = translatePythonRegex('(?i)^error');

    expect(regex.flags).toBe('i');
    expect(regex.test('ERROR: disk full')).toBe(true);
  });

  it('accepts several leading flags and maps dotall and multiline', () => {
    const regex = translatePythonRegex('(?sm)^b.c$');

    expect(regex.test('a\nb\nc\nd')).toBe(true);
    expect(regex.flags).toBe('ms');
  });

  it('anchors \\A at the very start of the text even in multiline mode', () => {
    const regex = translatePythonRegex('(?m)\\Afoo');

    expect(regex.test('foo bar')).toBe(true);
    expect(regex.test('bar\nfoo')).toBe(false);
  });

  it('anchors \\Z at the very end, not before a final newline', () => {
    const regex = translatePythonRegex('end\\Z');

    expect(regex.test('the end')).toBe(true);
    expect(regex.test('the end\n')).toBe(false);
  });

  it("lets $ match before a final newline, as Python's $ does", () => {
    const regex = translatePythonRegex('end$');

    expect(regex.test('the end\n')).toBe(true);
    expect(regex.test('the end\nmore')).toBe(false);
  });

  it('keeps escapes, character classes and a leading ] in a class literal', () => {
    const regex = translatePythonRegex('[]$(]\\$\\(?P<x>');

    expect(regex.test(']$(P<x>')).toBe(true);
    expect(regex.test('($P<x>')).toBe(true);
    expect(regex.test('a$P<x>')).toBe(false);
  });

  it('drops (?#...) comments', () => {
    expect(translatePythonRegex('ab(?# a comment )c').test('abc')).toBe(true);
  });

  it('leaves lookarounds and non-capturing groups as they are', () => {
    const regex = translatePythonRegex('(?:ab)+(?=c)(?<!x)c');

    expect(regex.test('ababc')).toBe(true);
  });

  it('reads {,n} as {0,n} and {,} as {0,}, as Python does', () => {
    const upToTwo = translatePythonRegex('^a{,2}$');
    const any = translatePythonRegex('^ba{,}c$');

    expect(upToTwo.test('')).toBe(true);
    expect(upToTwo.test('aa')).toBe(true);
    expect(upToTwo.test('aaa')).toBe(false);
    expect(upToTwo.test('a{,2}')).toBe(false);
    expect(any.test('baaaac')).toBe(true);
  });

  it('keeps a lazy {,n}? lazy and leaves braces Python reads as text alone', () => {
    expect(translatePythonRegex('<a{,3}?').exec('<aaa')?.[0]).toBe('<');
    expect(translatePythonRegex('^a{}$').test('a{}')).toBe(true);
    expect(translatePythonRegex('^a{ ,2}$').test('a{ ,2}')).toBe(true);
  });

  it('reads \\a as the bell character, and \\x, \\u and \\U escapes with all their digits', () => {
    expect(translatePythonRegex('^\\a$').test('\x07')).toBe(true);
    expect(translatePythonRegex('^\\x41\\u00e9$').test('A\u00e9')).toBe(true);
    expect(translatePythonRegex('^\\U000000e9$').test('\u00e9')).toBe(true);
    expect(translatePythonRegex('^\\U0001F600+$').test('\u{1F600}\u{1F600}')).toBe(true);
  });

  it('allows a class escape next to a - that is no range', () => {
    const regex = translatePythonRegex('^[\\d-]+[-\\w]+[a-c-e]$');

    expect(regex.test('1-x-e')).toBe(true);
    expect(regex.test('1-x-d')).toBe(false);
  });

  it.each([
    ['\\x4', 'incomplete escape \\x4'],
    ['\\xg1', 'incomplete escape \\xg1'],
    ['a\\u12', 'incomplete escape \\u12'],
    ['\\U0000', 'incomplete escape \\U0000'],
    ['[\\d-z]', 'bad character range'],
    ['[a-\\w]', 'bad character range'],
    ['\\q', 'bad escape \\q'],
    ['\\e', 'bad escape \\e'],
    ['[\\A]', 'bad escape \\A'],
  ])('refuses %s as Python does (%s)', (pattern, reason) => {
    expect(() => translatePythonRegex(pattern)).toThrow(ArgumentError);
    expect(() => translatePythonRegex(pattern)).toThrow(reason);
  });

  it.each([
    ['(?x) a b', 'the verbose flag (?x)'],
    ['a(?i)b', 'inline flags other than at the start'],
    ['(?i:ab)', 'scoped inline flags'],
    ['(?>ab)', 'atomic groups'],
    ['(a)?(?(1)b|c)', 'conditional groups'],
    ['a*+', 'possessive quantifier'],
    ['\\N{DASH}', 'named characters'],
    ['(?P<1bad>x)', 'malformed group name'],
    ['(?L)x', "inline flag 'L'"],
    ['a{,2}+', 'possessive quantifier'],
    ['[\\U0001F600]', 'beyond U+FFFF inside a class'],
  ])('refuses %s, naming the construct', (pattern, construct) => {
    expect(() => translatePythonRegex(pattern)).toThrow(ArgumentError);
    expect(() => translatePythonRegex(pattern)).toThrow(construct);
  });

  it('reports a pattern JavaScript cannot compile as an argument error', () => {
    expect(() => translatePythonRegex('(unclosed')).toThrow(/invalid --discard-regex '\(unclosed'/);
  });
});
