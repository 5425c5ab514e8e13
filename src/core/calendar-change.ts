// R1: a lesson is an event in its teacher's Calendar, and a change to that event changes the
// lesson, but only the event the product made, on the lesson's own teacher's calendar. What a
// change does depends on where the lesson is in its life: before the room opens the lesson
// follows its event; once the room is open it keeps its running times for safety (R10) and the
// teacher and SLT are told in words; after it ended the record only notes it. Nothing here is
// silent: every outcome has its messages and its line for the operations log.

import type { Flag } from './flags';
import {
  askAgainIfDeclined,
  type CalendarMove,
  type CancelledLesson,
  type ClosedLesson,
  calendarAgrees,
  cancelLesson,
  type EndedLesson,
  effectiveEnd,
  endCallAt,
  type Lesson,
  noteCancelledAfter,
  noteMove,
  type OpenLesson,
  refuseMove,
  reschedule,
  restoreLesson,
  type ScheduledLesson,
  withdrawAt,
} from './lesson';
import type { CalendarChange } from './ports';
import { checkLessonRequest, type TimedLesson } from './schedule-policy';
import type { SchoolSettings } from './settings';
import { localTime, ukTimeRange } from './time';

/** One event as a calendar's own sync reported it (incremental or full). */
export type EventChange = CalendarChange;

/** Why a change that names or mirrors a lesson does not change it (for the operations log). */
export type IgnoredWhy =
  /** The second adult's own copy of the invitation: theirs to decline or delete. */
  | 'second-adult-copy'
  /** The lesson's event id on an account that is neither its teacher nor its second adult. */
  | 'event-id-on-another-calendar'
  /** The lesson's id copied into an event on another account's calendar. */
  | 'tag-on-another-calendar'
  /** The lesson's id copied into another event on the teacher's own calendar (a duplicate). */
  | 'tag-on-another-event';

export type Claim =
  | { kind: 'own'; lesson: Lesson }
  | { kind: 'ignored'; lessonId: string; why: IgnoredWhy }
  | { kind: 'unrelated' };

/**
 * R1: which lesson a change on `owner`'s calendar may change. Only the event the product made
 * (the lesson's `calendarEventId`) on the lesson's own teacher's calendar counts: a forged tag,
 * a copied event id, or a guest's copy changes nothing.
 */
export function claimChange(lessons: readonly Lesson[], owner: string, change: EventChange): Claim {
  const me = owner.toLowerCase();
  const own = lessons.find((l) => l.teacher === me && l.calendarEventId === change.eventId);
  if (own) return { kind: 'own', lesson: own };
  const sameId = lessons.find((l) => l.calendarEventId === change.eventId);
  if (sameId)
    return {
      kind: 'ignored',
      lessonId: sameId.id,
      why: sameId.secondStaff === me ? 'second-adult-copy' : 'event-id-on-another-calendar',
    };
  const tagged = change.lessonId ? lessons.find((l) => l.id === change.lessonId) : undefined;
  if (tagged)
    return {
      kind: 'ignored',
      lessonId: tagged.id,
      why: tagged.teacher === me ? 'tag-on-another-event' : 'tag-on-another-calendar',
    };
  return { kind: 'unrelated' };
}

/** Whether an ignored change is worth a line in the operations log (a guest's copy merely echoing the lesson is not). */
export function ignoredIsNotable(claim: Claim, change: EventChange, lessons: readonly Lesson[]) {
  if (claim.kind !== 'ignored') return false;
  if (claim.why !== 'second-adult-copy') return true;
  const lesson = lessons.find((l) => l.id === claim.lessonId);
  return change.cancelled || !lesson || lesson.start !== change.start || lesson.end !== change.end;
}

const IGNORED_TEXT: Record<IgnoredWhy, string> = {
  'second-adult-copy':
    "the second adult's own copy of the event changed (declined or removed); the lesson is unchanged",
  'event-id-on-another-calendar':
    "an event with this lesson's event id on another account's calendar changed; ignored",
  'tag-on-another-calendar':
    "an event on another account's calendar carries this lesson's id; ignored",
  'tag-on-another-event':
    "another event on the teacher's calendar carries this lesson's id; only the lesson's own event counts",
};

