// Issue 9, 8: every email the product means to send is a queued notice, and what leaves when
// is decided here, as pure functions of the queue, the clock and the day's count. Alerts a
// person must act on at once ('now') go first and are limited only by MailApp's real quota;
// the rest ('soon') is grouped into one email per recipient and kept within a daily budget of
// recipients, a third of a Workspace account's quota, whatever the day brings.

import { HOUR_MS, MINUTE_MS } from './time';

/**
 * 'now': a person must act at once (an outsider in a call, pupils alone, an incident for the
 * DSL, a link still live). 'soon': everything else (approvals, SLT notices, digests).
 */
export type Urgency = 'now' | 'soon';

/**
 * Recipients a day for the whole product (issue 8: "MailApp recipients ≤ 500 a day, a third of
 * the quota"). doc: https://developers.google.com/apps-script/guides/services/quotas
 * "Email recipients per day ... 1,500 / day" for a Google Workspace account (100 for consumer).
 */
export const DAILY_RECIPIENT_BUDGET = 500;
/**
 * 'soon' mail stops this far short of the budget, so the day's alerts (a handful on a bad day)
 * still fit under it. Alerts are never held back by the budget: a day with more than this of
 * them goes over it, because safety comes first.
 */
export const ALERT_SHARE = 50;
/** Of MailApp's real remaining quota, this much is never spent on 'soon' mail: alerts keep it. */
export const ALERT_RESERVE = 50;
/** doc: quotas page, "Current limitations": "Email recipients per message 50 / msg". */
export const MAX_RECIPIENTS_PER_EMAIL = 50;
/**
 * A mass event (a fire alarm empties 30 classrooms; a network drop takes 40 teachers out of
 * their calls) raises an alert per lesson for the same few people. A recipient with more than
 * this many alerts due in one flush gets them together, in one email per flush, each alert in
 * its own words, and no later than one by one would have: the DSL reads one list of 30 lessons,
 * not 30 emails, and the day's recipients stay within the budget on the worst day too. At or
 * under it (every lesson on its own), each alert keeps its own email and subject.
 */
export const ALERTS_GROUPED_OVER = 5;
/**
 * A grouped email stays under this. doc: quotas page, "Current limitations": "Email body size
 * 200 KB / msg" (consumer), 400 KB (Workspace); half the smaller leaves room for the headers.
 */
export const GROUPED_BODY_MAX_BYTES = 100 * 1024;
/**
 * The queue's share of script properties (500 KB a store, shared with the lessons): 'soon'
 * notices beyond it are folded into one short digest per recipient instead of being dropped.
 */
export const QUEUE_MAX_BYTES = 40 * 1024;
/** One notice is one property; a property holds 9 KB (quotas page), with room for the key. */
export const NOTICE_MAX_BYTES = 8_500;
/** A notice that cannot be stored is shortened, and says so. */
export const SHORTENED = '\n\n(Shortened to fit the mail queue: the log spreadsheet has the rest.)';
/** Retries back off from a minute, doubling, to at most this long. */
export const RETRY_FIRST_MS = MINUTE_MS;
export const RETRY_MAX_MS: Record<Urgency, number> = { now: 5 * MINUTE_MS, soon: 30 * MINUTE_MS };
/** R28: MailApp failing this long is told to the school's admin (by the log, since mail is down). */
export const MAIL_FAILING_ALERT_MS = HOUR_MS;
/**
 * Pacing 'soon' mail: while less than half the day's budget is used every notice goes at the
 * next flush; past half, a recipient gets at most one grouped email an hour; past 80%, one
 * every three hours. A busy day thus slows into digests long before the budget runs out.
 */
const SPACING: readonly { fromShare: number; ms: number }[] = [
  { fromShare: 0.8, ms: 3 * HOUR_MS },
  { fromShare: 0.5, ms: HOUR_MS },
];
export const MAX_SPACING_MS = 3 * HOUR_MS;
/**
 * Pacing holds notices back, and held notices fill the queue. Past this share of the queue's
 * room, holding stops: grouping what waits costs one recipient each, while folding it would
 * cut the notices short.
 */
export const RELEASE_HOLDS_AT = 0.6;

