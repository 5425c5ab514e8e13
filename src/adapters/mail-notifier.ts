// Email to SLT, the DSL and teachers, as a durable queue (issue 9). `send` stores the notice
// in script properties before anything else, so a MailApp failure loses nothing; a 'now'
// notice (an alert) then tries to leave at once. `flush` sends what is due, as the pure plan
// (core/mail-plan.ts) says: alerts first, within MailApp's real quota; the rest grouped per
// recipient, within the day's budget. A notice is done only once MailApp accepted it for every
// recipient; a failure backs off and is retried. What left is recorded for the Mail sheet.
//
// A lost answer (MailApp threw, yet the email may have left) is judged from MailApp's quota
// (mail-delivery.ts). Where it cannot be known, the product errs towards sending again, and
// says so in the Mail sheet: a notice that arrives twice costs a moment's reading; a lost alert
// can cost a child's safety. What mail itself needs a person to know is in mail-trouble.ts.
// doc: https://developers.google.com/apps-script/reference/mail/mail-app

import { isBug, isFailure, mustRethrow } from '../core/errors';
import {
  addTally,
  compactRecords,
  emptyState,
  emptyTally,
  type MailRecord,
  type MailState,
  type MailTally,
  mergeTally,
  noteQuotaShort,
  onDay,
  quotaSpentWhy,
  refusedRecord,
  reserve,
  sentRecord,
  settle,
  waitingAlert,
} from '../core/mail-ledger';
import {
  DAILY_RECIPIENT_BUDGET,
  fitsQueue,
  foldInto,
  leasedByOther,
  newNotice,
  noticeBytes,
  planFlush,
  type QueuedMail,
  retryAt,
  type Urgency,
} from '../core/mail-plan';
import type {
  AlertMail,
  MailFlushReport,
  Mutex,
  NoticeOptions,
  Notifier,
  OpsLog,
  OutgoingNotice,
  WorkBudget,
} from '../core/ports';
import type { SchoolSettings } from '../core/settings';
import { localDate } from '../core/time';
import { MailDelivery } from './mail-delivery';
import { MailQueueStore, type StoredNotice } from './mail-queue-store';
import type { MailLedgerSheet } from './mail-sheet';
import { MailTrouble } from './mail-trouble';

/** A notice this execution will send itself stays its own this long; then the automation takes it. */
const OWN_LEASE_MS = 2 * 60_000;
/** A notice being sent is leased for the flush's time and this margin. */
const SEND_LEASE_MARGIN_MS = 60_000;
/** An alert tried at once may go on starting emails for this long. */
export const ALERT_GRACE_MS = 30_000;
/**
 * An alert raised after the run's hard stop (4.75 minutes into a monitor run) is tried at once
 * only this soon after it; later, it waits in the queue for the next run, a minute away. The hard
 * stop, this and a minute's wait on an answer that never comes stay under Apps Script's 6-minute
 * limit: a send started later could be killed mid-way, its record lost and the alert sent twice.
 */
export const ALERT_AFTER_STOP_MS = 10_000;
/** Two failures in a row: MailApp is down; this execution leaves the rest in the queue. */
const FAILURES_TO_STOP = 2;
const LOCK_WAIT_MS = 10_000;

export interface MailNotifierOptions {
  mail: Pick<GoogleAppsScript.Mail.MailApp, 'sendEmail' | 'getRemainingDailyQuota'>;
  props: GoogleAppsScript.Properties.Properties;
  mutex: Mutex;
  log: OpsLog;
  now: () => number;
  /** The account MailApp sends as (whose quota it spends). */
  sender: string;
  executionId: string;
  /** 'all': the automation sends every due notice; 'own': a person's execution sends what it queued. */
  scope: 'all' | 'own';
  settings: () => Pick<SchoolSettings, 'timeZone' | 'adminEmails' | 'sltEmails'>;
  /** The run's time budget: an alert raised after it waits for the next run's flush. */
  budget: WorkBudget;
  /** The log's Mail sheet; null where the log cannot be written (a teacher's execution). */
  sheet: MailLedgerSheet | null;
  dailyBudget?: number;
}