/** The operations-log line for an ignored change: the lesson id and the reason, no person named (R20). */
export function ignoredLine(lessonId: string, why: IgnoredWhy): string {
  return `calendar sync: lesson ${lessonId}: ${IGNORED_TEXT[why]}`;
}

export interface Times {
  start: number;
  end: number;
}

export type Decision =
  /** Already applied, or the event says what the lesson already holds. */
  | { kind: 'none' }
  | { kind: 'cancelled-before-open'; lesson: CancelledLesson }
  | { kind: 'cancelled-during'; lesson: OpenLesson }
  | { kind: 'cancelled-after'; lesson: EndedLesson | ClosedLesson }
  | { kind: 'moved'; lesson: ScheduledLesson; from: Times }
  | { kind: 'move-refused'; lesson: ScheduledLesson; to: Times; why: string[] }
  | { kind: 'moved-back'; lesson: Lesson }
  | { kind: 'move-while-open'; lesson: OpenLesson; to: Times }
  | { kind: 'moved-after'; lesson: EndedLesson | ClosedLesson; to: Times }
  | { kind: 'restored'; lesson: ScheduledLesson }
  | { kind: 'restore-refused'; lesson: Lesson; why: string[] };

export interface DecideContext {
  now: number;
  settings: SchoolSettings;
  /** Start times of the class's other live lessons (the weekly cap, R4). */
  otherLessonStarts: readonly number[];
  /** The teacher's other live lessons (a move into another of theirs is flagged). */
  teacherLessons?: readonly TimedLesson[];
}

/** What a change to a lesson's own event does to the lesson (R1, R4, R10). */
export function decideChange(lesson: Lesson, change: EventChange, ctx: DecideContext): Decision {
  const to: Times = { start: change.start, end: change.end };
  const move: CalendarMove = { ...to, at: ctx.now };
  const sameTimes = lesson.start === to.start && lesson.end === to.end;
  // A move refused before the room opened is still what the event says when it is read again
  // for another reason (its room link written on it, a guest's answer): not a new move.
  const refusedAgain =
    lesson.refusedMove !== undefined &&
    lesson.refusedMove.start === to.start &&
    lesson.refusedMove.end === to.end;

  if (change.cancelled) {
    switch (lesson.status) {
      case 'scheduled':
        return { kind: 'cancelled-before-open', lesson: cancelLesson(lesson, ctx.now) };
      case 'open':
        return lesson.cancelledAt !== undefined
          ? { kind: 'none' }
          : { kind: 'cancelled-during', lesson: cancelLesson(lesson, ctx.now) };
      case 'ended':
      case 'closed':
        return lesson.cancelledAt !== undefined
          ? { kind: 'none' }
          : { kind: 'cancelled-after', lesson: noteCancelledAfter(lesson, ctx.now) };
      case 'cancelled':
        return { kind: 'none' };
    }
  }

  switch (lesson.status) {
    case 'scheduled': {
      if (sameTimes) {
        const agreed = calendarAgrees(lesson);
        return agreed === lesson ? { kind: 'none' } : { kind: 'moved-back', lesson: agreed };
      }
      const check = policyCheck(lesson, to, ctx);
      if (check.refusals.length > 0) {
        const refused = refuseMove(lesson, move, check.refusals);
        return refused === lesson
          ? { kind: 'none' }
          : { kind: 'move-refused', lesson: refused, to, why: check.refusals };
      }
      return {
        kind: 'moved',
        lesson: askAgainIfDeclined(reschedule(lesson, to.start, to.end, check.flags)),
        from: { start: lesson.start, end: lesson.end },
      };
    }
    case 'open': {
      if (lesson.cancelledAt !== undefined)
        return refused(lesson, move, [
          'the lesson had already been ended because its event was deleted',
        ]);
      if (sameTimes) {
        const agreed = calendarAgrees(lesson);
        return agreed === lesson ? { kind: 'none' } : { kind: 'moved-back', lesson: agreed };
      }
      if (refusedAgain) return { kind: 'none' };
      const noted = noteMove(lesson, move);
      return noted === lesson ? { kind: 'none' } : { kind: 'move-while-open', lesson: noted, to };
    }
    case 'ended':
    case 'closed': {
      if (sameTimes || refusedAgain) return { kind: 'none' };
      const noted = noteMove(lesson, move);
      return noted === lesson ? { kind: 'none' } : { kind: 'moved-after', lesson: noted, to };
    }
    case 'cancelled': {
      // The deleted event is back (restored from the bin).
      if (lesson.room !== null || lesson.post.state !== 'none')
        return refused(lesson, move, ['its room had already opened before it was cancelled']);
      const check = policyCheck(lesson, to, ctx);
      if (check.refusals.length > 0) return refused(lesson, move, check.refusals);
      return { kind: 'restored', lesson: restoreLesson(lesson, to.start, to.end, check.flags) };
    }
  }
}