/** One notice waiting in the queue (one script property). */
export interface QueuedMail {
  /** Stable for the notice's whole life: the Mail sheet's Notice ID. */
  id: string;
  /** What it is about ('lesson-scheduled', 'incident', ...): the Mail sheet's Kind. */
  kind: string;
  urgency: Urgency;
  /** Recipients who have not had it yet (lower case). */
  to: string[];
  subject: string;
  body: string;
  queuedAt: number;
  /** Failed attempts so far. */
  attempts: number;
  /** Not tried again before this (back-off). */
  nextTry: number;
  /**
   * The execution sending it now; others leave it alone until `until`. `sending`: taken to be
   * handed to MailApp (a flush's claim), not only kept back for its own execution to send.
   */
  lease: { owner: string; until: number; sending?: true } | null;
  /** A failed attempt may have left after all (MailApp's answer was lost and could not be checked). */
  unclear?: boolean;
  /** How many notices it carries: more than one for a digest folded from an overflow. */
  notices?: number;
  /** Recipients who already had it (a notice to several people may leave in several emails). */
  reached?: number;
  /** A folded digest: the subjects it keeps, and how many notices of each kind it carries. */
  folded?: { subjects: string[]; kinds: Record<string, number> };
}

/** One email to hand to MailApp: one 'now' notice, or every waiting 'soon' notice of its recipients. */
export interface PlannedEmail {
  to: string[];
  subject: string;
  body: string;
  urgency: Urgency;
  /** The notices it carries. */
  ids: string[];
}

export interface FlushInput {
  queue: readonly QueuedMail[];
  now: number;
  /** This execution (leases). */
  owner: string;
  /** Only these notices (a teacher's execution sends what it queued itself); null: every one. */
  only: ReadonlySet<string> | null;
  /** Recipients emailed today by every sender of the product together. */
  usedToday: number;
  /** When each recipient last had a 'soon' email (pacing). */
  lastSoon: Readonly<Record<string, number>>;
  /** MailApp.getRemainingDailyQuota() of the account that sends. */
  realRemaining: number;
  budget: number;
  /** Bytes the queue takes in script properties (held notices are let go when it fills). */
  queueBytes?: number;
  /**
   * Whose back-off to ignore: 'alerts' while mail has been failing (every waiting alert goes
   * first the moment MailApp works again), 'all' once it has just been seen working again.
   */
  ignoreBackoff?: 'alerts' | 'all';
}

export interface FlushPlan {
  /** In sending order: every 'now' email first. */
  emails: PlannedEmail[];
  /** 'soon' notices left for tomorrow's first flush: today's budget (or the quota) is spent. */
  overBudget: string[];
  /** 'soon' notices held back to be grouped: a recipient had an email a short while ago. */
  held: string[];
  /**
   * 'now' notices due that MailApp's remaining quota cannot carry (fewer recipients left than
   * they need): nothing is attempted, so no send fails, and the caller must say so.
   */
  starved: string[];
  /** What stopped 'soon' notices (in `overBudget`): the day's budget, or MailApp's own quota. */
  soonLimit: 'budget' | 'quota';
}

export function leasedByOther(mail: QueuedMail, owner: string, now: number): boolean {
  return mail.lease !== null && mail.lease.owner !== owner && mail.lease.until > now;
}

/** How long a recipient waits between two 'soon' emails, given the share of today's budget used. */
export function soonSpacingMs(usedToday: number, budget: number): number {
  const share = budget > 0 ? usedToday / budget : 1;
  return SPACING.find((s) => share >= s.fromShare)?.ms ?? 0;
}

/** The earliest next attempt after `attempts` failures: from a minute, doubling, capped. */
export function retryAt(attempts: number, urgency: Urgency, now: number): number {
  const wait = RETRY_FIRST_MS * 2 ** Math.max(0, attempts - 1);
  return now + Math.min(RETRY_MAX_MS[urgency], wait);
}

/**
 * What to send now. 'now' notices go first, each as its own email, as long as MailApp's real
 * quota allows (the budget never holds back an alert). 'soon' notices are grouped: each
 * recipient gets one email carrying everything waiting for them, recipients waiting for
 * exactly the same notices share it, and emails are sent oldest first while today's budget
 * (less the alerts' share) and the quota (less the alerts' reserve) allow.
 */