type Readers = Pick<SchoolSettings, 'timeZone' | 'adminEmails' | 'sltEmails'>;

/** What handing a claim's emails to MailApp came to. */
interface Sent {
  tally: MailTally;
  /** Recipients of 'soon' emails booked but not sent, with their pacing mark before the booking. */
  unsentSoon: Record<string, number | null>;
  records: MailRecord[];
  /** MailApp's quota left, as far as this run knows. */
  tracked: number;
  quotaSpent: boolean;
}

interface RunResult {
  report: MailFlushReport;
  sent: Set<string>;
}

/** What a flush books under the lock before it sends. */
interface Claim {
  plan: ReturnType<typeof planFlush>;
  notices: Map<string, QueuedMail>;
  reserved: number;
  before: Record<string, number | null>;
  state: MailState;
  done: MailRecord[];
  waiting: number;
  /** Alerts due that the quota left cannot carry (the plan's `starved`). */
  starved: QueuedMail[];
  /** Every notice in the queue when the plan was made. */
  queued: Set<string>;
}

export class MailNotifier implements Notifier, AlertMail {
  private readonly store: MailQueueStore;
  /** Notices this execution queued and sends itself. */
  private readonly own = new Set<string>();
  /** Notices the store could not take (it is full): sent from memory by this execution if possible. */
  private readonly unstored: QueuedMail[] = [];
  /** Folded or unstorable notices not yet counted in the day's state. */
  private pending: MailTally = emptyTally();
  private queueBytes: number | null = null;
  private failuresInARow = 0;
  /** Why the last alert waits, when the quota held it back (for the card of who raised it). */
  private held: string | null = null;
  /** Alerts queued by `sendAll` with `hold`, to send at once on `release`. */
  private readonly heldAlerts: string[] = [];
  private serial = 0;

  private readonly delivery: MailDelivery;
  private readonly trouble: MailTrouble;

  constructor(private readonly o: MailNotifierOptions) {
    this.store = new MailQueueStore(o.props);
    this.delivery = new MailDelivery({
      mail: o.mail,
      log: o.log,
      now: o.now,
      othersSending: () => this.store.othersSending(o.executionId, o.sender, o.now()),
    });
    this.trouble = new MailTrouble({
      store: this.store,
      log: o.log,
      now: o.now,
      settings: o.settings,
      dailyBudget: o.dailyBudget,
      updateState: (change) => this.updateState(change),
      send: (to, subject, body, options) => this.send(to, subject, body, options),
    });
  }

  send(to: readonly string[], subject: string, body: string, options: NoticeOptions = {}): void {
    this.sendAll([{ to, subject, body, ...options }]);
  }

  sendAll(notices: readonly OutgoingNotice[], options: { hold?: boolean } = {}): void {
    const alerts: string[] = [];
    for (const n of notices) {
      const urgency = n.urgency ?? 'soon';
      const mail = this.enqueue(n.to, n.subject, n.body, urgency, n.kind);
      if (mail && urgency === 'now') alerts.push(mail.id);
    }
    this.heldAlerts.push(...alerts);
    if (!options.hold) this.release();
  }

  release(): void {
    const alerts = this.heldAlerts.splice(0);
    if (alerts.length > 0) this.tryAtOnce(alerts);
  }

  /** An alert that must be known to have left: queued, then sent at once if MailApp takes it. */
  alert(to: readonly string[], subject: string, body: string): boolean {
    this.held = null;
    const mail = this.enqueue(to, subject, body, 'now');
    return mail !== null && this.tryAtOnce([mail.id]);
  }

  heldBecause(): string | null {
    return this.held;
  }

