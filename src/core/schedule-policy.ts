// R1-R5, R11, R25: the school's rules checked when a lesson is scheduled. A refusal stops the
// lesson being made; a flag lets it go ahead but puts it in front of SLT. Some refusals are
// not the school's to waive (a time in the past, a 3-hour lesson, a class the teacher does
// not teach, an account outside the domain); every other rule refuses or flags as the
// school's settings say.

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
  /** Whether Classroom says the school verified the teacher as one; asked only when the school requires it (R5). */
  verifiedTeacher?: boolean;
  /**
   * R5, R11: what the school's staff class in Classroom says, asked only when the school names
   * one: it cannot be found, or whether the teacher and the typed second adult are in it (null:
   * no second adult typed, or one who counts as staff without it).
   */
  staffClass?: { missing: true } | { teacherListed: boolean; secondListed: boolean | null };
  /** Start times of the class's other live (not cancelled or declined) lessons. */
  otherLessonStarts: readonly number[];
  /** The teacher's other live lessons, in any class: one teacher can host one call at a time. */
  teacherLessons?: readonly TimedLesson[];
}

/** A lesson as the double-booking check needs it. */
export interface TimedLesson {
  title: string;
  start: number;
  end: number;
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
  if (s.verifiedTeachersOnly && ctx.verifiedTeacher !== true)
    refusals.push(
      'Only teachers verified in Google Classroom by the school’s administrator can schedule live lessons. If you teach here, ask your Google Workspace administrator to verify you as a teacher in Classroom.',
    );
  if (!ctx.teachesCourse)
    refusals.push('You can only schedule lessons for classes you teach in Google Classroom.');
  const listed = ctx.staffClass;
  if (listed && 'missing' in listed)
    refusals.push(
      'The staff class named in the school’s settings (staffClass) is not in Google Classroom, so nobody can be checked as staff. Ask SLT to correct the setting.',
    );
  else if (listed && !listed.teacherListed)
    refusals.push(
      'Only members of the school’s staff class in Google Classroom can schedule live lessons. If you are staff, ask SLT to add you to it.',
    );
  else if (listed && listed.secondListed === false && req.secondStaff)
    refusals.push(
      `${req.secondStaff.toLowerCase()} is not in the school’s staff class in Google Classroom, so cannot be the second adult: name a colleague who is, or ask SLT to add them.`,
    );
  if (req.secondStaff !== null) {
    if (req.secondStaff.toLowerCase() === req.teacher.toLowerCase()) {
      refusals.push('The second member of staff must be someone other than you.');
    } else if (!isOnDomain(req.secondStaff, s.staffDomain)) {
      refusals.push(`The second member of staff must have a ${s.staffDomain} account.`);
    }
  }
  const timed = Number.isFinite(req.start) && Number.isFinite(req.end) && minutes > 0;
  // The school's own rules (R4, R11, R25): each broken one refuses or flags, as SLT set it.
  for (const broken of timed ? brokenRules(req, ctx, minutes) : []) {
    if (s[broken.rule] === 'refuse') refusals.push(broken.refusal);
    else if (!flags.some((f) => f.code === broken.flag.code)) flags.push(broken.flag);
  }
  // Policy 000: the teacher is first in and last out of the call; nobody can be in two at once.
  // Flagged, never refused: the teacher and SLT see it and decide (a colleague may take one).
  const clash = timed
    ? (ctx.teacherLessons ?? []).find((l) => l.start < req.end && req.start < l.end)
    : undefined;
  if (clash)
    flags.push(
      flag(
        'teacher-double-booked',
        `Overlaps another of this teacher's live lessons (${clip(clash.title)}, ${ukDate(clash.start, s.timeZone)} ${localTime(clash.start, s.timeZone)}–${localTime(clash.end, s.timeZone)}): one teacher cannot be first in and last out of two calls.`,
      ),
    );
  return refusals.length > 0 ? { refusals, flags: [] } : { refusals, flags };
}

