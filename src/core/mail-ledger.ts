// Issue 9: what the mail queue did is counted and recorded, so "notices sent" can be held
// against "notices due". The day's counters live beside the queue (script properties); every
// notice that left, or was refused, becomes one row of the log's Mail sheet: when, what kind,
// its subject and how many recipients, never its body.

import type { QueuedMail } from './mail-plan';
import { MAX_SPACING_MS } from './mail-plan';
import { safeCell } from './sheet-safe';
import { localDate, localTime } from './time';

/** Today's counts, for the budget, the soak and the bench. */
export interface MailDay {
  /** The school's local date these counts belong to. */
  day: string;
  /** Recipients emailed (what MailApp's quota counts), every sender together. */
  recipients: number;
  /** Emails handed to MailApp. */
  emails: number;
  /** Notices that reached all their recipients (several may share one email). */
  notices: number;
  /** Attempts that failed. */
  failedAttempts: number;
  /** Notices MailApp refused for good (a bad address). */
  refused: number;
  /** 'soon' notices kept only in short, because the queue was full. */
  folded: number;
  /** Notices that could not be stored at all (the store itself was full): told in the log. */
  unqueued: number;
}

export interface MailState {
  today: MailDay;
  /** Since the queue began (the soak counts a week). */
  totals: { recipients: number; emails: number; notices: number };
  /** When each recipient last had a 'soon' email (pacing); forgotten after the longest spacing. */
  lastSoon: Record<string, number>;
  /** MailApp has failed every attempt since this time; null while it works. */
  failingSince: number | null;
  /** The admin has been told (in the log) that mail is failing. */
  failingReported: boolean;
  /** The day the admin was told today's budget is spent. */
  budgetReportedDay: string | null;
  /** Notices in the queue after the last flush. */
  waiting: number;
  /**
   * Sibling of `failingSince`: alerts wait because the sending account's daily quota is spent
   * (nothing is attempted, so no send fails). Null (or absent, in a state from before) while none do.
   */
  quotaShort?: QuotaShort | null;
}

/**
 * MailApp's quota belongs to the account that sends, shared with anything else it runs
 * (doc: https://developers.google.com/apps-script/guides/services/quotas "Quotas are per user"):
 * when it cannot carry an alert, mail is not working for that reason, from the first such run.
 */
export interface QuotaShort {
  /** The first run that found an alert the quota could not carry. */
  since: number;
  /** MailApp.getRemainingDailyQuota() at the last look. */
  left: number;
  /**
   * The alerts waiting for it, oldest first: kinds, lesson ids and times, never a name. At most
   * `WAITING_KEPT` (the state is one 9 KB script property); `count` says how many wait in all.
   */
  alerts: WaitingAlert[];
  /** How many alerts wait in all (absent in a state from before: `alerts.length`). */
  count?: number;
  /** The Mail sheet (and the script's log) have been told this spell began. */
  reported: boolean;
  /** Alerts the Mail sheet already lists as waiting. */
  listed: string[];
}

/** An alert waiting for the quota, as the Status and Mail sheets may show it (no pupil data). */
export interface WaitingAlert {
  id: string;
  kind: string;
  /** Lesson ids its subject names. */
  lessons: string[];
  queuedAt: number;
}

const LESSON_ID = /L-\d{8}-[a-z0-9]{6}/g;

/**
 * Waiting alerts the books name one by one (the oldest): the mail state and the health record are
 * each one script property (9 KB), and 300 alerts of a full-size school would not fit. The rest
 * are counted; the Mail sheet has a row for each of these few.
 */
export const WAITING_KEPT = 12;

/** An alert as the sheets may show it: of its subject and body, only the lesson ids are kept. */
export function waitingAlert(
  mail: Pick<QueuedMail, 'id' | 'kind' | 'subject' | 'body' | 'queuedAt'>,
): WaitingAlert {
  return {
    id: mail.id,
    kind: mail.kind,
    lessons: [...new Set(`${mail.subject}\n${mail.body}`.match(LESSON_ID) ?? [])],
    queuedAt: mail.queuedAt,
  };
}