  flush(stopAt: number, options: { record?: boolean } = {}): MailFlushReport {
    this.recordNow = options.record ?? true;
    // Nothing starts after the caller's time is up: even reading the quota may wait a minute.
    if (this.o.now() >= stopAt) return emptyReport();
    try {
      if (this.o.scope === 'own') {
        const mine = new Set([...this.own, ...this.unstored.map((m) => m.id)]);
        if (mine.size === 0) return emptyReport();
        const result = this.run(mine, stopAt, false);
        this.letGo();
        return result.report;
      }
      return this.run(null, stopAt, true).report;
    } catch (error) {
      if (mustRethrow(error)) throw error;
      this.o.log.warn(`mail queue not flushed this run: ${describe(error)}`);
      return emptyReport();
    }
  }

  // --- queueing ---

  private enqueue(
    to: readonly string[],
    subject: string,
    body: string,
    urgency: Urgency,
    kind?: string,
  ): QueuedMail | null {
    const now = this.o.now();
    const ownIt = urgency === 'now' || this.o.scope === 'own';
    const mail = newNotice({
      id: this.newId(now),
      to,
      subject,
      body,
      urgency,
      kind,
      now,
      lease: ownIt ? { owner: this.o.executionId, until: now + OWN_LEASE_MS } : null,
    });
    if (mail.to.length === 0) return null;
    try {
      const bytes = this.bytesQueued();
      if (!fitsQueue(bytes, mail)) {
        this.fold(mail, now);
        return null;
      }
      this.store.put([mail]);
      this.queueBytes = bytes + noticeBytes(mail);
    } catch (error) {
      if (isBug(error)) throw error;
      // The store itself is full or unavailable: this execution still tries to send it.
      this.unstored.push(mail);
      this.pending.unqueued += 1;
      this.o.log.warn(
        `a ${mail.kind} notice could not be queued (${describe(error)}): sent from memory if possible`,
      );
    }
    if (ownIt) this.own.add(mail.id);
    return mail;
  }

  /** The queue is full: the notice joins each recipient's one short digest instead of being dropped. */
  private fold(mail: QueuedMail, now: number): void {
    try {
      for (const [i, recipient] of mail.to.entries()) {
        const id = `fold-${recipient}`;
        const stored = this.store.get(id);
        const current =
          stored && !('done' in stored) && !leasedByOther(stored, this.o.executionId, now)
            ? stored
            : null;
        const target = stored && !current ? `${id}-${now.toString(36)}` : id;
        this.store.put([foldInto(current, mail, recipient, target, now, i === 0)]);
      }
      this.pending.folded += 1;
      this.o.log.warn(`mail queue full: a ${mail.kind} notice was folded into a short digest`);
    } catch (error) {
      if (isBug(error)) throw error;
      this.pending.unqueued += 1;
      this.o.log.warn(
        `mail queue full and the store refused a digest: a ${mail.kind} notice is lost`,
      );
    }
  }

  private bytesQueued(): number {
    if (this.queueBytes === null) this.queueBytes = this.store.read().bytes;
    return this.queueBytes;
  }

  private newId(now: number): string {
    this.serial += 1;
    return `${now.toString(36)}-${this.o.executionId.replace(/[^a-z0-9]/gi, '').slice(0, 8)}-${this.serial.toString(36)}`;
  }

  // --- sending ---

  /** Notices MailApp accepted in this execution, whatever became of their records. */
  private readonly left = new Set<string>();

  /** Sends the given alerts now (together); whether every one of them left. */
  private tryAtOnce(ids: readonly string[]): boolean {
    const now = this.o.now();
    const until = this.o.budget.stopAt + ALERT_AFTER_STOP_MS;
    if (now > until || this.failuresInARow >= FAILURES_TO_STOP) return false;
    const left = (sent: ReadonlySet<string>) =>
      ids.every((id) => sent.has(id) || this.left.has(id));
    try {
      return left(this.run(new Set(ids), Math.min(now + ALERT_GRACE_MS, until), false).sent);
    } catch (error) {
      if (mustRethrow(error)) throw error;
      if (left(new Set())) {
        this.o.log.warn(`an alert left, but its record could not be kept: ${describe(error)}`);
        return true;
      }
      this.o.log.warn(`an alert waits in the mail queue: ${describe(error)}`);
      return false;
    }
  }

