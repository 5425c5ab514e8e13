// What the mail queue holds and has done, read from the simulated Workspace as an auditor
// would: the notices waiting in script properties, the log's Mail sheet, and the day's counts.
// The soak and the benches use these to hold "notices sent" against "notices due".

import type { MailRecord, MailState } from '../../src/core/mail-ledger';
import type { QueuedMail } from '../../src/core/mail-plan';
import type { DeployedSchool } from './deployed-school';

type Stored = QueuedMail | { done: MailRecord };

function stored(school: DeployedSchool): Stored[] {
  return Object.entries(school.ws.properties.scriptStore())
    .filter(([key]) => key.startsWith('mailq:'))
    .map(([, value]) => JSON.parse(value) as Stored);
}

/** Notices still waiting to be sent. */
export function waitingNotices(school: DeployedSchool): QueuedMail[] {
  return stored(school).filter((s): s is QueuedMail => !('done' in s));
}

/** Records of notices that ended (sent or refused) and are not yet in the Mail sheet. */
export function unrecorded(school: DeployedSchool): MailRecord[] {
  return stored(school).flatMap((s) => ('done' in s ? [s.done] : []));
}

/**
 * Runs the hourly job now, which writes what the queue sent into the Mail sheet (the minute
 * monitor leaves that to it), so a test can read the sheet as SLT would after the hour.
 */
export function recordMail(school: DeployedSchool): void {
  school.run('hourlyHousekeeping', {}, school.school.automation.email, 'trigger');
}

/** The Mail sheet, one record per row, keyed by its headers. */
export function mailRows(school: DeployedSchool): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, 'Mail');
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

/**
 * Notices that reached their recipients, per kind: the Mail sheet plus records on their way to
 * it. A digest folded from an overflow counts as the notices it carried ("carrying kind ×n").
 */
export function noticesSent(school: DeployedSchool): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (kind: string, status: string, n: number) => {
    if (!/^sent/.test(status)) return;
    const carried = /carrying ([^;(]*?)(?: after |;|\(|$)/.exec(status)?.[1];
    if (kind === 'folded' && carried) {
      for (const part of carried.split(', ')) {
        const [k, count] = part.split(' ×');
        counts.set(k!, (counts.get(k!) ?? 0) + Number(count));
      }
      return;
    }
    counts.set(kind, (counts.get(kind) ?? 0) + n);
  };
  for (const row of mailRows(school))
    add(String(row.Kind), String(row.Status), Number(row.Notices));
  for (const r of unrecorded(school)) add(r.kind, r.status, r.notices);
  return counts;
}

/** The queue's counts (today's and since it began), as the product keeps them. */
export function mailCounts(school: DeployedSchool): MailState | null {
  const value = school.ws.properties.scriptStore().mailstate;
  return value ? (JSON.parse(value) as MailState) : null;
}

/** Recipients MailApp was asked to reach between two instants (what its quota counts). */
export function recipientsBetween(school: DeployedSchool, from: number, to: number): number {
  return school.ws.mail
    .outbox()
    .filter((m) => m.at >= from && m.at < to)
    .reduce((n, m) => n + m.to.length + m.cc.length + m.bcc.length, 0);
}
