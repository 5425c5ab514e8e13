// R1: the Calendar event is the lesson's appointment. Moving it moves the lesson;
// deleting it cancels the lesson (and the monitor withdraws any link and locks the room).

import { flag } from '../core/flags';
import { addFlags, cancelLesson, reschedule } from '../core/lesson';
import { checkLessonRequest } from '../core/schedule-policy';
import type { Deps } from './deps';
import { withLessonLease } from './lesson-lease';

export interface CalendarSyncReport {
  moved: number;
  cancelled: number;
  ignored: number;
}

export function syncCalendar(deps: Deps, teacher: string): CalendarSyncReport {
  const report: CalendarSyncReport = { moved: 0, cancelled: 0, ignored: 0 };
  const changes = deps.calendar.changes(teacher);
  if (changes.length === 0) return report;
  // A deleted event comes back with only its id and status: find its lesson by event id.
  const byEvent = new Map(deps.store.all().map((l) => [l.calendarEventId, l.id]));
  for (const change of changes) {
    const lessonId = change.lessonId || byEvent.get(change.eventId);
    if (!lessonId) continue;
    const outcome = withLessonLease(deps, lessonId, (lesson) => {
      if (change.cancelled) {
        if (lesson.status !== 'scheduled' && lesson.status !== 'open')
          return { lesson, value: 'ignored' };
        return { lesson: cancelLesson(lesson, deps.clock.now()), value: 'cancelled' };
      }
      if (lesson.start === change.start && lesson.end === change.end)
        return { lesson, value: 'ignored' };
      if (lesson.status !== 'scheduled') {
        // The room is already open: the lesson keeps its times and SLT see the attempt.
        return { lesson, value: 'ignored' };
      }
      const check = checkLessonRequest(
        {
          courseId: lesson.courseId,
          title: lesson.title,
          start: change.start,
          end: change.end,
          teacher: lesson.teacher,
          secondStaff: lesson.secondStaff,
        },
        {
          settings: deps.settings,
          now: deps.clock.now(),
          teachesCourse: true,
          otherLessonStarts: [],
        },
      );
      let moved = reschedule(lesson, change.start, change.end);
      const problems = check.refusals.map((r) =>
        flag('outside-lesson-hours', `Moved in Calendar: ${r}`),
      );
      moved = addFlags(moved, [
        ...check.flags.filter((f) => f.code !== 'no-second-staff'),
        ...problems,
      ]);
      return { lesson: moved, value: 'moved' };
    });
    if (!outcome.ok) report.ignored += 1;
    else if (outcome.value === 'moved') report.moved += 1;
    else if (outcome.value === 'cancelled') report.cancelled += 1;
    else report.ignored += 1;
  }
  if (report.moved + report.cancelled > 0)
    deps.log.info(`calendar sync: ${report.moved} moved, ${report.cancelled} cancelled`);
  return report;
}