  /**
   * One flush: read the queue; if anything is due, read MailApp's quota, then under the lock
   * plan, lease and book the recipients; send; record each outcome as it comes; settle the
   * day's counts; and (the automation) tell the admin what mail itself needs them to know
   * and write the records to the Mail sheet.
   */
  private run(
    only: ReadonlySet<string> | null,
    stopAt: number,
    keepBooks: boolean,
    recovering = false,
  ): RunResult {
    const settings = this.o.settings();
    const budget = this.o.dailyBudget ?? DAILY_RECIPIENT_BUDGET;
    const sent = new Set<string>();
    const first = this.store.read();
    this.queueBytes = first.bytes;
    const start = this.o.now();
    const day = localDate(start, settings.timeZone);
    const known = onDay(first.state ?? emptyState(day), day, start);
    const report: MailFlushReport = {
      emails: 0,
      notices: 0,
      failed: 0,
      waiting: first.waiting.length,
      today: known.today,
    };
    if (keepBooks) this.store.pruneSenders(first.senders, start);
    // While mail has been failing every waiting alert is tried (and goes first when MailApp
    // works again); once it has just worked, nothing need sit out its back-off.
    const ignoreBackoff = recovering ? 'all' : known.failingSince !== null ? 'alerts' : undefined;
    const look = planFlush({
      queue: [...first.waiting, ...this.unstored],
      now: start,
      owner: this.o.executionId,
      only,
      usedToday: known.today.recipients,
      lastSoon: known.lastSoon,
      realRemaining: Number.MAX_SAFE_INTEGER,
      budget,
      queueBytes: first.bytes,
      ignoreBackoff,
    });
    if (look.emails.length === 0) {
      // Nothing to send: no Google call. The books are kept all the same.
      const state = this.saveCounts(known, day);
      if (keepBooks) {
        this.trouble.failing(state, first.waiting.length);
        if (look.overBudget.length > 0) this.trouble.budget(state, day, look.overBudget.length);
        this.writeLedger(first.done, stopAt);
      }
      return { report: { ...report, today: state.today }, sent };
    }

    // MailApp's quota is read before anything is handed over: it is what tells, after a lost
    // answer, whether the email left. If MailApp cannot even say it, it is taken as down:
    // nothing is sent and no notice is charged an attempt.
    const remaining = this.delivery.readQuota();
    if (remaining === null) {
      this.failuresInARow += 1;
      report.failed += 1;
      const down = mergeTally({ ...emptyTally(), failed: true, failedAttempts: 1 }, this.pending);
      this.pending = emptyTally();
      const state =
        this.updateState((s) => addTally(onDay(s, day, this.o.now()), down, this.o.now())) ?? known;
      this.o.log.warn('MailApp did not answer: mail waits in the queue');
      if (keepBooks) {
        this.trouble.failing(state, first.waiting.length);
        this.writeLedger(first.done, stopAt);
      }
      return { report: { ...report, today: state.today }, sent };
    }
    let claimed: { ok: false } | { ok: true; value: Claim };
    try {
      claimed = this.o.mutex.run(
        () => this.claim({ only, day, remaining, budget, ignoreBackoff, stopAt }),
        LOCK_WAIT_MS,
      );
    } catch (error) {
      // The store refused the books (it is full): what exists only in this execution still
      // leaves now; stored notices wait (sent unleased, one could go twice).
      if (mustRethrow(error) || this.unstored.length === 0) throw error;
      return this.sendFromMemory(only, stopAt, remaining, report, error);
    }
    if (!claimed.ok) {
      this.o.log.warn('mail not sent this run: the script lock was busy');
      return { report, sent };
    }
    const { plan, done } = claimed.value;
    const wasFailing = claimed.value.state.failingSince;
    const wasReported = claimed.value.state.failingReported;

    const sending = this.sendPlanned(claimed.value, { report, sent, settings, remaining }, stopAt);
    const { tally, records, quotaSpent } = sending;

    const settled = this.settleBooks(claimed.value, sending, {
      only,
      day,
      sent,
      noticesSent: report.notices,
    });
    const { state, starved } = settled;
    report.today = state.today;
    // An alert that could not leave now waits for the automation's quota when it is spent too.
    const short = state.quotaShort ?? null;
    if (starved.size > 0 && short) this.held = quotaSpentWhy(short.left);
    const wasShort = claimed.value.state.quotaShort ?? null;
    if (settled.ok && wasShort?.reported && !state.quotaShort)
      this.trouble.quotaBack(wasShort.since);
    report.waiting = Math.max(0, claimed.value.waiting - report.notices);

    if (tally.worked && wasReported && wasFailing !== null)
      this.trouble.recovered(wasFailing, report.waiting, settings);
    if (keepBooks) {
      this.trouble.failing(state, report.waiting);
      this.trouble.quotaShort(state, starved);
      // The day's budget, not MailApp's own quota (told above when it holds an alert back).
      if (plan.overBudget.length > 0 && plan.soonLimit === 'budget' && !quotaSpent)
        this.trouble.budget(state, day, plan.overBudget.length);
      // MailApp works again after failing: what waited need not sit out its back-off.
      if (tally.worked && wasFailing !== null && !recovering && this.o.now() < stopAt) {
        const again = this.run(only, stopAt, false, true);
        report.emails += again.report.emails;
        report.notices += again.report.notices;
        report.failed += again.report.failed;
        report.waiting = again.report.waiting;
        report.today = again.report.today;
        for (const id of again.sent) sent.add(id);
      }
      this.writeLedger([...done, ...records], stopAt);
    }
    return { report, sent };
  }

