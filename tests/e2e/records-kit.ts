// What the recordings tests share: the log's Recordings and Audit sheets, a lesson the timetable
// runs, the files Meet made that are still outside the safeguarding drive, a quiet stretch of
// time, and "no execution failed".

import { HOUR_MS } from '../../src/core/time';
import { schoolConfig } from '../bench/purge-bench';
import type { SimCourse } from '../sim/school';
import { type DeployedSchool, monday } from './deployed-school';
import type { Timetable } from './timetable';

export function table(
  school: DeployedSchool,
  sheet: 'Recordings' | 'Audit',
): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, sheet);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

/** The Audit sheet's rows of one action, for one lesson if named. */
export function audit(school: DeployedSchool, action: string, lessonId?: string) {
  return table(school, 'Audit').filter(
    (r) => r.Action === action && (!lessonId || r['Lesson ID'] === lessonId),
  );
}

/**
 * The teacher schedules a 30-minute lesson from the sidebar (each its own title: the teacher
 * finds the room's link by it); the timetable brings the teacher and three pupils in.
 */
export function lesson(t: Timetable, course: SimCourse, start = monday(10)): string {
  const plan = t.add({
    course,
    title: `Phonics ${new Date(start).toISOString().slice(0, 16)}`,
    start,
    minutes: 30,
    teacherJoins: -3,
    pupils: course.pupils.slice(0, 3),
    intruder: null,
  });
  if (!plan.lessonId) throw new Error('lesson not scheduled');
  return plan.lessonId;
}

/** Files Meet made for the school's lessons that are still anywhere outside the shared drive. */
export function outsideTheVault(school: DeployedSchool) {
  const { sharedDriveId } = schoolConfig(school);
  return school.ws.meet.made
    .map((m) => ({ ...m, file: school.ws.drive.file(m.fileId) }))
    .filter((m) => m.file && m.file.driveId !== sharedDriveId);
}

/** Jumps the clock with no trigger running (a quiet stretch), then lets the jobs run a while. */
export function laterOn(school: DeployedSchool, at: number, runFor = HOUR_MS) {
  school.ws.kernel.clock.advanceTo(at);
  school.advance(runFor);
}

export function noFailures(school: DeployedSchool) {
  expect(
    school.ws.kernel.failures.map((f) => `${f.execution.functionName}: ${String(f.error)}`),
  ).toEqual([]);
}
