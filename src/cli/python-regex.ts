// Wazuh passes `--discard-regex` through to Python's `re`, so administrators write Python
// syntax. This module rewrites the constructs whose spelling differs in JavaScript and refuses,
// by name, the ones JavaScript cannot express, so a pattern never silently means something else.
//
// Rewritten: (?P<name>...) -> (?<name>...), (?P=name) -> \k<name>, \A and \Z (absolute start
// and end), a leading inline flag group such as (?i) or (?ims), comments (?#...), and `$`, which
// in Python (without MULTILINE) also matches before a final newline.
// Refused: verbose mode (?x), scoped flags (?i:...), flags not at the start, conditionals
// (?(1)a|b), atomic groups (?>...), possessive quantifiers (*+ ++ ?+ }+), \N{...} names.
//
// Matching stays `re.search`-like: anchoring at the start (Python's re.match) is the caller's job.
// Like Python 3 str patterns, no `u` flag is needed for the syntax we accept; \w and \d match
// ASCII only in JavaScript, which differs from Python for non-ASCII letters and digits.

import { ArgumentError } from '../errors.js';

const FLAG_MAP: Readonly<Record<string, string>> = { i: 'i', m: 'm', s: 's', a: '', u: '' };

const GROUP_NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Python's `$` outside MULTILINE: the end, or just before a final newline. */
const PYTHON_DOLLAR = '(?=\\n?(?![\\s\\S]))';

interface Scan {
  readonly source: string;
  index: number;
  output: string;
  inClass: boolean;
}

/** Translates a Python `re` pattern into a JavaScript RegExp with the same meaning. */
export function translatePythonRegex(pattern: string): RegExp {
  const { flags, bodyStart } = leadingFlags(pattern);
  const scan: Scan = { source: pattern, index: bodyStart, output: '', inClass: false };

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
  if (isPossessive(scan)) unsupported(scan.source, `the possessive quantifier '${char}+'`);
  emit(scan, char, 1);
}

function emit(scan: Scan, text: string, consumed: number): void {
  scan.output += text;
  scan.index += consumed;
}

function openClass(scan: Scan): void {
  scan.inClass = true;
  // A `]` right after `[` or `[^` is a literal in Python; JavaScript needs it escaped.
  const negated = scan.source[scan.index + 1] === '^';
  const opening = negated ? '[^' : '[';
  emit(scan, opening, opening.length);
  if (scan.source[scan.index] === ']') emit(scan, '\\]', 1);
}

function copyClassChar(scan: Scan, char: string): void {
  if (char === ']') scan.inClass = false;
  // An unescaped `[` inside a class is a literal in both, but Python warns; keep it literal.
  emit(scan, char === '[' ? '\\[' : char, 1);
}

function copyEscape(scan: Scan): void {
  const next = scan.source[scan.index + 1];
  if (next === undefined) unsupported(scan.source, 'a trailing backslash');

  if (!scan.inClass && next === 'A') return emit(scan, '(?<![\\s\\S])', 2);
  if (!scan.inClass && next === 'Z') return emit(scan, '(?![\\s\\S])', 2);
  if (next === 'N') unsupported(scan.source, 'named characters \\N{...}');
  emit(scan, `\\${next}`, 2);
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

function unsupported(pattern: string, construct: string): never {
  throw new ArgumentError(
    `--discard-regex '${pattern}' uses ${construct}, which has no JavaScript equivalent`,
  );
}