/**
 * What one flush learnt of alerts against the quota. `starved`: the alerts it found due that the
 * quota could not carry; `carried`: those the quota had room for (planned to send); `queued`:
 * every notice still in the queue, when the flush read it whole (null: it looked at a few).
 * An alert stops waiting for the quota once the quota carries it or it has left the queue; one
 * this flush did not look at (another execution holds it, or it sits out a back-off) still waits.
 * The spell is over once no alert waits; it keeps its start while any does.
 */
export function noteQuotaShort(
  state: MailState,
  p: {
    starved: readonly WaitingAlert[];
    carried: ReadonlySet<string>;
    queued: ReadonlySet<string> | null;
    left: number;
  },
  now: number,
): MailState {
  const had = state.quotaShort ?? null;
  const fresh = new Set(p.starved.map((a) => a.id));
  const kept = (had?.alerts ?? []).filter(
    (a) => !fresh.has(a.id) && !p.carried.has(a.id) && (p.queued === null || p.queued.has(a.id)),
  );
  const all = [...kept, ...p.starved].sort((a, b) => a.queuedAt - b.queuedAt);
  if (all.length === 0) return had === null ? state : { ...state, quotaShort: null };
  // A flush that found alerts the quota cannot carry saw every due one; one that found none
  // (they sit out a back-off) keeps the count of those beyond the kept few from before.
  const unseen =
    p.starved.length === 0 ? Math.max(0, (had?.count ?? 0) - (had?.alerts.length ?? 0)) : 0;
  const count = all.length + unseen;
  return {
    ...state,
    quotaShort: {
      since: had?.since ?? now,
      left: p.starved.length > 0 ? p.left : (had?.left ?? p.left),
      alerts: all.slice(0, WAITING_KEPT),
      count,
      reported: had?.reported ?? false,
      listed: had?.listed ?? [],
    },
  };
}

/** The Status sheet's cells hold 500 characters: the words name as many alerts as fit. */
const WORDS_MAX = 500;

/**
 * The words for mail not being sent because the quota is spent: the Status sheet's mail row
 * and the Mail sheet's note say the same. Kinds, lesson ids and times only, oldest first; those
 * that do not fit are counted (the Mail sheet lists each).
 */
export function quotaShortWords(
  q: Pick<QuotaShort, 'since' | 'left' | 'alerts' | 'count'>,
  timeZone: string,
): string {
  const when = (ms: number) => `${localDate(ms, timeZone)} ${localTime(ms, timeZone)}`;
  const n = Math.max(q.count ?? 0, q.alerts.length);
  const words = (named: readonly string[]) => {
    const more = n - named.length;
    return [
      `NOT being sent since ${when(q.since)}: ${quotaSpentWhy(q.left)}.`,
      `${n} urgent notice${n === 1 ? '' : 's'} wait${n === 1 ? 's' : ''}: ${named.join('; ')}${more > 0 ? `${named.length > 0 ? '; ' : ''}${more} more (Mail sheet)` : ''}.`,
      'Tell the DSL and SLT in person now; check what else sends mail as the automation account. They go, once, when the quota allows.',
    ].join(' ');
  };
  const named: string[] = [];
  for (const a of q.alerts) {
    const lessons = a.lessons.length > 0 ? ` (lesson ${a.lessons.join(', ')})` : '';
    const next = [...named, `${a.kind}${lessons} since ${localTime(a.queuedAt, timeZone)}`];
    if (words(next).length > WORDS_MAX) break;
    named.push(next[next.length - 1]!);
  }
  return words(named);
}

export function quotaSpentWhy(left: number): string {
  return `the automation account's daily email quota is spent (${left} left); it comes back within 24 hours of the first sends`;
}

/** The Mail sheet's note that the quota holds alerts back (once a spell). */
export function quotaShortNote(q: QuotaShort, now: number, timeZone: string): MailRecord {
  return noteRecord(
    `mail-quota-${q.since}`,
    'mail-quota-spent',
    now,
    `MAIL ${quotaShortWords(q, timeZone)}`,
  );
}

