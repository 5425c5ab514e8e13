// The queue of lessons whose recordings are to be collected (R16): each closed lesson that had
// a room and is in the log is queued once, with the calls the monitor kept and when to look first.

import type { ClosedLesson } from '../core/lesson';
import { type CollectionEntry, firstCheckAt, type RoomCall } from '../core/recording';
import { recordsLesson } from '../core/recording-policy';
import { LOCK_WAIT_MS, type RecordingsDeps } from './recordings-run';

/** Closed lessons that had a room and are in the log, not yet queued or finished. */
export function enqueueClosedLessons(rd: RecordingsDeps): number {
  const { deps } = rd;
  const known = rd.state.known();
  const now = deps.clock.now();
  const fresh: CollectionEntry[] = [];
  for (const lesson of deps.store.all()) {
    if (lesson.status !== 'closed' || !lesson.room || known.has(lesson.id)) continue;
    // Its Sessions row exists once logged, so the recording can be linked from it.
    if (lesson.loggedVersion === 0) continue;
    const endedAt = lesson.endedAt ?? lesson.closedAt;
    const conferences = callsOf(lesson);
    fresh.push({
      lessonId: lesson.id,
      teacher: lesson.teacher,
      space: lesson.room.space,
      courseName: lesson.courseName,
      start: lesson.start,
      endedAt,
      hadCall: lesson.report.actualStart !== null || lesson.report.hostJoinedAt !== null,
      oneStaff: lesson.flags.some((f) => f.code === 'no-second-staff' || f.code === 'one-to-one'),
      staffJoined: lesson.report.hostJoinedAt !== null || lesson.report.counts.staff > 0,
      // R25: a lesson the school's policy does not record is not flagged for having no recording.
      recordingExpected: recordsLesson(deps.settings, lesson),
      // A call with nobody in it but these needs no recording (R11, R16).
      staffIds: [
        ...new Set(
          [
            lesson.teacherUserId,
            lesson.secondStaffUserId,
            ...lesson.coTeachers.map((c) => c.userId),
          ].filter((id): id is string => Boolean(id)),
        ),
      ],
      nextCheck: firstCheckAt(endedAt, now),
      handled: [],
      flagged: false,
      ...(conferences ? { conferences } : {}),
    });
  }
  if (fresh.length > 0)
    deps.mutex.run(() => {
      for (const e of fresh) rd.state.put(e);
    }, LOCK_WAIT_MS);
  return fresh.length;
}

/**
 * The room's calls, when the monitor kept them on the closed lesson (`conferences`: Meet's
 * conference record names, or `{name, start, end}` with the times conferenceRecords.list gave).
 */
function callsOf(lesson: ClosedLesson): (string | RoomCall)[] | undefined {
  if (!('conferences' in lesson) || !Array.isArray(lesson.conferences)) return undefined;
  const calls: (string | RoomCall)[] = [];
  for (const c of lesson.conferences as unknown[]) {
    if (typeof c === 'string') calls.push(c);
    else if (c && typeof (c as RoomCall).name === 'string') {
      const { name, start, end } = c as RoomCall;
      calls.push({
        name,
        ...(typeof start === 'number' ? { start } : {}),
        ...(typeof end === 'number' || end === null ? { end } : {}),
      });
    }
  }
  return calls;
}
