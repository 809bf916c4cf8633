// The one INFO line that closes a run: what was done and how long it took.

import type { RunStats } from '../stats.js';

export function summaryLine(stats: RunStats): string {
  const messages = [`${stats.messagesDeleted} deleted`];
  if (stats.messagesFailed > 0) messages.push(`${stats.messagesFailed} failed`);
  // Failed, interrupted or dry-run messages: they come back in a later run.
  const left = stats.messagesReceived - stats.messagesDeleted;
  if (left > 0) messages.push(`${left} left in the queue`);

  const extras = [
    [stats.eventsDiscarded, 'events discarded'],
    [stats.eventsTrimmed, 'events trimmed'],
    [stats.eventsTooLarge, 'events too large'],
    [stats.sendRetries, 'send retries'],
    [stats.reconnects, 'reconnects'],
    [stats.deliveriesRepeated, 'repeated deliveries not processed again'],
  ] as const;
  const notable = extras.filter(([count]) => count > 0).map(([count, what]) => `${count} ${what}`);

  const seconds = stats.elapsedSeconds().toFixed(1);
  return `Processed ${stats.messagesReceived} messages (${messages.join(', ')}), ` +
    `${stats.objects} objects, ${stats.eventsSent} events, ${stats.bytes} bytes ` +
    `in ${seconds} s` + (notable.length > 0 ? `; ${notable.join(', ')}` : '');
}
