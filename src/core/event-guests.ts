// R5, R7: the room link reaches pupils only through Google Classroom, once the teacher is in.
// The product puts the link on the lesson's own Calendar event for the teacher and the second
// adult, whom it invites; a teacher may invite others in Calendar (a pupil, the class's group, a
// parent), whose copy of the event would then show the link before the teacher is in the call.
// So while the event has guests who are not the lesson's staff, the link is kept off it, and the
// teacher and SLT are told why.

import { flag } from './flags';
import type { Lesson } from './lesson';

/** How many of the event's guests are not the lesson's staff (teacher, second adult, co-teachers, leads). */
export function outsideGuests(
  lesson: Lesson,
  guests: readonly string[],
  leads: readonly string[],
): number {
  const staff = new Set(
    [
      lesson.teacher,
      lesson.secondStaff ?? '',
      ...lesson.coTeachers.map((t) => t.email ?? ''),
      ...leads,
    ].map((e) => e.toLowerCase()),
  );
  return new Set(guests.map((g) => g.toLowerCase()).filter((g) => g && !staff.has(g))).size;
}

/**
 * The lesson with its event's outside guests noted: flagged for SLT when there are some (the
 * flag stays in the log once raised); the same lesson when nothing changed.
 */
export function noteEventGuests(lesson: Lesson, outside: number): Lesson {
  if ((lesson.eventGuests ?? 0) === outside) return lesson;
  const { eventGuests: _old, ...rest } = lesson;
  if (outside === 0) return { ...rest, version: lesson.version + 1 } as Lesson;
  const flags = [
    ...lesson.flags.filter((f) => f.code !== 'event-guests'),
    flag(
      'event-guests',
      `The teacher invited ${outside} guest(s) who are not the lesson's staff to its Calendar event: the room link is kept off the event, so it reaches pupils only on Classroom.`,
    ),
  ];
  return { ...rest, eventGuests: outside, flags, version: lesson.version + 1 } as Lesson;
}

/** What the event says instead of the link while it has outside guests. */
export const LINK_KEPT_OFF_EVENT =
  'Safe Live Lessons: this event has guests who are not staff of the lesson, so the room link is not on it. The teacher finds the link on the lesson card in the Safe Live Lessons sidebar; pupils get it on Google Classroom once the teacher is in the call.';
