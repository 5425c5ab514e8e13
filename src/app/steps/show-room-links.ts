// R5, R7: the room link goes onto each lesson's own Calendar event, where the teacher and the
// second adult find it; pupils are never guests. Done once the room is safely recorded, so a
// link on an event is always the room the lesson watches. While the teacher has invited guests
// who are not the lesson's staff (event-guests.ts), the link is kept off the event instead: a
// link already there is taken off.

import { isFailure } from '../../core/errors';
import { LINK_KEPT_OFF_EVENT } from '../../core/event-guests';
import {
  type Lesson,
  noteRoomHidden,
  noteRoomShown,
  roomLinkOnEvent,
  withdrawAt,
} from '../../core/lesson';
import type { SchoolSettings } from '../../core/settings';
import { localTime } from '../../core/time';
import type { Deps } from '../deps';
import { type Change, outcome, type StepOutcome } from '../lesson-commits';

export function showRoomLinks(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const now = deps.clock.now();
  const items = lessons.flatMap((l) =>
    l.status === 'open' && l.calendarEventId
      ? [{ lesson: l, eventId: l.calendarEventId, show: roomLinkOnEvent(l) }]
      : [],
  );
  const answers = deps.events.showRoom(
    items.map((i) => ({
      teacher: i.lesson.teacher,
      eventId: i.eventId,
      link: i.show && i.lesson.status === 'open' ? i.lesson.room.meetingUri : '',
      note: i.show ? eventNote(i.lesson, deps.settings) : LINK_KEPT_OFF_EVENT,
    })),
  );
  const changes: Change[] = [];
  let failed = 0;
  let cannotActAs = 0;
  items.forEach((item, i) => {
    const answer = answers[i];
    if (answer) {
      if (isFailure(answer, 'cannot-act-as')) cannotActAs += 1;
      else failed += 1;
      return;
    }
    changes.push({
      id: item.lesson.id,
      apply: (fresh) =>
        fresh.status !== 'open'
          ? fresh
          : item.show
            ? noteRoomShown(fresh, now)
            : noteRoomHidden(fresh),
    });
  });
  return outcome({ changes, done: changes.length, failed, cannotActAs });
}

/** What the teacher and the second adult read on the event. */
function eventNote(lesson: Lesson, s: SchoolSettings): string {
  if (lesson.status !== 'open') return '';
  const withdraw = localTime(withdrawAt(lesson, s.withdrawBeforeEndMinutes), s.timeZone);
  return [
    `Safe Live Lessons: the room for this lesson is open. Join it first: ${lesson.room.meetingUri}`,
    'The link goes to the class on Google Classroom only once the teacher is in the call.',
    `It is removed from Classroom at ${withdraw}, and the call is ended for everyone at the end of the lesson.`,
    'This link is for staff: do not share it any other way.',
  ].join('\n');
}
