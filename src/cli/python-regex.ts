// Wazuh passes `--discard-regex` through to Python's `re`, so administrators write Python
// syntax. This module rewrites the constructs whose spelling differs in JavaScript and refuses,
// by name, the ones JavaScript cannot express, so a pattern never silently means something else.
//
// Rewritten: (?P<name>...) -> (?<name>...), (?P=name) -> \k<name>, \A and \Z (absolute start
// and end), a leading inline flag group such as (?i) or (?ims), comments (?#...), `$`, which
// in Python (without MULTILINE) also matches before a final newline, `{,n}` (Python's `{0,n}`;
// JavaScript reads it as text), `\a` (the bell character) and `\UXXXXXXXX` in the BMP.
// Refused: verbose mode (?x), scoped flags (?i:...), flags not at the start, conditionals
// (?(1)a|b), atomic groups (?>...), possessive quantifiers (*+ ++ ?+ }+), \N{...} names,
// \U beyond the BMP inside a class. Refused as Python refuses them, where JavaScript would
// read a literal: \x, \u or \U without all their hex digits, escapes of ASCII letters Python
// does not know (\q, \e, \k...), and a class range with a class escape at either end ([\d-z]).
//
// Matching stays `re.search`-like: anchoring at the start (Python's re.match) is the caller's job.
// Like Python 3 str patterns, no `u` flag is needed for the syntax we accept; \w and \d match
// ASCII only in JavaScript, which differs from Python for non-ASCII letters and digits.

import { ArgumentError } from '../errors.js';

const FLAG_MAP: Readonly<Record<string, string>> = { i: 'i', m: 'm', s: 's', a: '', u: '' };

const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Python's `$` outside MULTILINE: the end, or just before a final newline. */
const PYTHON_DOLLAR = '(?=\\n?(?![\\s\\S]))';

/** Escapes of ASCII letters Python knows outside a class; in a class, the same but A, B, Z. */
const PYTHON_LETTER_ESCAPES = new Set('aAbBdDfnrsStvwWZxuUN');
const CLASS_LETTER_ESCAPES = new Set('abdDfnrsStvwWxuUN');

/** Escapes that stand for a set of characters, so cannot end a class range. */
const SET_ESCAPES = new Set('dDsSwW');

/** How many hex digits each hex escape needs in Python. */
const HEX_ESCAPE_DIGITS: Readonly<Record<string, number>> = { x: 2, u: 4, U: 8 };

/** `{,n}` and `{,}`: Python's open lower bound, which JavaScript reads as literal text. */
const OPEN_LOWER_BOUND = /^\{,(\d*)\}/;

/**
 * Where a character class stands, for Python's rule that a range cannot start or end with a
 * set escape: 'start' (nothing yet, or a range just ended), 'item' (a character that may start
 * a range), 'set' (a set escape such as \d), 'range' (a `-` is waiting for the range's end).
 */
type ClassPosition = 'start' | 'item' | 'set' | 'range';

interface Scan {
  readonly source: string;
  index: number;
  output: string;
  inClass: boolean;
  classPosition: ClassPosition;
}

/** Translates a Python `re` pattern into a JavaScript RegExp with the same meaning. */
export function translatePythonRegex(pattern: string): RegExp {
  const { flags, bodyStart } = leadingFlags(pattern);
  const scan: Scan = {
    source: pattern, index: bodyStart, output: '', inClass: false, classPosition: 'start',
  };

  while (scan.index < pattern.length) step(scan, flags.includes('m'));

  try {
    return new RegExp(scan.output, flags);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ArgumentError(`invalid --discard-regex '${pattern}': ${reason}`);
  }
}

function leadingFlags(pattern: string): { flags: string; bodyStart: number } {
  const group = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (!group) return { flags: '', bodyStart: 0 };

  let flags = '';
  for (const letter of group[1]) {
    if (letter === 'x') unsupported(pattern, 'the verbose flag (?x)');
    const mapped = FLAG_MAP[letter];
    if (mapped === undefined) unsupported(pattern, `the inline flag '${letter}'`);
    if (!flags.includes(mapped)) flags += mapped;
  }
  return { flags, bodyStart: group[0].length };
}

