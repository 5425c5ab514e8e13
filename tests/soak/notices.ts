// Notices due against notices sent (issue 9: "The soak counts notices sent against notices
// due: equal"). `noticesDue` says, for one lesson and what happened in it, which emails the
// school's policy requires; `noticesSent` reads the simulated outbox and attributes each email
// to a kind and a lesson. The soak compares the two per kind. When the product changes how it
// tells people (a mail queue; the room link on the lesson card instead of an email), change
// `noticesDue` and `KINDS` here, and nothing else. (The room link reaches the teacher on the
// lesson's Calendar event and card, not by email, so it is not a notice.)

import { MAYBE_REPEAT, noticesIn } from '../../src/core/mail-plan';
import type { SentMail } from '../sim/services/mail';

export type NoticeKind =
  | 'scheduled-to-slt'
  | 'approval-request'
  | 'outsider-alert-to-dsl'
  | 'outsider-action-to-teacher'
  | 'incident-to-dsl'
  | 'link-live-alert-to-slt'
  | 'pupils-alone-alert'
  | 'alone-call-ended';

/** What the soak saw happen to one lesson: the facts policy reacts to. */
export interface LessonFacts {
  lessonId: string;
  title: string;
  /** Someone from outside the school got into the call (R14, R22). */
  outsiderJoined: boolean;
  /** Incidents the teacher reported from the sidebar and was told were sent (R15). */
  incidentsReported: number;
  /** The checker saw the link still on Classroom at the scheduled end (R10). */
  linkLiveAtEnd: boolean;
  /**
   * Staff dropped out while pupils were in the call (R21) and nobody from the school came back,
   * so the gap lasts until the product ends the call.
   */
  pupilsLeftAlone: boolean;
  /**
   * Staff dropped out while pupils were in the call and the teacher came back in within the
   * school's staffAbsentEndMinutes (a dropped connection): the call goes on.
   */
  pupilsAloneTillStaffBack?: boolean;
}

export interface NoticePolicy {
  approvalRequired: boolean;
}

/**
 * The notices policy requires for one lesson, one entry per email. Sources:
 * R3 (SLT told of every scheduled lesson), R2 (approvers asked when approval is required),
 * R14/R22 (an outsider is a serious
 * flag: the DSL is told and the teacher told to end the lesson), R15 (an incident reaches the
 * DSL at once), R10 and README "Withdraw and end" (SLT emailed if the link is live at the end),
 * R21 (pupils left with no member of staff: the teacher, DSL and SLT are told once the school's
 * staffAbsentAlertSeconds have passed, and told again when the call is ended after
 * staffAbsentEndMinutes; the soak's gaps last until the call is ended, so both are due).
 */
export function noticesDue(facts: LessonFacts, policy: NoticePolicy): NoticeKind[] {
  const due: NoticeKind[] = ['scheduled-to-slt'];
  if (policy.approvalRequired) due.push('approval-request');
  if (facts.outsiderJoined) due.push('outsider-alert-to-dsl', 'outsider-action-to-teacher');
  for (let i = 0; i < facts.incidentsReported; i++) due.push('incident-to-dsl');
  if (facts.linkLiveAtEnd) due.push('link-live-alert-to-slt');
  if (facts.pupilsLeftAlone) due.push('pupils-alone-alert', 'alone-call-ended');
  return due;
}

/**
 * Notices that may or may not be sent for one lesson, as the looks fell: neither missing when
 * absent nor extra when sent once. A teacher back in the call two and a half minutes after the
 * pupils were left alone: the alert is due once a look sees them alone past
 * staffAbsentAlertSeconds, and Google may have left every look in that window unanswered. The
 * call is not ended, so "Call ended" is not among them: sent, it is extra.
 */
export function noticesThatMay(facts: LessonFacts): NoticeKind[] {
  return facts.pupilsAloneTillStaffBack ? ['pupils-alone-alert'] : [];
}