export function planFlush(input: FlushInput): FlushPlan {
  const { now } = input;
  const due = input.queue
    .filter(
      (m) =>
        (input.only === null || input.only.has(m.id)) &&
        m.to.length > 0 &&
        (m.nextTry <= now ||
          input.ignoreBackoff === 'all' ||
          (input.ignoreBackoff === 'alerts' && m.urgency === 'now')) &&
        !leasedByOther(m, input.owner, now),
    )
    .sort(oldestFirst);
  const emails: PlannedEmail[] = [];
  let quota = Math.max(0, input.realRemaining);
  let alertRecipients = 0;
  const starved = new Set<string>();
  for (const { to, mails } of alertEmails(due.filter((m) => m.urgency === 'now'))) {
    if (to.length > quota) {
      for (const m of mails) starved.add(m.id);
      continue;
    }
    emails.push({
      to,
      ...combine(mails, 'now'),
      urgency: 'now',
      ids: mails.map((m) => m.id),
    });
    quota -= to.length;
    alertRecipients += to.length;
  }

  const spacing =
    (input.queueBytes ?? 0) >= QUEUE_MAX_BYTES * RELEASE_HOLDS_AT
      ? 0
      : soonSpacingMs(input.usedToday, input.budget);
  const waitingFor = new Map<string, QueuedMail[]>();
  const held = new Set<string>();
  for (const mail of due) {
    if (mail.urgency !== 'soon') continue;
    for (const recipient of mail.to) {
      const last = input.lastSoon[recipient];
      if (last !== undefined && last + spacing > now) {
        held.add(mail.id);
        continue;
      }
      const list = waitingFor.get(recipient) ?? [];
      list.push(mail);
      waitingFor.set(recipient, list);
    }
  }
  const groups = new Map<string, { to: string[]; mails: QueuedMail[] }>();
  for (const [recipient, mails] of waitingFor) {
    const key = mails.map((m) => m.id).join(' ');
    const group = groups.get(key) ?? { to: [], mails };
    group.to.push(recipient);
    groups.set(key, group);
  }
  const budgetRoom = input.budget - ALERT_SHARE - input.usedToday - alertRecipients;
  const quotaRoom = quota - ALERT_RESERVE;
  let room = Math.min(budgetRoom, quotaRoom);
  const overBudget = new Set<string>();
  const ordered = [...groups.values()].sort((a, b) => oldestFirst(a.mails[0]!, b.mails[0]!));
  for (const group of ordered) {
    for (const to of chunks(group.to, MAX_RECIPIENTS_PER_EMAIL)) {
      if (to.length > room) {
        for (const m of group.mails) overBudget.add(m.id);
        continue;
      }
      emails.push({
        to,
        ...combine(group.mails),
        urgency: 'soon',
        ids: group.mails.map((m) => m.id),
      });
      room -= to.length;
    }
  }
  return {
    emails,
    overBudget: [...overBudget],
    held: [...held],
    starved: [...starved],
    soonLimit: quotaRoom < budgetRoom ? 'quota' : 'budget',
  };
}

/**
 * The alerts' emails, oldest first: each alert on its own to the recipients who have few this
 * flush; to a recipient with more than ALERTS_GROUPED_OVER, all of theirs together (recipients
 * due exactly the same alerts share the email), split to stay under GROUPED_BODY_MAX_BYTES.
 */
function alertEmails(alerts: readonly QueuedMail[]): { to: string[]; mails: QueuedMail[] }[] {
  const count = new Map<string, number>();
  for (const mail of alerts) for (const to of mail.to) count.set(to, (count.get(to) ?? 0) + 1);
  const together = (to: string) => (count.get(to) ?? 0) > ALERTS_GROUPED_OVER;
  const out: { to: string[]; mails: QueuedMail[] }[] = [];
  for (const mail of alerts)
    for (const to of chunks(
      mail.to.filter((t) => !together(t)),
      MAX_RECIPIENTS_PER_EMAIL,
    ))
      out.push({ to, mails: [mail] });
  const groups = new Map<string, { to: string[]; mails: QueuedMail[] }>();
  for (const recipient of count.keys()) {
    if (!together(recipient)) continue;
    const mails = alerts.filter((m) => m.to.includes(recipient));
    const key = mails.map((m) => m.id).join(' ');
    const group = groups.get(key) ?? { to: [], mails };
    group.to.push(recipient);
    groups.set(key, group);
  }
  for (const group of groups.values())
    for (const part of bySize(group.mails, GROUPED_BODY_MAX_BYTES))
      for (const to of chunks(group.to, MAX_RECIPIENTS_PER_EMAIL)) out.push({ to, mails: part });
  return out.sort((a, b) => oldestFirst(a.mails[0]!, b.mails[0]!));
}

/** Consecutive runs of notices whose bodies together stay under `max` bytes (one at least). */
function bySize(mails: readonly QueuedMail[], max: number): QueuedMail[][] {
  const parts: QueuedMail[][] = [];
  let bytes = 0;
  for (const mail of mails) {
    const size = utf8Bytes(mail.subject) + utf8Bytes(bodyOf(mail)) + BETWEEN_NOTICES.length + 8;
    const last = parts[parts.length - 1];
    if (last && bytes + size <= max) {
      last.push(mail);
      bytes += size;
    } else {
      parts.push([mail]);
      bytes = size;
    }
  }
  return parts;
}