function step(scan: Scan, multiline: boolean): void {
  const char = scan.source[scan.index];

  if (char === '\\') return copyEscape(scan);
  if (scan.inClass) return copyClassChar(scan, char);
  if (char === '[') return openClass(scan);
  if (char === '(') return copyGroupOpening(scan);
  if (char === '$' && !multiline) return emit(scan, PYTHON_DOLLAR, 1);
  if (char === '{' && OPEN_LOWER_BOUND.test(scan.source.slice(scan.index))) {
    return copyOpenLowerBound(scan);
  }
  if (isPossessive(scan)) unsupported(scan.source, `the possessive quantifier '${char}+'`);
  emit(scan, char, 1);
}

function emit(scan: Scan, text: string, consumed: number): void {
  scan.output += text;
  scan.index += consumed;
}

/** `{,n}` becomes `{0,n}`, and `{,}` becomes `{0,}`, as Python reads them. */
function copyOpenLowerBound(scan: Scan): void {
  const [text, upper] = OPEN_LOWER_BOUND.exec(scan.source.slice(scan.index)) as RegExpExecArray;
  if (scan.source[scan.index + text.length] === '+') {
    unsupported(scan.source, `the possessive quantifier '${text}+'`);
  }
  emit(scan, `{0,${upper}}`, text.length);
}

function openClass(scan: Scan): void {
  scan.inClass = true;
  scan.classPosition = 'start';
  // A `]` right after `[` or `[^` is a literal in Python; JavaScript needs it escaped.
  const negated = scan.source[scan.index + 1] === '^';
  const opening = negated ? '[^' : '[';
  emit(scan, opening, opening.length);
  if (scan.source[scan.index] === ']') {
    emit(scan, '\\]', 1);
    scan.classPosition = 'item';
  }
}

function copyClassChar(scan: Scan, char: string): void {
  if (char === ']') {
    scan.inClass = false;
    return emit(scan, char, 1);
  }
  if (char === '-' && startsRange(scan)) return emit(scan, char, 1);

  placeClassItem(scan, false);
  // An unescaped `[` inside a class is a literal in both, but Python warns; keep it literal.
  emit(scan, char === '[' ? '\\[' : char, 1);
}

/** Whether this `-` makes a range; refuses one that would start with a set escape. */
function startsRange(scan: Scan): boolean {
  const closesClass = scan.source[scan.index + 1] === ']';
  if (closesClass || scan.classPosition === 'start' || scan.classPosition === 'range') {
    return false;
  }
  if (scan.classPosition === 'set') badRange(scan);

  scan.classPosition = 'range';
  return true;
}

/** Records one character or set escape in a class; refuses a set escape that ends a range. */
function placeClassItem(scan: Scan, isSet: boolean): void {
  if (scan.classPosition === 'range') {
    if (isSet) badRange(scan);
    scan.classPosition = 'start';
    return;
  }
  scan.classPosition = isSet ? 'set' : 'item';
}

function copyEscape(scan: Scan): void {
  const next = scan.source[scan.index + 1];
  if (next === undefined) unsupported(scan.source, 'a trailing backslash');
  checkKnownEscape(scan, next);
  if (scan.inClass) placeClassItem(scan, SET_ESCAPES.has(next));

  if (!scan.inClass && next === 'A') return emit(scan, '(?<![\\s\\S])', 2);
  if (!scan.inClass && next === 'Z') return emit(scan, '(?![\\s\\S])', 2);
  if (next === 'N') unsupported(scan.source, 'named characters \\N{...}');
  if (next === 'a') return emit(scan, '\\x07', 2);
  if (next in HEX_ESCAPE_DIGITS) return copyHexEscape(scan, next);
  emit(scan, `\\${next}`, 2);
}

/** Python refuses escapes of ASCII letters it gives no meaning; JavaScript reads the letter. */
function checkKnownEscape(scan: Scan, letter: string): void {
  if (!/[A-Za-z]/.test(letter)) return;

  const known = scan.inClass ? CLASS_LETTER_ESCAPES : PYTHON_LETTER_ESCAPES;
  if (!known.has(letter)) refused(scan.source, `bad escape \\${letter} at offset ${scan.index}`);
}