/** One Mail sheet row for an alert waiting for the quota (its own id: its 'sent' row comes later). */
export function waitingRecord(mail: QueuedMail, left: number, now: number): MailRecord {
  return {
    id: `wait-${mail.id}`,
    kind: mail.kind,
    subject: mail.subject,
    recipients: mail.to.length,
    at: now,
    queuedAt: mail.queuedAt,
    attempts: mail.attempts,
    status: `WAITING, NOT SENT: ${quotaSpentWhy(left)}. It leaves, once, as soon as the quota allows; tell its readers in person meanwhile.`,
    notices: 1,
  };
}

/** The quota carries the alerts again: the spell is over. */
export function quotaBackNote(since: number, now: number, timeZone: string): MailRecord {
  return noteRecord(
    `mail-quota-back-${now}`,
    'mail-quota-back',
    now,
    `Mail is sent again: the automation account's email quota came back (it held urgent notices from ${localDate(since, timeZone)} ${localTime(since, timeZone)} to ${localDate(now, timeZone)} ${localTime(now, timeZone)}); the urgent notices that waited fit in it again and are being sent now, once each.`,
  );
}

export function emptyDay(day: string): MailDay {
  return {
    day,
    recipients: 0,
    emails: 0,
    notices: 0,
    failedAttempts: 0,
    refused: 0,
    folded: 0,
    unqueued: 0,
  };
}

export function emptyState(day: string): MailState {
  return {
    today: emptyDay(day),
    totals: { recipients: 0, emails: 0, notices: 0 },
    lastSoon: {},
    failingSince: null,
    failingReported: false,
    budgetReportedDay: null,
    waiting: 0,
  };
}

/** The state for `day`: a new day starts its counts at zero; old pacing marks are forgotten. */
export function onDay(state: MailState, day: string, now: number): MailState {
  const lastSoon: Record<string, number> = {};
  for (const [who, at] of Object.entries(state.lastSoon))
    if (at + MAX_SPACING_MS > now) lastSoon[who] = at;
  return { ...state, today: state.today.day === day ? state.today : emptyDay(day), lastSoon };
}

/** What happened in one flush (or one send), added to the day in one write: the day's counts, and more. */
export interface MailTally extends Omit<MailDay, 'day'> {
  /** Recipients who had a 'soon' email now. */
  soonTo: string[];
  /** Whether MailApp accepted anything / failed anything (in that order of events). */
  worked: boolean;
  failed: boolean;
}

export function emptyTally(): MailTally {
  const { day: _day, ...counts } = emptyDay('');
  return { ...counts, soonTo: [], worked: false, failed: false };
}

/** Two tallies of the same flush (or of queueing and sending) as one. */
export function mergeTally(a: MailTally, b: MailTally): MailTally {
  return {
    recipients: a.recipients + b.recipients,
    emails: a.emails + b.emails,
    notices: a.notices + b.notices,
    failedAttempts: a.failedAttempts + b.failedAttempts,
    refused: a.refused + b.refused,
    folded: a.folded + b.folded,
    unqueued: a.unqueued + b.unqueued,
    soonTo: [...a.soonTo, ...b.soonTo],
    worked: a.worked || b.worked,
    failed: a.failed || b.failed,
  };
}

export function addTally(state: MailState, t: MailTally, now: number): MailState {
  const today = {
    ...state.today,
    recipients: state.today.recipients + t.recipients,
    emails: state.today.emails + t.emails,
    notices: state.today.notices + t.notices,
    failedAttempts: state.today.failedAttempts + t.failedAttempts,
    refused: state.today.refused + t.refused,
    folded: state.today.folded + t.folded,
    unqueued: state.today.unqueued + t.unqueued,
  };
  const lastSoon = { ...state.lastSoon };
  for (const who of t.soonTo) lastSoon[who] = now;
  // Mail works again as soon as anything is accepted; it is failing from the first failure
  // that follows a working spell.
  let failingSince = state.failingSince;
  if (t.worked) failingSince = null;
  else if (t.failed && failingSince === null) failingSince = now;
  return {
    ...state,
    today,
    totals: {
      recipients: state.totals.recipients + t.recipients,
      emails: state.totals.emails + t.emails,
      notices: state.totals.notices + t.notices,
    },
    lastSoon,
    failingSince,
    failingReported: failingSince === null ? false : state.failingReported,
  };
}