function clip(title: string): string {
  return title.length > 60 ? `${title.slice(0, 59)}…` : title;
}

/** A school rule the request breaks: the setting that says refuse or flag, and both outcomes. */
interface BrokenRule {
  rule:
    | 'lessonHoursRule'
    | 'lessonDaysRule'
    | 'maxLessonMinutesRule'
    | 'maxLessonsPerClassPerWeekRule'
    | 'secondStaffRule';
  /** The plain message the teacher sees when the school refuses. */
  refusal: string;
  flag: Flag;
}

function brokenRules(req: LessonRequest, ctx: ScheduleContext, minutes: number): BrokenRule[] {
  const s = ctx.settings;
  const tz = s.timeZone;
  const out: BrokenRule[] = [];
  const startMinute = minuteOfDay(req.start, tz);
  const endMinute = startMinute + minutes;
  const weekday = localParts(req.start, tz).weekday;
  const outside = flag(
    'outside-lesson-hours',
    `Scheduled for ${ukDate(req.start, tz)} at ${localTime(req.start, tz)}: outside normal lesson hours.`,
  );
  if (!s.lessonDays.includes(weekday)) {
    out.push({
      rule: 'lessonDaysRule',
      refusal: `Lessons run on ${dayList(s.lessonDays)} only (the school's setting); ${ukDate(req.start, tz)} is not one of them. Choose another day.`,
      flag: outside,
    });
  }
  if (startMinute < s.lessonStartMinute || endMinute > s.lessonEndMinute) {
    out.push({
      rule: 'lessonHoursRule',
      refusal: `Lessons run between ${clock(s.lessonStartMinute)} and ${clock(s.lessonEndMinute)} (the school's lesson hours): ${localTime(req.start, tz)}–${localTime(req.end, tz)} is outside them. Choose another time.`,
      flag: outside,
    });
  }
  // Over the ceiling is refused whatever the school says; one message is enough.
  if (minutes > s.maxLessonMinutes && minutes <= MAX_LESSON_MINUTES_CEILING) {
    out.push({
      rule: 'maxLessonMinutesRule',
      refusal: `A lesson can last at most ${s.maxLessonMinutes} minutes (the school's limit); this one is ${minutes}. Make it shorter.`,
      flag: flag(
        'too-long',
        `${minutes} minutes, longer than the school's ${s.maxLessonMinutes}-minute limit.`,
      ),
    });
  }
  if (s.maxLessonsPerClassPerWeek > 0) {
    const week = weekKey(req.start, tz);
    const sameWeek = ctx.otherLessonStarts.filter((t) => weekKey(t, tz) === week).length;
    if (sameWeek + 1 > s.maxLessonsPerClassPerWeek) {
      out.push({
        rule: 'maxLessonsPerClassPerWeekRule',
        refusal: `This class already has ${sameWeek} live lesson(s) that week; the school allows ${s.maxLessonsPerClassPerWeek} a week. Choose another week.`,
        flag: flag(
          'class-meets-too-often',
          `Lesson ${sameWeek + 1} this week for this class; the school allows ${s.maxLessonsPerClassPerWeek}.`,
        ),
      });
    }
  }
  if (req.secondStaff === null) {
    out.push({
      rule: 'secondStaffRule',
      refusal:
        "Name a second member of staff: the school's policy needs another adult in every live lesson.",
      flag: flag(
        'no-second-staff',
        'No second member of staff named: another adult must be present (policy).',
      ),
    });
  }
  return out;
}

const DAY_WORDS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function dayList(days: readonly number[]): string {
  const names = days.map((d) => DAY_WORDS[d - 1]!);
  return names.length > 1
    ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`
    : names.join('');
}

function clock(m: number): string {
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}

export function isOnDomain(email: string, domain: string): boolean {
  return email.toLowerCase().endsWith(`@${domain.toLowerCase()}`);
}