/** How an email of each kind is recognised, and which lesson it is about (by title or by id). */
const KINDS: {
  kind: NoticeKind;
  subject: RegExp;
  by: 'title' | 'id';
  from?: 'body' | 'list';
}[] = [
  // SLT hear of new lessons in one list an hour, approvers in one request a run: each lesson
  // in the list is named by its id ("lesson id L-...").
  {
    kind: 'scheduled-to-slt',
    subject: /^(Live lesson scheduled: .+ \(\d|\d+ live lessons scheduled: )/,
    by: 'id',
    from: 'list',
  },
  { kind: 'approval-request', subject: /^Approval needed: /, by: 'id', from: 'list' },
  {
    kind: 'outsider-alert-to-dsl',
    subject: /^Serious: an outside participant joined lesson (\S+)$/,
    by: 'id',
  },
  // The school ends the lesson (outsiderAction: end) or tells the teacher to (alert only).
  {
    kind: 'outsider-action-to-teacher',
    subject: /^Lesson ended: an outsider joined (.+)$/,
    by: 'title',
  },
  { kind: 'outsider-action-to-teacher', subject: /^Action needed in (.+)$/, by: 'title' },
  {
    kind: 'incident-to-dsl',
    subject: /^Safeguarding incident in a live lesson: /,
    by: 'id',
    from: 'body',
  },
  { kind: 'link-live-alert-to-slt', subject: /^Link still live: (.+?) \(/, by: 'title' },
  {
    kind: 'pupils-alone-alert',
    subject: /^Pupils alone in (.+): no member of staff in the call$/,
    by: 'title',
  },
  { kind: 'alone-call-ended', subject: /^Call ended: (.+) had no member of staff$/, by: 'title' },
];

const FOLDED = /^Safe Live Lessons: \d+ notices, in short$/;

/**
 * The notices an email carries: itself, or each notice of a grouped email (the mail queue puts
 * several together when it must), or the subjects of a folded one (listed in short, no body).
 */
export function noticesOf(
  mail: Pick<SentMail, 'subject' | 'body'>,
): { subject: string; body: string }[] {
  if (FOLDED.test(mail.subject))
    return mail.body
      .split('\n')
      .filter((line) => line.startsWith('- ') && !/^- and \d+ more$/.test(line))
      .map((line) => ({ subject: line.slice(2), body: '' }));
  return noticesIn(mail);
}

/** Every notice, by a short kind name (those above, or a word from the subject for the rest). */
export function emailKind(mail: Pick<SentMail, 'subject'>): string {
  const known = KINDS.find((k) => k.subject.test(mail.subject));
  if (known) return known.kind;
  const rest: [RegExp, string][] = [
    [/^Approved: /, 'approved-to-teacher'],
    [/^Declined: /, 'declined-to-teacher'],
    [/^Consent missing in /, 'consent-missing-to-teacher'],
    [/^Lesson \S+ needs attention$/, 'needs-attention'],
    [/^Lesson \S+ was not recorded$/, 'not-recorded'],
    [/daily digest/, 'daily-digest'],
    [/Settings sheet has problems/, 'settings-problems'],
    [/^Lesson \S+: no recording$/, 'no-recording'],
    [/^Lesson \S+: recording found after all$/, 'recording-found'],
    [
      /^Lesson \S+: recording (not yet in|left outside) the safeguarding folder$/,
      'recording-outside',
    ],
    [/recordings cannot be collected/, 'recordings-blocked'],
    [/could not read your Calendar|a Calendar change is waiting/, 'calendar-not-read'],
    [
      /^(Live lesson (moved|cancelled|restored)|Calendar (move|and lesson)|Lesson not brought back)/,
      'calendar-change',
    ],
  ];
  return rest.find(([re]) => re.test(mail.subject))?.[1] ?? 'other';
}

export interface SentNotice {
  kind: NoticeKind;
  lessonId: string;
  /** The copy says it was sent again because MailApp gave no clear answer (it may be a twin). */
  markedResent?: true;
}

/** The outbox's notices about the given lessons (others are ignored here; `emailKind` counts them). */
export function noticesSent(
  outbox: readonly Pick<SentMail, 'subject' | 'body'>[],
  lessons: readonly { lessonId: string; title: string }[],
): SentNotice[] {
  const byTitle = new Map(lessons.map((l) => [l.title, l.lessonId]));
  const ids = new Set(lessons.map((l) => l.lessonId));
  const out: SentNotice[] = [];
  for (const mail of outbox.flatMap(noticesOf)) {
    const rule = KINDS.find((k) => k.subject.test(mail.subject));
    if (!rule) continue;
    if (rule.from === 'list') {
      for (const m of mail.body.matchAll(/lesson id (\S+?)(?:;|\s|$)/g))
        if (ids.has(m[1]!)) out.push({ kind: rule.kind, lessonId: m[1]! });
      continue;
    }
    let lessonId: string | undefined;
    if (rule.from === 'body') {
      lessonId = [...mail.body.matchAll(/\(([^()\s]+)\)/g)]
        .map((m) => m[1]!)
        .find((id) => ids.has(id));
    } else {
      const key = rule.subject.exec(mail.subject)?.[1];
      lessonId = key === undefined ? undefined : rule.by === 'title' ? byTitle.get(key) : key;
    }
    if (lessonId && ids.has(lessonId))
      out.push({
        kind: rule.kind,
        lessonId,
        ...(mail.body.includes(MAYBE_REPEAT) ? { markedResent: true as const } : {}),
      });
  }
  return out;
}

export interface NoticeBalance {
  due: number;
  sent: number;
  /** Due but never sent, as `lessonId` (repeated if owed twice). */
  missing: string[];
  /** Sent but not due, or sent more times than due. */
  extra: string[];
  /**
   * Of `extra`, those where a copy said it was sent again after MailApp gave no clear answer:
   * the reader was told it may be a twin of one notice.
   */
  extraMarked: string[];
}

/** Per kind: how many were due and sent, and which lessons differ. */
export function balanceNotices(
  due: readonly SentNotice[],
  sent: readonly SentNotice[],
  may: readonly SentNotice[] = [],
): Record<NoticeKind, NoticeBalance> {
  const out = {} as Record<NoticeKind, NoticeBalance>;
  const key = (n: SentNotice) => `${n.kind}\u0000${n.lessonId}`;
  const tally = (list: readonly SentNotice[]) => {
    const m = new Map<string, number>();
    for (const n of list) m.set(key(n), (m.get(key(n)) ?? 0) + 1);
    return m;
  };
  const dueCount = tally(due);
  const sentCount = tally(sent);
  const mayCount = tally(may);
  for (const { kind } of KINDS)
    out[kind] = { due: 0, sent: 0, missing: [], extra: [], extraMarked: [] };
  const marked = tally(sent.filter((n) => n.markedResent));
  for (const n of due) out[n.kind].due += 1;
  for (const n of sent) out[n.kind].sent += 1;
  for (const k of new Set([...dueCount.keys(), ...sentCount.keys()])) {
    const [kind, lessonId] = k.split('\u0000') as [NoticeKind, string];
    const over = (sentCount.get(k) ?? 0) - (dueCount.get(k) ?? 0);
    // Those that may be sent take up what is over, up to their number (never what is missing).
    const diff = over > 0 ? Math.max(0, over - (mayCount.get(k) ?? 0)) : over;
    for (let i = 0; i < Math.abs(diff); i++)
      (diff < 0 ? out[kind].missing : out[kind].extra).push(lessonId);
    // An extra copy is accounted for by a copy that says it was sent again (one each).
    for (let i = 0; i < Math.min(Math.max(0, diff), marked.get(k) ?? 0); i++)
      out[kind].extraMarked.push(lessonId);
  }
  return out;
}
