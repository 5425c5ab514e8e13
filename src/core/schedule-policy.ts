// R1-R5, R11: the school's rules checked when a lesson is scheduled. A refusal stops the
// lesson being made; a flag lets it go ahead but puts it in front of SLT.

import { type Flag, flag } from './flags';
import { MAX_LESSON_MINUTES_CEILING, type SchoolSettings } from './settings';
import { localParts, localTime, minuteOfDay, ukDate, weekKey } from './time';

export interface LessonRequest {
  courseId: string;
  title: string;
  start: number;
  end: number;
  teacher: string;
  secondStaff: string | null;
}

export interface ScheduleCheck {
  refusals: string[];
  flags: Flag[];
}

export interface ScheduleContext {
  settings: SchoolSettings;
  now: number;
  /** Whether the teacher teaches this course in Classroom (R1). */
  teachesCourse: boolean;
  /** Start times of the class's other live (not cancelled or declined) lessons. */
  otherLessonStarts: readonly number[];
}

export const MAX_TITLE_LENGTH = 120;

export function checkLessonRequest(req: LessonRequest, ctx: ScheduleContext): ScheduleCheck {
  const { settings: s } = ctx;
  const refusals: string[] = [];
  const flags: Flag[] = [];
  const minutes = Math.round((req.end - req.start) / 60_000);

  if (!req.title.trim()) refusals.push('Give the lesson a title.');
  if (req.title.length > MAX_TITLE_LENGTH)
    refusals.push(`Keep the title under ${MAX_TITLE_LENGTH} characters.`);
  if (!Number.isFinite(req.start) || !Number.isFinite(req.end))
    refusals.push('Choose a date and a start time.');
  else {
    if (req.start < ctx.now)
      refusals.push('That time has already passed: choose a time in the future.');
    if (minutes <= 0) refusals.push('The lesson must end after it starts.');
    if (minutes > MAX_LESSON_MINUTES_CEILING) {
      refusals.push(
        `A live lesson can last at most ${MAX_LESSON_MINUTES_CEILING} minutes (the school's limit is ${s.maxLessonMinutes}).`,
      );
    }
  }
  if (!isOnDomain(req.teacher, s.staffDomain)) {
    refusals.push(`Only staff accounts on ${s.staffDomain} can schedule or host lessons.`);
  }
  if (!ctx.teachesCourse)
    refusals.push('You can only schedule lessons for classes you teach in Google Classroom.');
  if (req.secondStaff !== null) {
    if (req.secondStaff.toLowerCase() === req.teacher.toLowerCase()) {
      refusals.push('The second member of staff must be someone other than you.');
    } else if (!isOnDomain(req.secondStaff, s.staffDomain)) {
      refusals.push(`The second member of staff must have a ${s.staffDomain} account.`);
    }
  }
  if (refusals.length > 0) return { refusals, flags };

  const startMinute = minuteOfDay(req.start, s.timeZone);
  const endMinute = startMinute + minutes;
  const weekday = localParts(req.start, s.timeZone).weekday;
  if (
    !s.lessonDays.includes(weekday) ||
    startMinute < s.lessonStartMinute ||
    endMinute > s.lessonEndMinute
  ) {
    flags.push(
      flag(
        'outside-lesson-hours',
        `Scheduled for ${ukDate(req.start, s.timeZone)} at ${localTime(req.start, s.timeZone)}: outside normal lesson hours.`,
      ),
    );
  }
  if (minutes > s.maxLessonMinutes) {
    flags.push(
      flag(
        'too-long',
        `${minutes} minutes, longer than the school's ${s.maxLessonMinutes}-minute limit.`,
      ),
    );
  }
  if (s.maxLessonsPerClassPerWeek > 0) {
    const week = weekKey(req.start, s.timeZone);
    const sameWeek = ctx.otherLessonStarts.filter((t) => weekKey(t, s.timeZone) === week).length;
    if (sameWeek + 1 > s.maxLessonsPerClassPerWeek) {
      flags.push(
        flag(
          'class-meets-too-often',
          `Lesson ${sameWeek + 1} this week for this class; the school allows ${s.maxLessonsPerClassPerWeek}.`,
        ),
      );
    }
  }
  if (req.secondStaff === null) {
    flags.push(
      flag(
        'no-second-staff',
        'No second member of staff named: another adult must be present (policy).',
      ),
    );
  }
  return { refusals, flags };
}

export function isOnDomain(email: string, domain: string): boolean {
  return email.toLowerCase().endsWith(`@${domain.toLowerCase()}`);
}
