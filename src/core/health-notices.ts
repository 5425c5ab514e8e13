// R28, issue 9 (point 4): the notices that go with the problems: that one is over, the lessons
// delegation or Meet failing leaves at risk (listed in the admin's alert), and what each teacher
// concerned is told to do meanwhile.

import { type HealthState, JOBS, type JobName, teacherKey } from './health';
import {
  at,
  BULK_REFUSALS,
  bulkWords,
  LESSONS_MARKER,
  othersWords,
  type RefusedAccountWords,
  serviceLabel,
} from './health-problems';
import { HOUR_MS, localDate, localTime, ukTimeRange } from './time';

/** Teachers are told of lessons open now or starting within this long. */
export const TEACHER_NOTICE_AHEAD_MS = HOUR_MS;

/**
 * The short note that a problem is over, or null when there is nothing true to say: quota
 * warnings end with the day, and a service that went quiet without answering is not "working".
 */
export function resolvedNotice(
  key: string,
  since: number,
  now: number,
  tz: string,
  state?: HealthState,
): { subject: string; body: string } | null {
  if (key.startsWith('quota:')) return null;
  const [kind, name] = key.split(':') as [string, string | undefined];
  if (kind === 'service' && (state?.services[name ?? '']?.failingRuns ?? 0) > 0) return null;
  if (kind === 'account') {
    // Only a token issued again clears it: an account nobody asked for a day is not "working".
    const a = state?.accounts?.find((x) => teacherKey(x.teacher) === name);
    if (!a || a.clearedAt === null) return null;
    return {
      subject: `Safe Live Lessons: working again: acting as ${a.teacher}`,
      body: `Google lets the automation act as ${a.teacher} again (a token was issued at ${at(a.clearedAt, tz, now)}; the refusals began at ${at(since, tz, now)}). Their lessons are run by the automation again.`,
    };
  }
  const what =
    kind === 'job'
      ? JOBS[name as JobName]?.label
      : kind === 'service'
        ? serviceLabel(name ?? '')
        : kind === 'delegation'
          ? 'Delegation (the automation acting as teachers)'
          : kind === 'log'
            ? 'The log spreadsheet'
            : kind === 'drive'
              ? 'The safeguarding shared drive'
              : key;
  return {
    subject: `Safe Live Lessons: working again: ${what}`,
    body: `${what} works again (checked at ${at(now, tz, now)}; the problem began at ${at(since, tz, now)}). What waited is being done now.`,
  };
}

/** A lesson as the delegation alert and the teachers' notices describe it. */
export interface LessonAtRisk {
  /** The lesson's id (the Status sheet names it; the emails do not need it). */
  id?: string;
  title: string;
  courseName: string;
  teacher: string;
  start: number;
  end: number;
  status: 'scheduled' | 'open' | 'ended' | 'closed' | 'cancelled';
  /** The link is (as far as the product last saw) on Classroom. */
  linkLive: boolean;
  /** Someone was in the call at the product's last look. */
  callRunning: boolean;
  /** When the automation should end the call. */
  endCallAt: number;
  /** Closed without its room ever made (the lesson did not take place). */
  roomNeverMade?: boolean;
}

/** Lessons open now or starting within the hour: those delegation failing leaves at risk. */
export function lessonsAtRisk<T extends LessonAtRisk>(lessons: readonly T[], now: number): T[] {
  return lessons.filter(
    (l) =>
      l.status === 'open' ||
      (l.status === 'scheduled' && l.start - TEACHER_NOTICE_AHEAD_MS <= now && now < l.end),
  );
}

