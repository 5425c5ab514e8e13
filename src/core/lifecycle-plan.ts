// What each lesson needs done now, worked out from its state and the clock alone. The
// monitor asks this for every lesson every tick; a lesson with nothing due costs no
// Google call (R10: nothing depends on a teacher remembering).

import { cannotWatch } from './cannot-watch';
import { coverDue } from './cover';
import { endAsked, inCallOf, staffAlertOpen } from './in-call';
import {
  endCallAt,
  isApproved,
  type Lesson,
  linkAlertAt,
  linkIsLive,
  roomLinkOnEvent,
  withdrawAt,
} from './lesson';
import type { SchoolSettings } from './settings';

export type DueAction =
  /** R6/R7: create the room shortly before the start, so the teacher can be in first. */
  | 'open-room'
  /** R5/R7: put the room link on the lesson's Calendar event for the teacher and second adult. */
  | 'show-room-link'
  /** R6/R14: look at who is in the call: share once the host is there; report outsiders. */
  | 'watch-call'
  /** R11/R21: pupils without staff: a colleague added to the class since it was scheduled may cover. */
  | 'admit-cover'
  /** R10: take the link off Classroom (before the end, or at once if its event was deleted). */
  | 'withdraw-link'
  /** R10: the link is still on Classroom at the scheduled end; SLT must know. */
  | 'alert-link-live'
  /** R10: end the call for everyone and lock the room (at once if its event was deleted). */
  | 'end-call'
  /** R11-R14, R18: attendance, flags and the closing log entry. */
  | 'close';

/**
 * An open lesson whose Calendar event was deleted (`cancelledAt`) is due for withdraw and end at
 * once, then closes as any lesson does; one whose event was moved after its room opened keeps its
 * times, or ends at the new end if that is earlier (lesson.ts `withdrawAt`, `endCallAt`).
 * What a look at the call decided (in-call.ts) makes them due at once too: pupils without a
 * member of staff for too long take the link down (R21), and past the second limit, or with an
 * outsider admitted where the school ends the lesson (R22), the call ends; so the next pass of
 * the same run acts, safety steps first. A running call the automation could no longer watch
 * because Google refuses its teacher's account (cannot-watch.ts) takes the link down at once too:
 * nobody can tell whether pupils are alone in it (R21).
 */
/**
 * The link comes down in the monitor's last run before its time, not the first after it: a
 * minute's run can then lose a minute or two to Google not answering and still be on time.
 */
export const WITHDRAW_LEAD_MS = 45_000;

/**
 * From when no link goes up (R8, R10): once its withdrawal is due. A link posted later would be
 * on the class stream for a moment, taken down by the same run.
 */
export function sharingClosedAt(
  lesson: Parameters<typeof withdrawAt>[0],
  withdrawBeforeEndMinutes: number,
): number {
  return withdrawAt(lesson, withdrawBeforeEndMinutes) - WITHDRAW_LEAD_MS;
}

/** R10: the link is still on Classroom at the scheduled end (SLT are told; the Status sheet names it). */
export function linkLate(
  lesson: Lesson,
  now: number,
  s: Pick<SchoolSettings, 'withdrawBeforeEndMinutes'>,
): boolean {
  return linkIsLive(lesson) && now >= linkAlertAt(lesson, s.withdrawBeforeEndMinutes);
}

export function dueActions(lesson: Lesson, now: number, s: SchoolSettings): DueAction[] {
  const actions: DueAction[] = [];
  const withdrawTime = sharingClosedAt(lesson, s.withdrawBeforeEndMinutes);
  const endTime = endCallAt(lesson, s.endGraceMinutes);
  const inCall = lesson.status === 'open' ? inCallOf(lesson) : null;
  const endNow = inCall !== null && endAsked(inCall);
  const takeDown = inCall !== null && (endNow || staffAlertOpen(inCall) || cannotWatch(lesson));

  if (linkIsLive(lesson) && (lesson.status !== 'open' || now >= withdrawTime || takeDown))
    actions.push('withdraw-link');
  if (linkLate(lesson, now, s) && lesson.linkLiveAlertedAt === null)
    actions.push('alert-link-live');

  switch (lesson.status) {
    case 'scheduled':
      if (now >= lesson.end) actions.push('close');
      else if (isApproved(lesson) && now >= lesson.start - s.openBeforeStartMinutes * 60_000)
        actions.push('open-room');
      break;
    case 'open':
      if (now >= endTime || endNow) actions.push('end-call');
      else {
        // The link onto the event, or off it again once the teacher invites outside guests.
        if (
          lesson.calendarEventId !== null &&
          (lesson.roomShownAt === null) === roomLinkOnEvent(lesson)
        )
          actions.push('show-room-link');
        if (coverDue(lesson)) actions.push('admit-cover');
        actions.push('watch-call');
      }
      break;
    case 'ended':
      actions.push('close');
      break;
    case 'cancelled':
      if (lesson.room) actions.push('end-call');
      break;
    case 'closed':
      break;
  }
  return actions;
}

/** True when the lesson needs nothing more from the automation (it can leave the store once logged). */
export function isSettled(lesson: Lesson): boolean {
  return (
    (lesson.status === 'closed' || (lesson.status === 'cancelled' && lesson.room === null)) &&
    !linkIsLive(lesson) &&
    lesson.loggedVersion >= lesson.version
  );
}