/** A restored event the lesson cannot follow: noted once, so a later full sync does not repeat it. */
function refused(lesson: Lesson, move: CalendarMove, why: string[]): Decision {
  const noted = refuseMove(lesson, move, why);
  return noted === lesson ? { kind: 'none' } : { kind: 'restore-refused', lesson: noted, why };
}

function policyCheck(lesson: Lesson, to: Times, ctx: DecideContext) {
  return checkLessonRequest(
    {
      courseId: lesson.courseId,
      title: lesson.title,
      start: to.start,
      end: to.end,
      teacher: lesson.teacher,
      secondStaff: lesson.secondStaff,
    },
    {
      settings: ctx.settings,
      now: ctx.now,
      // It was checked when it was scheduled; the course is not in question here.
      teachesCourse: true,
      otherLessonStarts: ctx.otherLessonStarts,
      teacherLessons: ctx.teacherLessons,
    },
  );
}

// ---- in words ------------------------------------------------------------------------------

export interface Message {
  to: string[];
  subject: string;
  body: string;
}

/** "Mon 23 Nov, 10:00–10:30", as a UK teacher writes it (core/time.ts); a time that is not one says so. */
export function ukWhen(t: Times, timeZone: string): string {
  if (!Number.isFinite(t.start) || !Number.isFinite(t.end)) return 'no set time (an all-day event)';
  return ukTimeRange(t.start, t.end, timeZone);
}

function flagLines(flags: readonly Flag[]): string {
  return flags.length === 0 ? '' : `\nFlags:\n${flags.map((f) => `- ${f.detail}`).join('\n')}`;
}