/** One line per lesson, saying only what is so (R28: the alert says what was and was not done). */
export function lessonLine(l: LessonAtRisk, tz: string, now: number): string {
  const when = ukTimeRange(l.start, l.end, tz, now);
  const who = `${l.title} (${l.courseName}, ${l.teacher})`;
  if (l.status === 'scheduled') return `- ${when} ${who}: room not made yet; nothing on Classroom.`;
  const link = l.linkLive ? 'its link is still on Classroom' : 'its link is not on Classroom';
  const call = l.callRunning
    ? `its call is still running (the automation cannot end it; it was due to end at ${localTime(l.endCallAt, tz)})`
    : 'nobody was in its call at the last look';
  return `- ${when} ${who}: ${link}; ${call}.`;
}

/** The delegation alert with the lessons it leaves at risk listed, or a line saying there are none. */
export function withLessons(
  body: string,
  lessons: readonly LessonAtRisk[],
  tz: string,
  now: number,
): string {
  const lines =
    lessons.length === 0
      ? 'No lesson is open or starting within the hour.'
      : `Lessons open or starting within the hour:\n${lessons.map((l) => lessonLine(l, tz, now)).join('\n')}`;
  return body.replace(LESSONS_MARKER, lines);
}

/**
 * One refused account's alert with that teacher's lessons filled in: those open now or starting
 * within the hour (the same words as the delegation alert), then the rest of their day.
 */
export function withTeacherLessons(
  body: string,
  lessons: readonly LessonAtRisk[],
  teacher: string,
  tz: string,
  now: number,
): string {
  const theirs = lessons.filter((l) => l.teacher.toLowerCase() === teacher.toLowerCase());
  const soon = lessonsAtRisk(theirs, now);
  const later = theirs.filter(
    (l) =>
      !soon.includes(l) &&
      l.status === 'scheduled' &&
      l.start > now &&
      localDate(l.start, tz) === localDate(now, tz),
  );
  const lines = [
    soon.length === 0
      ? `${teacher} has no lesson open or starting within the hour.`
      : `Their lessons open or starting within the hour:\n${soon.map((l) => lessonLine(l, tz, now)).join('\n')}`,
    later.length === 0
      ? 'No other lesson of theirs today.'
      : `Their other lessons today:\n${later.map((l) => lessonLine(l, tz, now)).join('\n')}`,
  ];
  return body.replace(LESSONS_MARKER, lines.join('\n'));
}

/**
 * Several refused accounts told at the same run, as one alert (R28: ten at once is a bulk
 * suspension, not ten emails): every teacher with their lessons at risk (those told of
 * earlier listed after them), and from three refused on, where to look for the bulk action. Each account stays its own problem (told, reminded daily,
 * "working again") in the health record.
 */
export function refusedAccountsNotice(
  accounts: readonly RefusedAccountWords[],
  lessons: readonly LessonAtRisk[],
  tz: string,
  now: number,
  earlier: readonly RefusedAccountWords[] = [],
): { subject: string; body: string } {
  const n = accounts.length;
  const refusedNow = Math.max(n + earlier.length, ...accounts.map((a) => a.refusedNow));
  const first = Math.min(...accounts.map((a) => a.since));
  const block = (a: RefusedAccountWords) =>
    `${a.teacher} (refused since ${at(a.since, tz, now)}; Google's answer: "${a.detail}"):\n` +
    withTeacherLessons(LESSONS_MARKER, lessons, a.teacher, tz, now);
  const each = [
    ...accounts.map(block),
    ...(earlier.length === 0
      ? []
      : [`Refused earlier as well (already told):\n\n${earlier.map(block).join('\n\n')}`]),
  ];
  return {
    subject: `Safe Live Lessons: the automation cannot act as ${n} teachers’ accounts`,
    body:
      `Since ${at(first, tz, now)}, Google will not let the automation act as these ${n} teachers: ${accounts.map((a) => a.teacher).join(', ')}. Google answers this way when an account has been deleted, suspended or renamed, or moved out of the school's domain.\n` +
      (refusedNow >= BULK_REFUSALS ? `${bulkWords(refusedNow)}\n` : '') +
      'Until this is fixed the automation cannot open rooms, share links, or end calls for their lessons; a link already on Classroom is taken down as the class’s other teachers where the class has one.\n\n' +
      `${each.join('\n\n')}\n\n` +
      'To do now: move these lessons to cover teachers (a cover teacher schedules them from their own Safe Live Lessons sidebar), or, if the accounts were deleted or suspended by mistake, restore them in the Admin console (Directory, Users). A renamed account’s lessons must be scheduled again under the new address.\n' +
      othersWords(
        accounts.some((a) => a.schoolWide),
        refusedNow,
        n + earlier.length >= refusedNow
          ? 'all of them listed above'
          : `the ${n + earlier.length} listed above included`,
      ),
  };
}

