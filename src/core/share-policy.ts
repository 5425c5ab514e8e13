// R6, R25: what must be true before a lesson's link goes to Classroom, besides the teacher
// being in the call (that proof is host-presence.ts). Policy 001: "If the meeting is 1-to-1
// the staff member will request that the parent stays in the same room". The teacher's
// sidebar and the automation both ask shareHeldBack, so neither shares a 1:1 link until
// the teacher has confirmed a parent/carer is present.

import { flag } from './flags';
import { addFlags, type Lesson, type LessonBase } from './lesson';
import { isOneToOne } from './recording-policy';
import type { SchoolSettings } from './settings';
import { localTime } from './time';

export const PARENT_PRESENT_LABEL = 'Confirm a parent/carer is present in the room';

export const PARENT_NOT_CONFIRMED =
  'This is a 1:1 lesson: the link goes to Classroom only once you confirm that a parent/carer is present in the room. Use "Confirm a parent/carer is present in the room" on the lesson card.';

/** The school requires a parent/carer in the room for this lesson (a class of one pupil). */
export function needsParentPresent(
  lesson: Pick<LessonBase, 'pupilsOnRoster'>,
  s: Pick<SchoolSettings, 'oneToOneParentPresent'>,
): boolean {
  return s.oneToOneParentPresent && isOneToOne(lesson) === true;
}

/** Why the link may not be shared yet (in words for the teacher), or null when nothing holds it. */
export function shareHeldBack(
  lesson: Pick<LessonBase, 'pupilsOnRoster' | 'parentPresentAt'>,
  s: Pick<SchoolSettings, 'oneToOneParentPresent'>,
): string | null {
  if (needsParentPresent(lesson, s) && !lesson.parentPresentAt) return PARENT_NOT_CONFIRMED;
  return null;
}

/** The teacher's confirmation, kept on the lesson and shown in the log (the Flags column, as information). */
export function confirmParentPresent<T extends Lesson>(
  lesson: T,
  now: number,
  timeZone: string,
): T {
  const confirmed = { ...lesson, parentPresentAt: now, version: lesson.version + 1 };
  return addFlags(confirmed, [
    flag(
      'parent-present',
      `1:1: the teacher confirmed at ${localTime(now, timeZone)} that a parent/carer is present in the room.`,
    ),
  ]);
}