/** Who must hear of a decision, and what they are told (R1, R3, R28: nothing is silent). */
export function changeMessages(
  before: Lesson,
  decision: Decision,
  settings: SchoolSettings,
): Message[] {
  const tz = settings.timeZone;
  const what = `${before.title} (${before.courseName})`;
  const who = `${what}, taught by ${before.teacher}`;
  const was = ukWhen(before, tz);
  const teacher = [before.teacher];
  const slt = settings.sltEmails;
  const both = [...teacher, ...slt];
  switch (decision.kind) {
    case 'none':
    case 'cancelled-after':
    case 'moved-after':
    case 'cancelled-before-open':
      // Before the room opened a cancellation shows in the log, as it always has; after the
      // lesson a change is only noted in the log (its recording is still collected and purged).
      return [];
    case 'moved-back': {
      const running = decision.lesson.status === 'open';
      return [
        {
          to: both,
          subject: `Calendar and lesson agree again: ${before.title}`,
          body:
            `The Calendar event for ${who} is back at the lesson's own times, ${was}. ` +
            (running
              ? `The lesson runs to those times: the link comes off Google Classroom at ${localTime(withdrawAt(decision.lesson, settings.withdrawBeforeEndMinutes), tz)} and the call ends at ${localTime(endCallAt(decision.lesson, settings.endGraceMinutes), tz)}.`
              : 'Nothing more needs doing.') +
            ` Lesson id ${before.id}.`,
        },
      ];
    }
    case 'cancelled-during': {
      const at = localTime(decision.lesson.cancelledAt ?? 0, tz);
      return [
        {
          to: both,
          subject: `Live lesson cancelled during the lesson: ${before.title}`,
          body:
            `The Calendar event for ${who} (${was}) was deleted at ${at}, while its room was open.\n` +
            'The lesson is treated as cancelled during the lesson: the link is being removed from Google Classroom and the call ended for everyone now.\n' +
            'It then closes like any other lesson: attendance is taken from the call, the log gets its full row (marked "cancelled during the lesson") and the recording is collected into the safeguarding folder and purged on time.\n' +
            `Teacher: please write the lesson log from the sidebar as usual. Lesson id ${before.id}.`,
        },
      ];
    }
    case 'moved': {
      const now = ukWhen(decision.lesson, tz);
      const flags = decision.lesson.flags.filter((f) => f.code !== 'not-approved');
      // Approvers still to decide (or to decide again after a decline) see the new times too,
      // and the one who agreed to the old times hears of the move (R2).
      const approval = before.approval;
      const approvers =
        approval.state === 'pending' || approval.state === 'declined'
          ? settings.approvers
          : approval.state === 'approved'
            ? [approval.by]
            : [];
      const once =
        approval.state === 'pending' || approval.state === 'declined'
          ? ', once it is approved'
          : '';
      const agreed =
        approval.state === 'approved'
          ? ` It was approved by ${approval.by} for ${was}.`
          : approval.state === 'declined'
            ? ` It had been declined by ${approval.by} (${approval.reason}), so it awaits approval again at the new time.`
            : '';
      return [
        {
          to: [...new Set([...slt, ...approvers])],
          subject: `Live lesson moved: ${before.title} (now ${now})`,
          body:
            `${before.teacher} moved the Calendar event for ${what} from ${was} to ${now}. ` +
            `The lesson follows it: its room opens ${settings.openBeforeStartMinutes} minutes before the new start${once}.${agreed}` +
            `${flagLines(flags)}\nLesson id ${before.id}; the log has the details.`,
        },
      ];
    }
    case 'move-refused': {
      const to = ukWhen(decision.to, tz);
      return [
        {
          to: both,
          subject: `Calendar move not followed: ${before.title}`,
          body:
            `The Calendar event for ${who} was moved from ${was} to ${to}, but the lesson cannot move there:\n` +
            `${decision.why.map((w) => `- ${w}`).join('\n')}\n` +
            `So the lesson still takes place at ${was}, and its room opens then. ` +
            'Teacher: move the event back to that time, move it to a time the policy allows, or delete the event to cancel the lesson. ' +
            `Until then your Calendar and the lesson disagree. Lesson id ${before.id}.`,
        },
      ];
    }
    case 'move-while-open': {
      const to = ukWhen(decision.to, tz);
      const lesson = decision.lesson;
      const endsEarlier = effectiveEnd(lesson) < before.end;
      const withdraw = localTime(withdrawAt(lesson, settings.withdrawBeforeEndMinutes), tz);
      const end = localTime(endCallAt(lesson, settings.endGraceMinutes), tz);
      const kept = endsEarlier
        ? `For safety the lesson does not move: because the new end is earlier, it now ends on the new clock. The link comes off Google Classroom at ${withdraw} and the call is ended for everyone at ${end}.`
        : `For safety the lesson does not move: it keeps its running times. The link comes off Google Classroom at ${withdraw} and the call is ended for everyone at ${end}, as planned.`;
      return [
        {
          to: both,
          subject: `Calendar move after the room opened: ${before.title}`,
          body:
            `The Calendar event for ${who} (${was}) was moved to ${to} after its room had opened.\n${kept}\n` +
            'Teacher: if the class should meet at the new time, schedule a new lesson for it from the sidebar; a lesson cannot be moved once its room is open. ' +
            `Lesson id ${before.id}.`,
        },
      ];
    }
    case 'restored': {
      const now = ukWhen(decision.lesson, tz);
      return [
        {
          to: both,
          subject: `Live lesson restored: ${before.title} (${now})`,
          body:
            `The deleted Calendar event for ${who} was restored, so the lesson is scheduled again for ${now}.` +
            `${flagLines(decision.lesson.flags.filter((f) => f.code !== 'not-approved'))}\nLesson id ${before.id}.`,
        },
      ];
    }
    case 'restore-refused':
      return [
        {
          to: teacher,
          subject: `Lesson not brought back: ${before.title}`,
          body:
            `The Calendar event for ${what} (${was}) is back in your Calendar, but the lesson stays cancelled: ` +
            `${decision.why.join('; ')}.\n` +
            'To hold the lesson, schedule a new one from the sidebar (and delete this event). ' +
            `Lesson id ${before.id}.`,
        },
      ];
  }
}

