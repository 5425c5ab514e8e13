// R2, R28: who must hear of a lesson still awaiting its approver's agreement, and when. A lesson
// nobody has agreed to never opens; that must not surprise anyone: its teacher is told in plain
// words once its room's opening time comes (and the approvers are reminded then, while approving
// still opens it), and an approver named after the lesson was first put to the approvers hears
// of it too. Each person hears of each lesson once: what was said is kept on the lesson.

import type { Lesson, ScheduledLesson } from './lesson';
import { sharingClosedAt } from './lifecycle-plan';
import type { SchoolSettings } from './settings';
import { localTime, ukTimeRange } from './time';

type Settings = Pick<
  SchoolSettings,
  'approvers' | 'openBeforeStartMinutes' | 'withdrawBeforeEndMinutes' | 'timeZone'
>;

/** When the lesson's room opens, once it is approved (R6). */
export function roomOpensAt(lesson: Lesson, openBeforeStartMinutes: number): number {
  return lesson.start - openBeforeStartMinutes * 60_000;
}

function awaiting(lesson: Lesson, now: number): lesson is ScheduledLesson {
  return lesson.status === 'scheduled' && lesson.approval.state === 'pending' && now < lesson.end;
}

/**
 * R2, R28: the lesson is still awaiting a decision at its room's opening time, and its teacher
 * has not been told for these times (a lesson moved since is told again at its new time).
 */
export function notApprovedNoticeDue(lesson: Lesson, now: number, s: Settings): boolean {
  const opens = roomOpensAt(lesson, s.openBeforeStartMinutes);
  return (
    awaiting(lesson, now) &&
    now >= opens &&
    (lesson.notApprovedToldAt === undefined || lesson.notApprovedToldAt < opens)
  );
}

/**
 * R2: the approvers named now who have not been asked about this lesson, less its own teacher
 * (who may not decide it). Empty for a lesson not yet put to the approvers at all (the log's
 * first write asks them: log-sync.ts), or stored before who was asked was kept.
 */
export function approversNotAsked(lesson: Lesson, now: number, approvers: readonly string[]) {
  if (!awaiting(lesson, now) || lesson.approversAsked === undefined) return [];
  const asked = new Set(lesson.approversAsked);
  return approvers.map((a) => a.toLowerCase()).filter((a) => !asked.has(a) && a !== lesson.teacher);
}

/** The lesson was put to these approvers (they are all who are named now). */
export function noteApproversAsked<T extends Lesson>(lesson: T, approvers: readonly string[]): T {
  const asked = [...new Set(approvers.map((a) => a.toLowerCase()))];
  return { ...lesson, approversAsked: asked };
}

export function noteNotApprovedTold<T extends Lesson>(lesson: T, now: number): T {
  return { ...lesson, notApprovedToldAt: now };
}

/** One email the run should queue (the notifier's `send`). */
export interface ApprovalNotice {
  to: string[];
  subject: string;
  body: string;
  kind: 'approval-needed' | 'approval-reminder' | 'not-approved';
  urgency: 'now' | 'soon';
  /** The lessons it tells of. */
  lessonIds: string[];
}

export const NOT_APPROVED_SUBJECT = 'Not yet approved:';

/** Lessons named in one email: the list stays well within one queued notice (8.5 KB). */
export const LESSONS_PER_NOTICE = 25;

function when(lesson: Lesson, s: Settings, now: number): string {
  return ukTimeRange(lesson.start, lesson.end, s.timeZone, now);
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** One lesson in a list: a long title or class name is cut, never its lesson id. */
function line(lesson: Lesson, s: Settings, now: number): string {
  return `- ${when(lesson, s, now)} ${cut(lesson.title, 120)} (${cut(lesson.courseName, 80)}), ${cut(lesson.teacher, 120)}; lesson id ${lesson.id}`;
}

/** The last moment an approval still opens the room in time for the link to reach the class. */
function lastApproval(lesson: Lesson, s: Settings): number {
  return sharingClosedAt(lesson, s.withdrawBeforeEndMinutes);
}

/**
 * R2, R28: what the teacher of a lesson still awaiting agreement at its opening time is told:
 * it is not approved, its room did not open, and what happens next. 'now': the class may be
 * about to turn up for a room that is not coming.
 */
export function notApprovedNotice(lesson: Lesson, now: number, s: Settings): ApprovalNotice {
  const tz = s.timeZone;
  const opens = localTime(roomOpensAt(lesson, s.openBeforeStartMinutes), tz);
  const last = lastApproval(lesson, s);
  const approvers = s.approvers.filter((a) => a.toLowerCase() !== lesson.teacher);
  const next =
    now < last
      ? `If an approver approves it before ${localTime(last, tz)}, its room opens within a minute and you will be emailed. Otherwise it will not take place: please tell your class.`
      : 'It is now too late for it to open: please tell your class it will not take place. You can schedule it again.';
  return {
    to: [lesson.teacher],
    subject: `${NOT_APPROVED_SUBJECT} ${lesson.title} (${when(lesson, s, now)}) will not open`,
    body: [
      `Your live lesson ${cut(lesson.title, 200)} (${cut(lesson.courseName, 120)}, ${when(lesson, s, now)}) has not been approved yet, so its room did not open at ${opens}. A live lesson needs the agreement of the head teacher or a nominee before its room can open (school policy).`,
      next,
      approvers.length > 0
        ? `The approvers named in the school settings (${approvers.join(', ')}) have been reminded.`
        : 'Nobody but you is named as an approver in the school settings: ask SLT to add another approver.',
      `Lesson id ${lesson.id}.`,
    ].join('\n\n'),
    kind: 'not-approved',
    urgency: 'now',
    lessonIds: [lesson.id],
  };
}

/** In emails of at most LESSONS_PER_NOTICE lessons each. */
function parts<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += LESSONS_PER_NOTICE)
    out.push(items.slice(i, i + LESSONS_PER_NOTICE));
  return out;
}

