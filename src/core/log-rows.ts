// The rows SLT read in the log spreadsheet (R18): the Sessions sheet carries at least
// Appendix A of policy 000 ("Session, Date, Any Technology Issues, Any Inappropriate
// Behaviour, Other Staff Member Present, Anything To Share With SLT?") plus what the
// system saw itself. Every string from a person or from Google goes through safeCell.

import { statusText } from './calendar-change';
import type { Lesson } from './lesson';
import type { AttendanceEntry } from './lesson-report';
import { safeCell } from './sheet-safe';
import { localDate, localTime } from './time';

export type Cell = string | number;
/** `null` leaves the cell as it is: the teacher's own entries arrive separately (teacher-log.ts). */
export type RowCell = Cell | null;

export const SESSION_COLUMNS = [
  'Lesson ID',
  'Session',
  'Date',
  'Any Technology Issues',
  'Any Inappropriate Behaviour',
  'Other Staff Member Present',
  'Anything To Share With SLT?',
  'Course',
  'Teacher',
  'Second Staff Named',
  'Status',
  'Approval',
  'Scheduled At',
  'Start',
  'End',
  'Room Opened',
  'Link Shared',
  'Link Withdrawn',
  'Call Ended',
  'Duration (min)',
  'Pupils Present',
  'Pupils Absent',
  'Uninvited',
  'External',
  'Consent Confirmed',
  'Flags',
  'Serious',
  'Row Version',
] as const;

/** Written by the recordings collector, after the columns above, so neither overwrites the other. */
export const SESSION_RECORDING_COLUMNS = ['Recording', 'Recording Purge Due'] as const;

export const ATTENDANCE_COLUMNS = [
  'Lesson ID',
  'Date',
  'Course',
  'Name',
  'Role',
  'Joined',
  'Left',
  'Minutes',
  'Consent',
  'Follow Up',
] as const;

export function sessionRow(lesson: Lesson, timeZone: string): RowCell[] {
  const when = (ms: number | null | undefined) =>
    ms ? `${localDate(ms, timeZone)} ${localTime(ms, timeZone)}` : '';
  const report = lesson.status === 'closed' ? lesson.report : null;
  const post = 'post' in lesson ? lesson.post : { state: 'none' as const };
  const sharedAt =
    post.state === 'live' || post.state === 'withdrawn' || post.state === 'paused'
      ? post.sharedAt
      : null;
  // A link paused while no member of staff was in the call (R21) is off Classroom too.
  const withdrawnAt =
    post.state === 'withdrawn' || post.state === 'paused' ? post.withdrawnAt : null;
  const openedAt = 'openedAt' in lesson ? lesson.openedAt : null;
  const endedAt = 'endedAt' in lesson ? lesson.endedAt : null;
  const approval =
    lesson.approval.state === 'approved'
      ? `approved by ${lesson.approval.by}`
      : lesson.approval.state === 'declined'
        ? `declined by ${lesson.approval.by}: ${lesson.approval.reason}`
        : lesson.approval.state;
  const row: RowCell[] = [
    safeCell(lesson.id),
    safeCell(`${lesson.title} (${lesson.courseName})`),
    localDate(lesson.start, timeZone),
    null,
    null,
    safeCell(report?.secondStaff ?? (report ? 'none' : '')),
    null,
    safeCell(lesson.courseName),
    // Typed addresses are checked only for their domain: "=HYPERLINK(...)@school.org" passes.
    safeCell(lesson.teacher),
    safeCell(lesson.secondStaff ?? ''),
    // The status word, then what the Calendar did to the lesson, if anything (R1).
    safeCell(statusText(lesson, timeZone)),
    safeCell(approval),
    when(lesson.scheduledAt),
    when(lesson.start),
    when(lesson.end),
    when(openedAt),
    when(sharedAt),
    when(withdrawnAt),
    when(endedAt),
    report ? report.durationMinutes : '',
    report ? report.counts.pupilsPresent : '',
    report ? report.counts.pupilsAbsent : '',
    report ? report.counts.uninvited : '',
    report ? report.counts.external : '',
    lesson.consentConfirmedAt ? when(lesson.consentConfirmedAt) : '',
    safeCell(lesson.flags.map((f) => `${f.code}: ${f.detail}`).join('\n')),
    lesson.flags.some((f) => f.severity === 'serious') ? 'yes' : 'no',
    lesson.version,
  ];
  return row;
}

/** One row per person who joined or should have (R14); absent pupils are marked for sensitive follow-up. */
export function attendanceRows(lesson: Lesson, timeZone: string): Cell[][] {
  if (lesson.status !== 'closed') return [];
  const when = (ms: number | null) => (ms ? localTime(ms, timeZone) : '');
  return lesson.report.attendance.map((a) => [
    lesson.id,
    localDate(lesson.start, timeZone),
    safeCell(lesson.courseName),
    safeCell(a.name),
    a.role,
    when(a.firstJoined),
    when(a.lastLeft),
    a.minutes,
    a.consent,
    followUpText(a),
  ]);
}

/** What SLT should do about one person, or what to know about them (R11, R13-R15, R22, R23). */
function followUpText(a: AttendanceEntry): string {
  if (a.role === 'pupil' && a.firstJoined === null) return 'absent: follow up sensitively';
  if (a.note) return safeCell(a.note);
  switch (a.role) {
    case 'external':
      return 'outside the school: review';
    case 'anonymous':
      return 'not signed in (outside the school): review';
    case 'phone':
      return 'joined by phone, not identified: ask the teacher who it was';
    case 'unverified':
      return 'the school directory could not check this account: review';
    case 'uninvited':
      return 'not on roster: review';
    default:
      return a.consent === 'missing' ? 'no consent on file' : '';
  }
}
