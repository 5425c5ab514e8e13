// R11, R21: pupils in a call with no member of staff, and the class's teachers not read for that
// gap yet (cover.ts): they are read now, for every such lesson in one round, and a colleague added
// to the class since the lesson was scheduled becomes a member of the room (straight in, with
// nobody left in the call to admit a knock) and one of its co-teachers (staff in the call). The
// gap's own alerts and limits (in-call.ts) stand whatever happens here. A read that failed for a
// passing reason (429, 5xx, no answer) is tried again at the next run while the gap lasts; one
// Classroom refuses for good (the teacher no longer teaches the class) is not.

import { CLASS_TEACHERS_KEEP_SECONDS, coverDue, coverToAdd, noteCoverRead } from '../../core/cover';
import { isFailure } from '../../core/errors';
import { inCallOf, openGap } from '../../core/in-call';
import type { Lesson, OpenLesson } from '../../core/lesson';
import type { Deps } from '../deps';
import { outcome, type StepOutcome } from '../lesson-commits';
import { addRoomMembers, type RoomMember } from './room-members';

export function admitCover(deps: Deps, lessons: readonly Lesson[]): StepOutcome {
  const due = lessons.filter((l): l is OpenLesson => l.status === 'open' && coverDue(l));
  if (due.length === 0) return outcome();
  const now = deps.clock.now();
  const read = deps.classes.rosters(
    due.map((l) => ({ actingAs: l.teacher, courseId: l.courseId })),
    { fresh: true, keepSeconds: CLASS_TEACHERS_KEEP_SECONDS, of: 'teachers' },
  );
  const result = outcome();
  const members: RoomMember[] = [];
  for (const lesson of due) {
    const teachers = read.get(lesson.courseId);
    const gapFrom = openGap(inCallOf(lesson))!.from;
    const final = isFailure(teachers) && ['gone', 'forbidden', 'permanent'].includes(teachers.kind);
    if (teachers === undefined || (teachers instanceof Error && !final)) {
      result.failed += 1;
      continue;
    }
    const added =
      teachers instanceof Error ? [] : coverToAdd(lesson, teachers, deps.settings.staffDomain);
    for (const t of added)
      if (t.email)
        members.push({ host: lesson.teacher, room: lesson.room, email: t.email, id: lesson.id });
    if (added.length > 0)
      deps.log.info(`${added.length} teacher(s) of the class of ${lesson.id} may cover`);
    result.changes.push({
      id: lesson.id,
      apply: (fresh) =>
        fresh.status === 'open' ? noteCoverRead(fresh, gapFrom, added, now) : fresh,
    });
    result.done += 1;
  }
  addRoomMembers(deps, members);
  return result;
}