  /**
   * Under the script lock, the day's counts keep only what really left (the booking is settled);
   * for the automation, alerts its quota could not carry are noted for the admin.
   */
  private settleBooks(
    claim: Claim,
    out: Sent,
    c: { only: ReadonlySet<string> | null; day: string; sent: Set<string>; noticesSent: number },
  ): { ok: boolean; state: MailState; starved: Map<string, QueuedMail> } {
    // Alerts the quota could not carry: those the plan left out, and, when MailApp itself said
    // its quota is spent, every alert of the plan that did not leave.
    const starved = new Map(claim.starved.map((m) => [m.id, m]));
    if (out.quotaSpent)
      for (const email of claim.plan.emails)
        if (email.urgency === 'now')
          for (const id of email.ids) {
            const mail = claim.notices.get(id);
            if (mail && !c.sent.has(id)) starved.set(id, mail);
          }
    const quotaLeft = out.quotaSpent ? 0 : Math.max(0, out.tracked);

    const after = this.o.now();
    const merged = mergeTally(out.tally, this.pending);
    this.pending = emptyTally();
    const settled = this.o.mutex.run(() => {
      const state = settle(
        onDay(this.store.state() ?? claim.state, c.day, after),
        { reserved: claim.reserved, tally: merged, unsentSoon: out.unsentSoon },
        after,
      );
      // The quota that matters is the automation's: a person's execution that cannot send lets
      // its alert go to the automation, whose own quota then decides.
      const kept = { ...state, waiting: claim.waiting - c.noticesSent };
      const saved =
        this.o.scope !== 'all'
          ? kept
          : noteQuotaShort(
              kept,
              {
                starved: [...starved.values()].map(waitingAlert),
                carried: new Set(
                  claim.plan.emails.flatMap((e) => e.ids).filter((id) => !starved.has(id)),
                ),
                queued: c.only === null ? claim.queued : null,
                left: quotaLeft,
              },
              after,
            );
      this.store.saveState(saved);
      return saved;
    }, LOCK_WAIT_MS);
    if (!settled.ok) this.o.log.warn('mail counts not saved this run: the script lock was busy');
    return { ok: settled.ok, state: settled.ok ? settled.value : claim.state, starved };
  }