/** What a teacher is told while Meet fails: their lessons at risk, and what still works. */
export function meetDownNotice(
  lessons: readonly LessonAtRisk[],
  since: number,
  tz: string,
  now: number,
): { subject: string; body: string } {
  const lines = atRiskLines(lessons, tz, now, (l) =>
    l.status === 'scheduled'
      ? 'its room could not be made yet, and nothing has been posted for pupils'
      : `${linkState(l)}; the automation cannot see the call or end it while Meet fails`,
  );
  return {
    subject: 'Safe Live Lessons: Google Meet is not working',
    body:
      `Google Meet has not answered Safe Live Lessons since ${at(since, tz, now)}:\n${lines.join('\n')}\n` +
      'The product keeps trying every minute and carries on as soon as Meet answers. If Meet stays down past your lesson’s end, the log records that the lesson could not take place because of Google, not you.\n' +
      'If your call is running, end it in Meet yourself ("End call for everyone") at the lesson’s end, and press "End lesson for everyone" in the sidebar so the link comes off Classroom. The school’s administrator has been told.',
  };
}

/** What a teacher is told when the automation cannot act for them (their lessons at risk). */
export function teacherNotice(
  lessons: readonly LessonAtRisk[],
  since: number,
  tz: string,
  now: number,
  why: 'delegation' | 'monitor' = 'delegation',
): { subject: string; body: string } {
  const lines = atRiskLines(lessons, tz, now, (l) =>
    l.status === 'scheduled'
      ? 'its room is not open yet'
      : `${linkState(l)}${l.callRunning ? ' and its call is running' : ''}`,
  );
  return {
    subject: 'Safe Live Lessons: please run your lesson from the sidebar',
    body:
      (why === 'delegation'
        ? `Safe Live Lessons cannot act for you at the moment: since ${at(since, tz, now)} Google has refused the automation's access to your account. Nothing is done for your lesson automatically until it is fixed:\n`
        : `Safe Live Lessons is not acting for you at the moment: its minute monitor, which opens rooms, shares links, takes them down and ends calls, has not run since ${at(since, tz, now)}. Nothing is done for your lesson automatically until it runs again:\n`) +
      `${lines.join('\n')}\n` +
      'Please run it yourself from the Safe Live Lessons sidebar (in Google Calendar, the side panel):\n' +
      '1. Press "Open room" if the room is not open.\n' +
      '2. Join the call, then press "Share with class" once you are in it (never before).\n' +
      '3. Before the lesson’s end, press "End lesson for everyone": it takes the link off Classroom and ends the call. Nothing else will.\n' +
      'The school’s administrator has been told and is fixing it.',
  };
}

/** One line per lesson at risk: when, what, and its state in the words `state` gives. */
function atRiskLines(
  lessons: readonly LessonAtRisk[],
  tz: string,
  now: number,
  state: (l: LessonAtRisk) => string,
): string[] {
  return lessons.map(
    (l) => `- ${ukTimeRange(l.start, l.end, tz, now)} ${l.title} (${l.courseName}): ${state(l)}.`,
  );
}

function linkState(l: LessonAtRisk): string {
  return l.linkLive ? 'its link is on Classroom' : 'its link is not on Classroom';
}