/** One row of the Mail sheet: a notice that left or was refused, or a note about mail itself. */
export interface MailRecord {
  id: string;
  kind: string;
  subject: string;
  recipients: number;
  at: number;
  queuedAt: number;
  attempts: number;
  status: string;
  /** Notices the row stands for (a folded digest carries many). */
  notices: number;
}

export const MAIL_SHEET = 'Mail';
export const MAIL_COLUMNS = [
  'Date',
  'Time',
  'Kind',
  'Subject',
  'Recipients',
  'Status',
  'Queued',
  'Attempts',
  'Notices',
  'Notice ID',
] as const;

export function mailRow(r: MailRecord, timeZone: string): (string | number)[] {
  return [
    localDate(r.at, timeZone),
    localTime(r.at, timeZone),
    r.kind,
    safeCell(r.subject, 250),
    r.recipients,
    safeCell(r.status, 500),
    `${localDate(r.queuedAt, timeZone)} ${localTime(r.queuedAt, timeZone)}`,
    r.attempts,
    r.notices,
    r.id,
  ];
}

/** The record of a notice that has now reached every recipient. */
export function sentRecord(
  mail: QueuedMail,
  p: { at: number; recipients: number; sharedWith: number; how: 'sent' | 'left-unclear' },
): MailRecord {
  const shared =
    p.sharedWith > 0
      ? `, in one email with ${p.sharedWith} other notice${p.sharedWith === 1 ? '' : 's'}`
      : '';
  const retried = mail.attempts > 0 ? ` after ${mail.attempts} failed attempt(s)` : '';
  const how =
    p.how === 'left-unclear'
      ? " (MailApp's answer was lost; its quota shows the email left, so it was not sent again)"
      : mail.unclear
        ? '; an earlier attempt had no clear answer, so it may have arrived twice'
        : '';
  // A folded digest says which notices it carried, so they are counted as sent.
  const carried = mail.folded
    ? `, carrying ${Object.entries(mail.folded.kinds)
        .map(([kind, n]) => `${kind} ×${n}`)
        .join(', ')}`
    : '';
  return {
    id: mail.id,
    kind: mail.kind,
    subject: mail.subject,
    recipients: p.recipients,
    at: p.at,
    queuedAt: mail.queuedAt,
    attempts: mail.attempts + 1,
    status: `sent${shared}${carried}${retried}${how}`,
    notices: mail.notices ?? 1,
  };
}

export function refusedRecord(mail: QueuedMail, at: number, reason: string): MailRecord {
  return {
    id: mail.id,
    kind: mail.kind,
    subject: mail.subject,
    recipients: mail.to.length,
    at,
    queuedAt: mail.queuedAt,
    attempts: mail.attempts + 1,
    status: `NOT SENT: MailApp refused it (${reason}); the admin has been told`,
    notices: mail.notices ?? 1,
  };
}

/** A note about mail itself (failing, working again, budget spent): a row with no notice. */
export function noteRecord(id: string, kind: string, at: number, status: string): MailRecord {
  return {
    id,
    kind,
    subject: '',
    recipients: 0,
    at,
    queuedAt: at,
    attempts: 0,
    status,
    notices: 0,
  };
}

/**
 * R28 while mail is down: email cannot carry the news, so the Mail sheet (and the script's log)
 * does, for the admin, who reads the log.
 */
export function failingNote(since: number, waiting: number, now: number, timeZone: string) {
  return noteRecord(
    `mail-failing-${since}`,
    'mail-failing',
    now,
    `MAIL FAILING: MailApp has refused every email since ${localDate(since, timeZone)} ${localTime(since, timeZone)}. ${waiting} notice(s) are waiting in the queue; nothing is lost, and they are sent as soon as MailApp works again. Tell the DSL and SLT by other means about anything urgent.`,
  );
}

/** Mail works again after the admin was told it was failing: a note, and an email to the admin. */
export function recoveredNotice(since: number, now: number, waiting: number, timeZone: string) {
  const from = `${localDate(since, timeZone)} ${localTime(since, timeZone)}`;
  const to = `${localTime(now, timeZone)}`;
  return {
    record: noteRecord(
      `mail-recovered-${now}`,
      'mail-recovered',
      now,
      `Mail works again (it failed from ${from} to ${to}); the ${waiting} waiting notice(s) are being sent now.`,
    ),
    subject: 'Safe Live Lessons: email is working again',
    body: `Safe Live Lessons could not send any email from ${from} to ${to}: MailApp refused every attempt. Nothing was lost: the ${waiting} notice(s) that were waiting are being sent now, late. The Mail sheet of the log spreadsheet lists every email and when it left.`,
  };
}

