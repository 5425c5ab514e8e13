// How many lessons scheduled ahead the script-properties store admits: every teacher of a
// 100-teacher school schedules the coming week's lessons from the sidebar, six a day, period by
// period, until a teacher is refused. Lessons keep to their share of the store (360 KB of the
// 500 KB) so that running lessons, the mail queue and incidents keep their room.

import { DeployedSchool, MIN } from '../e2e/deployed-school';

const MONDAY = Date.UTC(2026, 10, 23);
const DAY = 24 * 60 * MIN;

export interface StoreCapacity {
  /** Lessons scheduled before the first refusal (or all of them). */
  admitted: number;
  /** Lessons the school tried to schedule: a week of six periods. */
  tried: number;
  /** The words the refused teacher saw, if any. */
  refusal: string | null;
  /** Bytes the store held when scheduling stopped. */
  storeBytes: number;
  /** How many school days ahead that is, at six lessons a teacher a day. */
  daysAhead: number;
}

export function storeCapacity(teachers = 100): StoreCapacity {
  const school = new DeployedSchool({ teachers, pupilsPerCourse: 25, start: MONDAY - 3 * DAY });
  let admitted = 0;
  let refusal: string | null = null;
  const tried = 5 * 6 * school.school.courses.length;
  week: for (let day = 0; day < 5; day++)
    for (let period = 0; period < 6; period++)
      for (const course of school.school.courses) {
        const result = school.sidebar(course.teacher.email).schedule({
          title: `Period ${period + 1}`,
          start: MONDAY + day * DAY + (9 + period) * 60 * MIN,
          minutes: 30,
          secondStaff: course.assistant.email,
          courseId: course.id,
        });
        if (!result.lessonId) {
          refusal = result.message ?? 'refused';
          break week;
        }
        admitted += 1;
      }
  const storeBytes = Object.entries(school.ws.properties.scriptStore()).reduce(
    (n, [k, v]) => n + k.length + v.length,
    0,
  );
  const perDay = 6 * school.school.courses.length;
  return { admitted, tried, refusal, storeBytes, daysAhead: admitted / perDay };
}