  /**
   * Under the script lock: plan again from the queue as it is now, lease the notices the plan
   * sends to this execution, and book their recipients in the day's counts before any leaves.
   */
  private claim(c: {
    only: ReadonlySet<string> | null;
    day: string;
    remaining: number;
    budget: number;
    ignoreBackoff: 'all' | 'alerts' | undefined;
    stopAt: number;
  }): Claim {
    const { only, day, remaining, budget, ignoreBackoff, stopAt } = c;
    const fresh = this.store.read();
    const now = this.o.now();
    let state = onDay(fresh.state ?? emptyState(day), day, now);
    // A notice another execution took to send and never let go may have left (lapsed below).
    const queue = [...fresh.waiting, ...this.unstored].map((m) =>
      lapsed(m, this.o.executionId, now) ? { ...m, unclear: true } : m,
    );
    const plan = planFlush({
      queue,
      now,
      owner: this.o.executionId,
      only,
      usedToday: state.today.recipients,
      lastSoon: state.lastSoon,
      realRemaining: remaining,
      budget,
      queueBytes: fresh.bytes,
      ignoreBackoff,
    });
    const byId = new Map(queue.map((m) => [m.id, m]));
    const lease = {
      owner: this.o.executionId,
      until: stopAt + SEND_LEASE_MARGIN_MS,
      sending: true as const,
    };
    const notices = new Map<string, QueuedMail>();
    for (const id of new Set(plan.emails.flatMap((e) => e.ids))) {
      const mail = byId.get(id);
      if (mail) notices.set(id, { ...mail, lease });
    }
    this.store.put([...notices.values()].filter((m) => !this.isUnstored(m.id)));
    const reserved = plan.emails.reduce((n, e) => n + e.to.length, 0);
    const soonTo = [
      ...new Set(plan.emails.filter((e) => e.urgency === 'soon').flatMap((e) => e.to)),
    ];
    const before: Record<string, number | null> = {};
    for (const who of soonTo) before[who] = state.lastSoon[who] ?? null;
    state = reserve(state, reserved, soonTo, now);
    this.store.saveState(state);
    const starved = plan.starved.map((id) => byId.get(id)).filter((m) => m !== undefined);
    return {
      plan,
      notices,
      reserved,
      before,
      state,
      done: fresh.done,
      waiting: queue.length,
      starved,
      queued: new Set(queue.map((m) => m.id)),
    };
  }