/** The operations-log line for a decision: lesson id and what happened, no person named (R20). */
export function decisionLine(lessonId: string, decision: Decision): string | null {
  const text: Record<Exclude<Decision['kind'], 'none'>, string> = {
    'cancelled-before-open': 'event deleted before the room opened: lesson cancelled',
    'cancelled-during':
      'event deleted while the room was open: cancelled during the lesson, link and call ending now',
    'cancelled-after': 'event deleted after the lesson ended: noted, nothing else changes',
    moved: 'event moved before the room opened: lesson follows it',
    'move-refused': 'event moved to times the policy refuses: lesson keeps its times',
    'moved-back': "event back at the lesson's own times",
    'move-while-open':
      'event moved after the room opened: lesson keeps its running times (earlier end if earlier)',
    'moved-after': 'event moved after the lesson ended: noted',
    restored: 'deleted event restored: lesson scheduled again',
    'restore-refused': 'deleted event restored: lesson stays cancelled',
  };
  return decision.kind === 'none'
    ? null
    : `calendar sync: lesson ${lessonId}: ${text[decision.kind]}`;
}

/**
 * R18: the Status cell of the Sessions row says what the Calendar did, so SLT see a lesson
 * "cancelled during the lesson" or an attempted move without opening anything else.
 */
export function statusText(lesson: Lesson, timeZone: string): string {
  const notes: string[] = [];
  const t = (ms: number) => localTime(ms, timeZone);
  if (lesson.status === 'open' || lesson.status === 'ended' || lesson.status === 'closed') {
    const endedAt = lesson.status === 'open' ? null : lesson.endedAt;
    // After the lesson: once the call had ended, or for a lesson whose room never opened.
    const afterLesson = (at: number) =>
      lesson.status !== 'open' && (endedAt === null || at > endedAt);
    const cancelledAt = lesson.cancelledAt;
    if (cancelledAt !== undefined)
      notes.push(
        afterLesson(cancelledAt)
          ? `event deleted in Calendar after the lesson, at ${t(cancelledAt)}`
          : `cancelled during the lesson: event deleted at ${t(cancelledAt)}`,
      );
    const move = lesson.attemptedMove;
    if (move)
      notes.push(
        afterLesson(move.at)
          ? `event moved to ${ukWhen(move, timeZone)} after the lesson`
          : `event moved to ${ukWhen(move, timeZone)} after the room opened: kept ${t(lesson.start)}–${t(lesson.end)}${move.end < lesson.end ? `, ending by ${t(Math.max(move.end, move.at))}` : ''}`,
      );
  }
  if (lesson.refusedMove)
    notes.push(
      `Calendar change to ${ukWhen(lesson.refusedMove, timeZone)} not followed: ${lesson.refusedMove.why.join(' ')}`,
    );
  // A cancelled lesson stays plain "cancelled": the dashboard leaves those out of its counts.
  if (notes.length === 0 || lesson.status === 'cancelled') return lesson.status;
  return `${lesson.status} (${notes.join('; ')})`;
}