/**
 * One email carrying several notices, each with its own subject and words unchanged. A single
 * notice is sent exactly as it was written. Alerts together say so in the subject, and list
 * what each is about before the words of each.
 */
export function combine(
  mails: readonly Pick<QueuedMail, 'subject' | 'body' | 'unclear'>[],
  urgency: Urgency = 'soon',
): {
  subject: string;
  body: string;
} {
  if (mails.length === 1) return { subject: mails[0]!.subject, body: bodyOf(mails[0]!) };
  const intro =
    urgency === 'now'
      ? [
          `${mails.length} alerts from Safe Live Lessons at once, oldest first. Each needs you now:`,
          ...mails.map((m, i) => `${i + 1}. ${m.subject}`),
        ].join('\n')
      : `${mails.length} notices from Safe Live Lessons, oldest first.`;
  return {
    subject: `Safe Live Lessons: ${mails.length} ${urgency === 'now' ? 'urgent notices' : 'notices'}`,
    body: [intro, ...mails.map((m, i) => `${i + 1}. ${m.subject}\n\n${bodyOf(m)}`)].join(
      BETWEEN_NOTICES,
    ),
  };
}

/**
 * A notice sent again after MailApp gave no clear answer may reach its reader twice: the email
 * says so, so that two alerts are not read as two events.
 */
export const MAYBE_REPEAT =
  '(Sent again: Google gave no clear answer to an earlier attempt, so this may reach you twice. It is one notice, not two.)';

function bodyOf(mail: Pick<QueuedMail, 'body' | 'unclear'>): string {
  return mail.unclear ? `${mail.body}\n\n${MAYBE_REPEAT}` : mail.body;
}

const BETWEEN_NOTICES = '\n\n----------\n\n';
const GROUPED = /^Safe Live Lessons: (\d+) (?:urgent )?notices$/;

/** The notices an email carries, as `combine` put them together (itself, when it carries one). */
export function noticesIn(email: { subject: string; body: string }): {
  subject: string;
  body: string;
}[] {
  if (!GROUPED.test(email.subject)) return [{ subject: email.subject, body: email.body }];
  return email.body
    .split(BETWEEN_NOTICES)
    .slice(1)
    .map((part) => {
      const match = /^\d+\. ([^\n]*)\n\n([\s\S]*)$/.exec(part);
      return match ? { subject: match[1]!, body: match[2]! } : { subject: '', body: part };
    });
}

/** What a failed send did, judged from MailApp's remaining quota before and after it. */
export type LostAnswer = 'left' | 'not-sent' | 'unknown';

/**
 * MailApp has no idempotency key and no way to ask whether an email left (Google documents
 * neither), but its remaining quota counts recipients: if it fell by exactly this email's
 * recipients, the email left; if it did not move, it did not. Anything else, an unreadable
 * quota, or another execution of the same account sending at the same time, cannot be judged.
 */
export function judgeLostAnswer(p: {
  before: number | null;
  after: number | null;
  recipients: number;
  othersSending: boolean;
}): LostAnswer {
  if (p.before === null || p.after === null || p.othersSending) return 'unknown';
  if (p.after === p.before - p.recipients) return 'left';
  if (p.after === p.before) return 'not-sent';
  return 'unknown';
}

/**
 * The kind of a notice, from its subject, when the caller did not name one: only for the Mail
 * sheet and the counts (never for urgency, which callers say themselves).
 */
const KINDS: readonly [RegExp, string][] = [
  [/^(Live lesson scheduled:|\d+ live lessons scheduled:)/, 'lesson-scheduled'],
  [/^Approval needed:/, 'approval-needed'],
  [/^(Approved|Declined):/, 'approval-decided'],
  [/^Not yet approved:/, 'not-approved'],
  [/^Still awaiting approval:/, 'approval-reminder'],
  [/^Link still live:/, 'link-live'],
  [/^Serious: an outside participant/, 'outsider'],
  [/^Lesson ended: an outsider joined/, 'outsider-teacher'],
  [/^Action needed in /, 'action-needed'],
  [/^Consent missing in /, 'consent-missing'],
  [/^Lesson \S+ needs attention$/, 'lesson-flagged'],
  [/^Safeguarding incident/, 'incident'],
  [/daily digest/i, 'digest'],
  [/Settings sheet has problems/, 'settings-problem'],
  [/^Lesson \S+: .*recording|recordings cannot be collected/, 'recording'],
  [
    /^(Live lesson (moved|cancelled|restored)|Calendar |Lesson not brought back|Safe Live Lessons could not read your Calendar|Safe Live Lessons: a Calendar change)/,
    'calendar-change',
  ],
];