  /**
   * Hands the planned emails to MailApp one by one, within the run's time, and stores what
   * became of each notice as it comes; whatever was not sent is let go for the next flush.
   */
  private sendPlanned(
    claim: Claim,
    out: { report: MailFlushReport; sent: Set<string>; settings: Readers; remaining: number },
    stopAt: number,
  ): Sent {
    const { plan, notices, before } = claim;
    const { report, sent, settings, remaining } = out;
    const tally = emptyTally();
    const unsentSoon = { ...before };
    const records: MailRecord[] = [];
    const touched = new Map<string, StoredNotice>();
    let tracked = remaining;
    let quotaSpent = false;
    try {
      this.store.markSending(this.o.executionId, this.o.sender, stopAt + SEND_LEASE_MARGIN_MS);
    } catch (error) {
      // A full store must not hold mail back. Without the mark, another execution that loses
      // an answer from MailApp in this minute may take this one's sending for its own.
      if (mustRethrow(error)) throw error;
      this.o.log.warn(`mail sent unmarked: ${describe(error)}`);
    }
    try {
      for (const email of plan.emails) {
        if (this.o.now() >= stopAt || this.failuresInARow >= FAILURES_TO_STOP || quotaSpent) break;
        const outcome = this.delivery.deliver(email, tracked, stopAt);
        const at = this.o.now();
        const carried = email.ids.map((id) => notices.get(id)).filter((m) => m !== undefined);
        const write = (m: QueuedMail | { done: MailRecord }) => {
          const id = 'done' in m ? m.done.id : m.id;
          if ('done' in m) notices.delete(id);
          else notices.set(id, m);
          if (this.isUnstored(id)) {
            if ('done' in m) this.dropUnstored(id);
            return;
          }
          touched.set(id, m);
        };
        if (outcome.kind === 'sent' || outcome.kind === 'left-unclear') {
          const n = email.to.length;
          tracked = outcome.kind === 'left-unclear' ? outcome.after : tracked - n;
          tally.recipients += n;
          tally.emails += 1;
          tally.worked = true;
          this.failuresInARow = 0;
          report.emails += 1;
          if (email.urgency === 'soon') for (const who of email.to) delete unsentSoon[who];
          for (const mail of carried) {
            const left = mail.to.filter((t) => !email.to.includes(t));
            // Known to have left before anything about it is written: a store that refuses the
            // record must not make the product say an email that went did not go.
            if (left.length === 0) this.left.add(mail.id);
            const reached = mail.reached ?? 0;
            if (left.length > 0) {
              write({ ...mail, to: left, reached: reached + (mail.to.length - left.length) });
              continue;
            }
            const record = sentRecord(mail, {
              at,
              recipients: reached + mail.to.length,
              sharedWith: carried.length - 1,
              how: outcome.kind === 'left-unclear' ? 'left-unclear' : 'sent',
            });
            write({ done: record });
            records.push(record);
            sent.add(mail.id);
            tally.notices += mail.notices ?? 1;
            report.notices += 1;
          }
          continue;
        }
        if (outcome.kind === 'quota') {
          // MailApp's own daily quota is spent: nothing more can go until it resets.
          quotaSpent = true;
          tracked = 0;
          this.o.log.warn("MailApp's daily quota is spent: notices wait until it resets");
          for (const mail of carried) write({ ...mail, lease: null });
          continue;
        }
        if (outcome.kind === 'refused') {
          tally.refused += carried.length;
          for (const mail of carried) {
            const record = refusedRecord(mail, at, outcome.reason);
            write({ done: record });
            records.push(record);
            this.trouble.refused(mail, outcome.reason, settings);
          }
          this.o.log.warn(`an email was refused by MailApp for good (${carried.length} notice(s))`);
          continue;
        }
        // Not sent, or not known: retried with back-off (an unknown one may then arrive twice).
        if (outcome.after !== null) tracked = outcome.after;
        tally.failedAttempts += 1;
        tally.failed = true;
        this.failuresInARow += 1;
        report.failed += 1;
        for (const mail of carried) {
          const attempts = mail.attempts + 1;
          write({
            ...mail,
            attempts,
            nextTry: retryAt(attempts, mail.urgency, at),
            lease: null,
            unclear: mail.unclear === true || outcome.kind === 'unknown',
          });
        }
      }
    } finally {
      // Whatever still waits is let go at once, for the next flush of any execution.
      for (const mail of notices.values())
        if (!this.isUnstored(mail.id)) touched.set(mail.id, { ...mail, lease: null });
      this.store.put([...touched.values()]);
      this.store.doneSending(this.o.executionId);
    }
    return { tally, unsentSoon, records, tracked, quotaSpent };
  }

  /**
   * Notices the store could not queue (R28: an alert to the admin that the store is full is
   * one), sent unbooked: within MailApp's own remaining quota, each once, from this execution.
   */
  private sendFromMemory(
    only: ReadonlySet<string> | null,
    stopAt: number,
    remaining: number,
    report: MailFlushReport,
    why: unknown,
  ): RunResult {
    const sent = new Set<string>();
    let left = remaining;
    for (const mail of [...this.unstored]) {
      if (only && !only.has(mail.id)) continue;
      if (this.o.now() >= stopAt || left < mail.to.length) break;
      const outcome = this.delivery.deliver(mail, left, stopAt);
      if (outcome.kind !== 'sent' && outcome.kind !== 'left-unclear') continue;
      left -= mail.to.length;
      sent.add(mail.id);
      this.left.add(mail.id);
      this.dropUnstored(mail.id);
      report.emails += 1;
      report.notices += 1;
    }
    this.o.log.warn(`mail books not kept (${describe(why)}): ${sent.size} sent from memory`);
    return { report, sent };
  }

