// R6, R7: shortly before each lesson a fresh Meet room is made for it, owned by its teacher,
// with the school's safe settings; every class due at this minute gets its room in one
// round. The class's pupils are read from Classroom now, once, and kept for the lesson's
// length, so each minute's look at the call needs no roster call. Nobody is emailed: the
// teacher finds the link on their lesson card and, a moment later, on the Calendar event.

import { isFailure } from '../../core/errors';
import { isApproved, type Lesson, noteGoogleFailure, openRoom, type Room } from '../../core/lesson';
import { dueActions } from '../../core/lifecycle-plan';
import { pupilOnRoster } from '../../core/participants';
import type { Person } from '../../core/ports';
import { roomSettingsFor } from '../../core/recording-policy';
import { isOnDomain } from '../../core/schedule-policy';
import type { Deps } from '../deps';
import { googleFailureOf } from '../health';
import { claim, outcome, releasing, type StepOutcome } from '../lesson-commits';
import { addRoomMembers } from './room-members';

/** Rosters are kept until well after the lesson: the close reads them too. */
const ROSTER_KEPT_AFTER_END_MS = 45 * 60_000;

export function openRooms(
  deps: Deps,
  lessons: readonly Lesson[],
  options: { asTeacher?: boolean } = {},
): StepOutcome {
  const now = deps.clock.now();
  const claimed = claim(deps, lessons, (fresh) =>
    fresh.status === 'scheduled' &&
    isApproved(fresh) &&
    (options.asTeacher || dueActions(fresh, now, deps.settings).includes('open-room'))
      ? fresh
      : null,
  );
  if (!claimed) return outcome({ failed: lessons.length });
  const ready = claimed.claimed;
  const rooms = deps.rooms.create(
    ready.map((l) => ({ host: l.teacher, settings: roomSettingsFor(deps.settings, l) })),
  );
  const opened = ready.flatMap((l, i) => {
    const room = rooms[i]!;
    return room instanceof Error ? [] : [{ lesson: l, room }];
  });
  const rosters = readRosters(
    deps,
    opened.map((o) => o.lesson),
    now,
  );
  addStaffMembers(deps, opened, rosters);
  let failed = 0;
  let cannotActAs = 0;
  const changes = ready.map((lesson, i) => {
    const room = rooms[i]!;
    if (room instanceof Error) {
      if (isFailure(room, 'cannot-act-as')) cannotActAs += 1;
      else failed += 1;
      // R28: what stopped the room is kept, so the close says it was Google, not the teacher.
      const failure = googleFailureOf(room);
      return releasing(lesson.id, (fresh) =>
        fresh.status === 'scheduled' ? noteGoogleFailure(fresh, failure, now) : fresh,
      );
    }
    deps.log.info(`opened room for ${lesson.id}`);
    return releasing(lesson.id, (fresh) => opens(fresh, room, now));
  });
  return outcome({
    changes,
    done: opened.length,
    failed,
    cannotActAs,
    busy: claimed.busy,
  });
}

function opens(fresh: Lesson, room: Room, now: number): Lesson {
  return fresh.status === 'scheduled' && isApproved(fresh) ? openRoom(fresh, room, now) : fresh;
}

/** Reads the pupils of the classes whose rooms just opened (failures are read again later). */
function readRosters(
  deps: Deps,
  lessons: readonly Lesson[],
  now: number,
): Map<string, Person[] | Error> {
  if (lessons.length === 0) return new Map();
  const keepUntil = Math.max(...lessons.map((l) => l.end)) + ROSTER_KEPT_AFTER_END_MS;
  return deps.classes.rosters(
    lessons.map((l) => ({ actingAs: l.teacher, courseId: l.courseId })),
    { fresh: true, keepSeconds: Math.ceil((keepUntil - now) / 1000) },
  );
}

/**
 * R21: the lesson's named staff (its second adult and the class's co-teachers) become members of
 * the room (room-members.ts). The second adult's address is typed. Never a pupil of the class (nor
 * while the roster is not known), never the teacher, never an address outside the school.
 */
function addStaffMembers(
  deps: Deps,
  opened: readonly { lesson: Lesson; room: Room }[],
  rosters: Map<string, Person[] | Error>,
): void {
  const named = opened.flatMap(({ lesson, room }) => {
    const roster = rosters.get(lesson.courseId);
    if (!roster || roster instanceof Error) return [];
    return staffToAdmit(lesson, deps.settings.staffDomain)
      .filter((email) => !pupilOnRoster(roster, email))
      .map((email) => ({ host: lesson.teacher, room, email, id: lesson.id }));
  });
  addRoomMembers(deps, named);
}

/**
 * The addresses of the lesson's staff other than its teacher, each once, on the school's staff
 * domain only: a co-teacher Classroom let in from outside the school knocks, as any outsider.
 */
function staffToAdmit(lesson: Lesson, staffDomain: string): string[] {
  const emails = [lesson.secondStaff, ...(lesson.coTeachers ?? []).map((t) => t.email)]
    .filter((e): e is string => Boolean(e))
    .map((e) => e.toLowerCase())
    .filter((e) => e !== lesson.teacher && isOnDomain(e, staffDomain));
  return [...new Set(emails)];
}
