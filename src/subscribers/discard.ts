// The discard filter (`--discard-field F --discard-regex R`): an event is left out when the
// value at the dotted path F matches R at its start, as Python's re.match does. Lists met on
// the way (and a list at the end) are searched element by element: one match discards.
//
// The path is read in the record's fields as they appear inside the event's `aws` member:
// after a `detail` member was unwrapped and null members were dropped, so `--discard-field
// action` reads `aws.action`. A plain text line has no fields: R is tried on the line itself,
// whatever F says. Values that are numbers or booleans are matched as their JSON text;
// objects are never matched. Without a regex nothing is discarded.

/** True for a record to leave out. Given the record's fields, or a plain line as a string. */
export type DiscardFilter = (record: Readonly<Record<string, unknown>> | string) => boolean;

/** The filter for runs without --discard-regex. */
export const keepEverything: DiscardFilter = () => false;

export function createDiscardFilter(
  field: string | undefined,
  regex: RegExp | undefined,
): DiscardFilter {
  if (regex === undefined) return keepEverything;

  const matchesAtStart = anchoredMatcher(regex);
  const path = field === undefined || field === '' ? undefined : field.split('.');

  return (record) => {
    if (typeof record === 'string') return matchesAtStart(record);
    return path !== undefined && anyValueMatches(record, path, 0, matchesAtStart);
  };
}

/** A test that succeeds only for a match starting at index 0 (a sticky copy of the regex). */
function anchoredMatcher(regex: RegExp): (text: string) => boolean {
  const sticky = new RegExp(regex.source, regex.flags.replace(/[gy]/g, '') + 'y');
  return (text) => {
    sticky.lastIndex = 0;
    return sticky.test(text);
  };
}

function anyValueMatches(
  value: unknown,
  path: readonly string[],
  step: number,
  matches: (text: string) => boolean,
): boolean {
  if (Array.isArray(value)) {
    return value.some((item) => anyValueMatches(item, path, step, matches));
  }
  if (step === path.length) return leafMatches(value, matches);
  if (value === null || typeof value !== 'object') return false;

  const member = (value as Record<string, unknown>)[path[step]!];
  return member !== undefined && anyValueMatches(member, path, step + 1, matches);
}

function leafMatches(value: unknown, matches: (text: string) => boolean): boolean {
  if (typeof value === 'string') return matches(value);
  if (typeof value === 'number' || typeof value === 'boolean') return matches(String(value));
  return false;
}
