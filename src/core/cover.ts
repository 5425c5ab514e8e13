// R11, R21: a colleague sent to cover a class whose teacher has dropped out. Schools add the
// cover to the class in Classroom as a teacher, often after the lesson was scheduled, when the
// lesson's co-teachers were recorded; with the teacher gone nobody in the call can admit their
// knock. So when a look finds pupils in the call with no member of staff (an open gap,
// in-call.ts), the class's teachers are read again, once for that gap, and any not yet on the
// lesson become its co-teachers: members of the room (straight in) and staff in the call. A
// lesson with no gap costs nothing here.

import { inCallOf, openGap } from './in-call';
import { coTeacherOf, type Lesson, type OpenLesson, type StaffMember } from './lesson';
import { isOnDomain } from './schedule-policy';

/** The class's teachers, once read for a possible cover, are kept this long (call-people.ts too). */
export const CLASS_TEACHERS_KEEP_SECONDS = 600;

/** A look saw pupils without staff, and the class's teachers have not been read for that gap. */
export function coverDue(lesson: Lesson): boolean {
  if (lesson.status !== 'open') return false;
  const gap = openGap(inCallOf(lesson));
  return gap !== null && gap.coverReadAt === undefined;
}

/**
 * The class's teachers not yet on the lesson: not its teacher, not a co-teacher it has, on the
 * school's staff domain (a co-teacher Classroom let in from outside the school knocks, as any
 * outsider does).
 */
export function coverToAdd(
  lesson: Lesson,
  teachers: readonly { userId: string; name: string; email: string | null }[],
  staffDomain: string,
): StaffMember[] {
  const known = new Set([lesson.teacherUserId, ...lesson.coTeachers.map((t) => t.userId)]);
  const out: StaffMember[] = [];
  for (const t of teachers) {
    if (!t.userId || known.has(t.userId) || !t.email || !isOnDomain(t.email, staffDomain)) continue;
    known.add(t.userId);
    out.push(coTeacherOf(t, lesson.secondStaff));
  }
  return out;
}

/**
 * The read is noted on the gap it was made for (`gapFrom`), and the cover join the lesson's
 * co-teachers. A gap closed or replaced since is left as it is; the co-teachers are kept anyway
 * (they teach the class).
 */
export function noteCoverRead(
  lesson: OpenLesson,
  gapFrom: number,
  added: readonly StaffMember[],
  now: number,
): OpenLesson {
  const known = new Set(lesson.coTeachers.map((t) => t.userId));
  const coTeachers = [...lesson.coTeachers, ...added.filter((t) => !known.has(t.userId))];
  const inCall = inCallOf(lesson);
  const gaps = inCall.gaps.map((g) =>
    g.from === gapFrom && g.coverReadAt === undefined ? { ...g, coverReadAt: now } : g,
  );
  return { ...lesson, coTeachers, inCall: { ...inCall, gaps } };
}