/**
 * The approvers of lessons reaching their opening time undecided: reminded in one list (per
 * LESSONS_PER_NOTICE lessons), at once, while approving still opens the room. A lesson's own
 * teacher is not reminded of it (they may not decide it).
 */
export function approversReminder(
  lessons: readonly Lesson[],
  now: number,
  s: Settings,
): ApprovalNotice[] {
  const byRecipients = new Map<string, { to: string[]; lessons: Lesson[] }>();
  for (const lesson of lessons) {
    const to = [
      ...new Set(s.approvers.map((a) => a.toLowerCase()).filter((a) => a !== lesson.teacher)),
    ];
    if (to.length === 0) continue;
    const key = to.join(' ');
    const group = byRecipients.get(key) ?? { to, lessons: [] };
    group.lessons.push(lesson);
    byRecipients.set(key, group);
  }
  const tz = s.timeZone;
  return [...byRecipients.values()].flatMap((group) =>
    parts(group.lessons).map((part, i, all) => ({
      to: group.to,
      subject:
        part.length === 1 && all.length === 1
          ? `Still awaiting approval: ${part[0]!.title} (${when(part[0]!, s, now)})`
          : `Still awaiting approval: ${part.length} live lessons${all.length > 1 ? ` (list ${i + 1} of ${all.length})` : ''}`,
      body: [
        `${part.length === 1 ? 'This live lesson has' : 'These live lessons have'} reached the time ${part.length === 1 ? 'its' : 'their'} room would open, and nobody has approved ${part.length === 1 ? 'it' : 'them'}, so ${part.length === 1 ? 'it has' : 'they have'} not opened:`,
        ...part.map(
          (l) =>
            `${line(l, s, now)}; approve before ${localTime(lastApproval(l, s), tz)} for it to open`,
        ),
        '',
        'Approve or decline from Safe Live Lessons in the Google Workspace sidebar. An approved lesson’s room opens within a minute. Each teacher has been told their lesson is not approved.',
      ].join('\n'),
      kind: 'approval-reminder' as const,
      urgency: 'now' as const,
      lessonIds: part.map((l) => l.id),
    })),
  );
}

/**
 * R2: an approver named after lessons were put to the approvers hears of those still awaiting a
 * decision: one list (per LESSONS_PER_NOTICE lessons) for each approver. A single list waits for
 * the approver's next grouped email; several go at once, as the log's lists do, so that the mail
 * queue never folds them into a digest that names no lesson.
 */
export function newApproverNotices(
  waiting: readonly { lesson: Lesson; approvers: readonly string[] }[],
  now: number,
  s: Settings,
): ApprovalNotice[] {
  const byApprover = new Map<string, Lesson[]>();
  for (const { lesson, approvers } of waiting)
    for (const a of approvers) byApprover.set(a, [...(byApprover.get(a) ?? []), lesson]);
  return [...byApprover.entries()].flatMap(([approver, lessons]) => {
    const all = parts(lessons);
    return all.map((part, i) => ({
      to: [approver],
      subject:
        part.length === 1 && all.length === 1
          ? `Approval needed: ${part[0]!.title} (${when(part[0]!, s, now)})`
          : `Approval needed: ${part.length} live lessons${all.length > 1 ? ` (list ${i + 1} of ${all.length})` : ''}`,
      body: [
        `You are now named as an approver in the school settings. ${part.length === 1 ? 'This live lesson, scheduled before then, awaits' : 'These live lessons, scheduled before then, await'} a decision:`,
        ...part.map((l) => line(l, s, now)),
        '',
        'Open Safe Live Lessons in the Google Workspace sidebar to approve or decline. A room cannot open until its lesson is approved.',
      ].join('\n'),
      kind: 'approval-needed' as const,
      urgency: all.length > 1 ? ('now' as const) : ('soon' as const),
      lessonIds: part.map((l) => l.id),
    }));
  });
}