export function kindOf(subject: string): string {
  return KINDS.find(([re]) => re.test(subject))?.[1] ?? 'notice';
}

/** A notice as stored: recipients cleaned, the subject one line, the whole within one property. */
export function newNotice(p: {
  id: string;
  to: readonly string[];
  subject: string;
  body: string;
  urgency: Urgency;
  kind?: string;
  now: number;
  lease: QueuedMail['lease'];
}): QueuedMail {
  const to = [...new Set(p.to.map((t) => t.trim().toLowerCase()).filter(Boolean))];
  const subject = p.subject.replace(/\s+/g, ' ').trim().slice(0, 250);
  return fitNotice({
    id: p.id,
    kind: p.kind ?? kindOf(subject),
    urgency: p.urgency,
    to,
    subject,
    body: p.body,
    queuedAt: p.now,
    attempts: 0,
    nextTry: p.now,
    lease: p.lease,
  });
}

/** Shortens the body (saying so) until the notice fits one script property. */
export function fitNotice(mail: QueuedMail): QueuedMail {
  let fitted = mail;
  for (let i = 0; i < 8 && noticeBytes(fitted) > NOTICE_MAX_BYTES; i++) {
    const over = noticeBytes(fitted) - NOTICE_MAX_BYTES;
    const body = fitted.body.endsWith(SHORTENED)
      ? fitted.body.slice(0, -SHORTENED.length)
      : fitted.body;
    // Every character is at least one byte: cutting `over` characters (and the note's own
    // length) always gains enough; a few rounds settle escapes and multi-byte characters.
    const keep = Math.max(0, body.length - over - SHORTENED.length);
    fitted = { ...fitted, body: body.slice(0, keep) + SHORTENED };
  }
  return fitted;
}

/** The bytes a notice takes in script properties (its value as stored, UTF-8). */
export function noticeBytes(mail: QueuedMail): number {
  return utf8Bytes(JSON.stringify(mail)) + mail.id.length + 8;
}

export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff) {
      bytes += 4;
      i += 1;
    } else bytes += 3;
  }
  return bytes;
}

/** Whether a 'soon' notice still fits the queue's share of the store; alerts always do. */
export function fitsQueue(queueBytes: number, mail: QueuedMail): boolean {
  return mail.urgency === 'now' || queueBytes + noticeBytes(mail) <= QUEUE_MAX_BYTES;
}

/** How many subjects a folded digest keeps (the rest are counted). */
export const FOLDED_SUBJECTS = 8;

/**
 * The queue is full: a 'soon' notice for `recipient` joins that recipient's one folded digest,
 * which keeps its subject (up to a few) and counts it, instead of being dropped. A notice to
 * several people is folded for each, but `counted` (its first recipient's digest) alone carries
 * it in the tally of kinds, so each notice is counted sent once.
 */
export function foldInto(
  existing: QueuedMail | null,
  mail: QueuedMail,
  recipient: string,
  id: string,
  now: number,
  counted = true,
): QueuedMail {
  const before = existing?.folded ?? { subjects: [], kinds: {} };
  const notices = (existing?.notices ?? 0) + 1;
  const subjects =
    before.subjects.length < FOLDED_SUBJECTS ? [...before.subjects, mail.subject] : before.subjects;
  const kinds = counted
    ? { ...before.kinds, [mail.kind]: (before.kinds[mail.kind] ?? 0) + 1 }
    : before.kinds;
  const more = notices - subjects.length;
  return {
    id,
    kind: 'folded',
    urgency: 'soon',
    to: [recipient],
    subject: `Safe Live Lessons: ${notices} notices, in short`,
    body: [
      `Email could not be sent for a while and the queue grew too long to keep every notice in full, so these ${notices} notices are listed in short:`,
      ...subjects.map((s) => `- ${s}`),
      ...(more > 0 ? [`- and ${more} more`] : []),
      'The log spreadsheet has the details of every lesson, incident and recording.',
    ].join('\n'),
    queuedAt: existing?.queuedAt ?? now,
    attempts: existing?.attempts ?? 0,
    nextTry: existing?.nextTry ?? now,
    lease: null,
    notices,
    folded: { subjects, kinds },
  };
}

function oldestFirst(a: QueuedMail, b: QueuedMail): number {
  return a.queuedAt - b.queuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
