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