/** \xXX, \uXXXX and \UXXXXXXXX need all their digits in Python. */
function copyHexEscape(scan: Scan, letter: string): void {
  const digits = HEX_ESCAPE_DIGITS[letter] as number;
  const hex = scan.source.slice(scan.index + 2, scan.index + 2 + digits);
  if (!new RegExp(`^[0-9A-Fa-f]{${digits}}$`).test(hex)) {
    refused(scan.source, `incomplete escape \\${letter}${hex} at offset ${scan.index}`);
  }

  const consumed = 2 + digits;
  if (letter !== 'U') return emit(scan, `\\${letter}${hex}`, consumed);
  emit(scan, bmpOrSurrogates(scan, Number.parseInt(hex, 16)), consumed);
}

/** A \U code point as JavaScript writes it without the `u` flag. */
function bmpOrSurrogates(scan: Scan, codePoint: number): string {
  if (codePoint > 0x10ffff) refused(scan.source, `bad escape at offset ${scan.index}`);
  const units = String.fromCodePoint(codePoint);
  const escaped = units.split('').map((unit) => `\\u${hex4(unit.charCodeAt(0))}`).join('');
  if (units.length === 1) return escaped;

  // Two UTF-16 units: a class would take them as two separate characters.
  if (scan.inClass) unsupported(scan.source, 'a \\U code point beyond U+FFFF inside a class');
  return `(?:${escaped})`;
}

function hex4(unit: number): string {
  return unit.toString(16).padStart(4, '0');
}

function copyGroupOpening(scan: Scan): void {
  const rest = scan.source.slice(scan.index);
  if (!rest.startsWith('(?')) return emit(scan, '(', 1);

  if (rest.startsWith('(?P<')) return copyNamedGroup(scan, rest);
  if (rest.startsWith('(?P=')) return copyBackreference(scan, rest);
  if (rest.startsWith('(?#')) return skipComment(scan, rest);
  if (rest.startsWith('(?>')) unsupported(scan.source, 'atomic groups (?>...)');
  if (rest.startsWith('(?(')) unsupported(scan.source, 'conditional groups (?(...)...)');
  if (/^\(\?[a-zA-Z-]+:/.test(rest)) unsupported(scan.source, 'scoped inline flags (?flags:...)');
  if (/^\(\?[a-zA-Z]+\)/.test(rest)) {
    unsupported(scan.source, 'inline flags other than at the start of the pattern');
  }
  emit(scan, '(?', 2);
}

function copyNamedGroup(scan: Scan, rest: string): void {
  const name = groupName(scan, rest.slice(4), '>');
  emit(scan, `(?<${name}>`, 4 + name.length + 1);
}

function copyBackreference(scan: Scan, rest: string): void {
  const name = groupName(scan, rest.slice(4), ')');
  emit(scan, `\\k<${name}>`, 4 + name.length + 1);
}

function groupName(scan: Scan, text: string, terminator: string): string {
  const name = GROUP_NAME.exec(text)?.[0];
  if (!name || text[name.length] !== terminator) {
    unsupported(scan.source, `a malformed group name at offset ${scan.index}`);
  }
  return name;
}

function skipComment(scan: Scan, rest: string): void {
  const end = rest.indexOf(')');
  if (end < 0) unsupported(scan.source, 'an unterminated comment (?#...');
  scan.index += end + 1;
}

/** A quantifier followed by `+` (Python 3.11+). Escapes and classes never reach this check. */
function isPossessive(scan: Scan): boolean {
  const char = scan.source[scan.index];
  return scan.source[scan.index + 1] === '+' && '*+?}'.includes(char);
}

function badRange(scan: Scan): never {
  refused(scan.source, `bad character range at offset ${scan.index}`);
}

/** What Python's `re` itself rejects, said as Python says it. */
function refused(pattern: string, reason: string): never {
  throw new ArgumentError(`invalid --discard-regex '${pattern}': ${reason}`);
}

function unsupported(pattern: string, construct: string): never {
  throw new ArgumentError(
    `--discard-regex '${pattern}' uses ${construct}, which has no JavaScript equivalent`,
  );
}