/** Today's budget is spent: the admin is told once, by email (an alert, within the real quota). */
export function budgetNotice(p: { day: string; budget: number; waiting: number; now: number }) {
  return {
    record: noteRecord(
      `mail-budget-${p.day}`,
      'mail-budget',
      p.now,
      `Today's email budget of ${p.budget} recipients is spent: non-urgent notices (${p.waiting} so far) wait for tomorrow's first run. Alerts still go at once.`,
    ),
    subject: "Safe Live Lessons: today's email budget is spent",
    body: `Safe Live Lessons has emailed as many people today as it does in a day (${p.budget} recipients, a third of the account's Google quota, so that alerts always have room). Non-urgent notices (${p.waiting} so far) wait and are sent tomorrow morning; alerts (an outsider in a call, an incident, a link still live) still go at once. The log spreadsheet has every lesson, and its Mail sheet lists every email.`,
  };
}

/** MailApp refused a notice for good: the admin is told (once a notice) what to check. */
export function refusedNotice(subject: string, reason: string) {
  return {
    subject: 'Safe Live Lessons: an email could not be sent',
    body: `MailApp refused an email ("${subject}"): ${reason}. It will not be tried again. Check the email addresses in the Settings sheet (sltEmails, dslEmails, approvers, adminEmails). The Mail sheet of the log spreadsheet lists it.`,
  };
}

/**
 * Before sending, a flush books the recipients it plans (and marks its 'soon' recipients as
 * just emailed) in one write under the lock, so two flushes at once cannot both spend the
 * same budget.
 */
export function reserve(
  state: MailState,
  recipients: number,
  soonTo: readonly string[],
  now: number,
): MailState {
  const lastSoon = { ...state.lastSoon };
  for (const who of soonTo) lastSoon[who] = now;
  return {
    ...state,
    today: { ...state.today, recipients: state.today.recipients + recipients },
    lastSoon,
  };
}

/**
 * After sending: what really went replaces what was booked; recipients whose 'soon' email did
 * not go get their earlier pacing mark back.
 */
export function settle(
  state: MailState,
  p: { reserved: number; tally: MailTally; unsentSoon: Record<string, number | null> },
  now: number,
): MailState {
  const added = addTally(state, { ...p.tally, soonTo: [] }, now);
  const lastSoon = { ...added.lastSoon };
  for (const [who, before] of Object.entries(p.unsentSoon)) {
    if (before === null) delete lastSoon[who];
    else lastSoon[who] = before;
  }
  return {
    ...added,
    today: { ...added.today, recipients: added.today.recipients - p.reserved },
    lastSoon,
  };
}

/** Records waiting for the Mail sheet beyond this many are summed into one row (Sheets was down long). */
export const MAX_PENDING_RECORDS = 300;

/** Keeps the newest records one by one and sums the oldest into one row, so the store stays small. */
export function compactRecords(
  records: readonly MailRecord[],
  now: number,
): { drop: string[]; summary: MailRecord | null } {
  if (records.length <= MAX_PENDING_RECORDS) return { drop: [], summary: null };
  const sorted = [...records].sort((a, b) => a.at - b.at);
  const old = sorted.slice(0, records.length - MAX_PENDING_RECORDS + 1);
  const notices = old.reduce((n, r) => n + r.notices, 0);
  const recipients = old.reduce((n, r) => n + r.recipients, 0);
  const first = old[0]!.at;
  return {
    drop: old.map((r) => r.id),
    summary: {
      ...noteRecord(
        `mail-summary-${now}`,
        'summary',
        now,
        `${old.length} rows summed into one: the log could not be written for a while. They covered ${notices} notice(s) to ${recipients} recipient(s), the first at ${new Date(first).toISOString()}.`,
      ),
      recipients,
      notices,
    },
  };
}
