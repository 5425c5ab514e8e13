// What mail itself needs a person to know (R28): MailApp failing, the account's quota holding
// alerts back, the day's budget spent, an address refused for good, and mail working again.
// While email is down the Mail sheet (records kept in the queue's store until written) and the
// script's log carry it; once mail works, the admin (or SLT, where no admin is named) is emailed.

import {
  budgetNotice,
  failingNote,
  type MailRecord,
  type MailState,
  quotaBackNote,
  quotaShortNote,
  recoveredNotice,
  refusedNotice,
  WAITING_KEPT,
  waitingRecord,
} from '../core/mail-ledger';
import { DAILY_RECIPIENT_BUDGET, MAIL_FAILING_ALERT_MS, type QueuedMail } from '../core/mail-plan';
import type { NoticeOptions, OpsLog } from '../core/ports';
import type { SchoolSettings } from '../core/settings';
import type { MailQueueStore } from './mail-queue-store';

type Readers = Pick<SchoolSettings, 'timeZone' | 'adminEmails' | 'sltEmails'>;

export interface MailTroubleOptions {
  store: MailQueueStore;
  log: OpsLog;
  now: () => number;
  settings: () => Readers;
  dailyBudget?: number;
  /** Changes the day's mail state under the script lock; null when the lock was busy. */
  updateState: (change: (state: MailState) => MailState) => MailState | null;
  /** Queues a notice (the mail queue's own `send`). */
  send: (to: readonly string[], subject: string, body: string, options: NoticeOptions) => void;
}

/** Who hears about mail itself: the school's admins, else SLT. */
function admins(settings: Pick<SchoolSettings, 'adminEmails' | 'sltEmails'>): string[] {
  return settings.adminEmails.length > 0 ? settings.adminEmails : settings.sltEmails;
}

export class MailTrouble {
  constructor(private readonly o: MailTroubleOptions) {}

  /** While mail is down: the Mail sheet and the script's log say so (email cannot), once a spell. */
  failing(state: MailState, waiting: number): void {
    const since = state.failingSince;
    const now = this.o.now();
    if (since === null || state.failingReported || now - since < MAIL_FAILING_ALERT_MS) return;
    const note = failingNote(since, waiting, now, this.o.settings().timeZone);
    this.o.store.put([{ done: note }]);
    this.o.log.warn(
      `MAIL FAILING since ${new Date(since).toISOString()}: ${waiting} notice(s) waiting; they are sent when MailApp works again`,
    );
    this.o.updateState((s) => ({
      ...s,
      failingReported: s.failingSince === since ? true : s.failingReported,
    }));
  }

  /**
   * Alerts wait because the sending account's quota is spent: nothing was attempted, so nothing
   * failed, yet the DSL is not being told. The Mail sheet (a note once a spell, and a row for
   * each waiting alert) and the script's log say so (counts, kinds and lesson ids only); the
   * Status sheet reads the same state.
   */
  quotaShort(state: MailState, starved: ReadonlyMap<string, QueuedMail>): void {
    const q = state.quotaShort;
    if (!q) return;
    const now = this.o.now();
    // A row each for the first few (the state that remembers them is one script property).
    const fresh = [...starved.values()]
      .filter((m) => !q.listed.includes(m.id))
      .slice(0, Math.max(0, WAITING_KEPT - q.listed.length));
    if (q.reported && fresh.length === 0) return;
    const records: MailRecord[] = fresh.map((m) => waitingRecord(m, q.left, now));
    if (!q.reported) {
      records.unshift(quotaShortNote(q, now, this.o.settings().timeZone));
      const kinds = [...new Set(q.alerts.map((a) => a.kind))].join(', ');
      this.o.log.warn(
        `MAIL NOT SENT since ${new Date(q.since).toISOString()}: the automation account's daily email quota is spent (${q.left} left); ${Math.max(q.count ?? 0, q.alerts.length)} urgent notice(s) wait (${kinds}); they are sent once the quota allows`,
      );
    }
    this.o.store.put(records.map((done) => ({ done })));
    const listed = fresh.map((m) => m.id);
    this.o.updateState((s) =>
      s.quotaShort && s.quotaShort.since === q.since
        ? {
            ...s,
            quotaShort: {
              ...s.quotaShort,
              reported: true,
              listed: [...new Set([...s.quotaShort.listed, ...listed])],
            },
          }
        : s,
    );
  }

  /** The account's quota carries the waiting alerts again. */
  quotaBack(since: number): void {
    this.o.store.put([{ done: quotaBackNote(since, this.o.now(), this.o.settings().timeZone) }]);
    this.o.log.info("mail is sent again: the account's email quota carries the waiting alerts");
  }

  /** MailApp works again after a failing spell the admin was told of. */
  recovered(since: number, waiting: number, settings: Readers): void {
    const told = recoveredNotice(since, this.o.now(), waiting, settings.timeZone);
    this.o.store.put([{ done: told.record }]);
    this.o.log.info('mail works again: the waiting notices are being sent');
    this.o.send(admins(settings), told.subject, told.body, { kind: 'admin-mail-recovered' });
  }

  /** The day's recipient budget is spent: told once a day, at once. */
  budget(state: MailState, day: string, waiting: number): void {
    if (state.budgetReportedDay === day) return;
    const told = budgetNotice({
      day,
      budget: this.o.dailyBudget ?? DAILY_RECIPIENT_BUDGET,
      waiting,
      now: this.o.now(),
    });
    this.o.updateState((s) => ({ ...s, budgetReportedDay: day }));
    this.o.store.put([{ done: told.record }]);
    this.o.log.warn(`today's mail budget is spent: ${waiting} notice(s) wait for tomorrow`);
    this.o.send(admins(this.o.settings()), told.subject, told.body, {
      urgency: 'now',
      kind: 'admin-mail-budget',
    });
  }

  /** MailApp refused a notice for good: the admin is told which (never about their own address). */
  refused(mail: QueuedMail, reason: string, settings: Readers): void {
    const to = admins(settings);
    // Never about the admins' own address: that email would be refused in turn.
    if (mail.kind === 'admin-mail-refused' || mail.to.some((t) => to.includes(t))) return;
    const told = refusedNotice(mail.subject, reason);
    this.o.send(to, told.subject, told.body, { kind: 'admin-mail-refused' });
  }
}