  // --- books ---

  /** Whether this flush writes the Mail sheet (else the records wait in the store for one that does). */
  private recordNow = true;

  /** The Mail sheet gets every record waiting for it; only those written leave the store. */
  private writeLedger(records: readonly MailRecord[], stopAt: number): void {
    if (!this.o.sheet || records.length === 0 || this.o.now() >= stopAt) return;
    // What mail itself needs the admin to know (mail failing, the day's budget spent) is written
    // at once, whoever flushes: the Mail sheet is how the admin hears while email is down.
    if (
      !this.recordNow &&
      !records.some((r) => /^(mail|admin)-/.test(r.kind) || r.id.startsWith('wait-'))
    )
      return;
    let rows = [...records];
    const { drop, summary } = compactRecords(rows, this.o.now());
    if (summary) {
      this.store.put([{ done: summary }]);
      this.store.forget(drop);
      rows = [...rows.filter((r) => !drop.includes(r.id)), summary];
    }
    try {
      this.store.forget(this.o.sheet.append(rows));
    } catch (error) {
      if (isBug(error)) throw error;
      this.o.log.warn(`mail records wait for the log: ${describe(error)}`);
    }
  }

  /** Folded or unstorable notices counted, when nothing else wrote the state this run. */
  private saveCounts(state: MailState, day: string): MailState {
    if (this.pending.folded + this.pending.unqueued === 0) return state;
    const pending = this.pending;
    this.pending = emptyTally();
    return (
      this.updateState((s) => addTally(onDay(s, day, this.o.now()), pending, this.o.now())) ?? state
    );
  }

  private updateState(change: (state: MailState) => MailState): MailState | null {
    const day = localDate(this.o.now(), this.o.settings().timeZone);
    const done = this.o.mutex.run(() => {
      const next = change(this.store.state() ?? emptyState(day));
      this.store.saveState(next);
      return next;
    }, LOCK_WAIT_MS);
    return done.ok ? done.value : null;
  }

  /** A person's execution lets go of what it could not send, for the automation's next flush. */
  private letGo(): void {
    const mine: QueuedMail[] = [];
    for (const id of this.own) {
      const stored = this.store.get(id);
      if (stored && !('done' in stored) && stored.lease?.owner === this.o.executionId)
        mine.push({ ...stored, lease: null });
    }
    this.store.put(mine);
    this.own.clear();
  }

  private isUnstored(id: string): boolean {
    return this.unstored.some((m) => m.id === id);
  }

  private dropUnstored(id: string): void {
    const at = this.unstored.findIndex((m) => m.id === id);
    if (at >= 0) this.unstored.splice(at, 1);
  }
}

function emptyReport(): MailFlushReport {
  return { emails: 0, notices: 0, failed: 0, waiting: 0, today: null };
}

function describe(error: unknown): string {
  if (isFailure(error)) return `${error.service} ${error.kind}`;
  return error instanceof Error ? error.name : 'error';
}

/**
 * A notice another execution took to send and never let go: Apps Script stopped it (a card at
 * 30 s, a run at 6 minutes) before it could record what became of the notice, maybe after
 * MailApp took the email. Sent again, it says it may reach its reader twice (mail-plan.ts
 * MAYBE_REPEAT) rather than risk never arriving. One kept back for its own execution, never
 * handed to MailApp, goes unmarked.
 */
function lapsed(mail: QueuedMail, owner: string, now: number): boolean {
  return mail.lease?.sending === true && mail.lease.owner !== owner && mail.lease.until <= now;
}
