// Per-message ERROR and per-object WARNING lines, folded. wazuh-modulesd forwards every line
// we print to analysisd, and a message we cannot handle stays in the queue and comes back
// every run, so 200 junk messages would mean 200 alerts each interval. The first few reports
// of each kind are printed in full, which is enough to diagnose; the rest of a run are
// counted, and close() prints one line per kind with the count and the first few subjects.
// The first failure's line is always printed first: modulesd quotes the first ERROR line.

import type { Logger } from '../log.js';

/** Reports of one kind printed in full before the rest are folded. */
export const REPORTS_IN_FULL = 5;

/** Subjects named in a closing line. */
const SUBJECTS_NAMED = 5;

export interface ReportKind {
  /** Tells kinds apart; reports of the same key fold together. */
  readonly key: string;
  /** Completes "N more ..." in the closing line, e.g. "messages could not be read". */
  readonly more: string;
  /** What the subjects are, e.g. "ids" or "objects". */
  readonly subjects: string;
}

interface Folded {
  readonly level: 'error' | 'warning';
  readonly kind: ReportKind;
  printed: number;
  folded: number;
  readonly named: string[];
}

export class FoldedReports {
  private readonly logger: Logger;
  private readonly inFull: number;
  private readonly kinds = new Map<string, Folded>();

  constructor(logger: Logger, inFull = REPORTS_IN_FULL) {
    this.logger = logger;
    this.inFull = inFull;
  }

  error(kind: ReportKind, subject: string, line: string): void {
    this.report('error', kind, subject, line);
  }

  warning(kind: ReportKind, subject: string, line: string): void {
    this.report('warning', kind, subject, line);
  }

  /** One closing line per kind that had reports folded; call once, at the end of the run. */
  close(): void {
    for (const entry of this.kinds.values()) {
      if (entry.folded === 0) continue;

      const more = entry.folded > entry.named.length ? ', ...' : '';
      const line = `${entry.folded} more ${entry.kind.more} ` +
        `(${entry.kind.subjects} ${entry.named.join(', ')}${more})`;
      this.logger[entry.level](line);
    }
    this.kinds.clear();
  }

  private report(level: Folded['level'], kind: ReportKind, subject: string, line: string): void {
    const entry = this.entryFor(level, kind);
    if (entry.printed < this.inFull) {
      entry.printed++;
      this.logger[level](line);
      return;
    }

    entry.folded++;
    if (entry.named.length < SUBJECTS_NAMED) entry.named.push(subject);
    this.logger.debug(1, line);
  }

  private entryFor(level: Folded['level'], kind: ReportKind): Folded {
    const key = `${level}:${kind.key}`;
    let entry = this.kinds.get(key);
    if (entry === undefined) {
      entry = { level, kind, printed: 0, folded: 0, named: [] };
      this.kinds.set(key, entry);
    }
    return entry;
  }
}
