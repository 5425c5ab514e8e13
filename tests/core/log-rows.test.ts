// R18: the Sessions and Attendance rows SLT read, with Appendix A of policy 000 first and
// nothing in them that Sheets could run as a formula.

import { flag } from '../../src/core/flags';
import { cancelLesson, confirmConsent, withdrawLink } from '../../src/core/lesson';
import type { AttendanceEntry } from '../../src/core/lesson-report';
import {
  ATTENDANCE_COLUMNS,
  attendanceRows,
  SESSION_COLUMNS,
  sessionRow,
} from '../../src/core/log-rows';
import { checkLessonRequest } from '../../src/core/schedule-policy';
import {
  closedLesson,
  END,
  emptyReport,
  min,
  SETTINGS,
  START,
  scheduledLesson,
  sharedLesson,
  TEACHER,
} from './lesson-factory';

const TZ = 'Europe/London';
const col = (name: (typeof SESSION_COLUMNS)[number]) => SESSION_COLUMNS.indexOf(name);
const FORMULA_START = /^[=+\-@\t\r]/;

describe('the Sessions sheet columns', () => {
  it('carries the columns of Appendix A (policy 000) in the policy’s order', () => {
    const appendixA = [
      'Session',
      'Date',
      'Any Technology Issues',
      'Any Inappropriate Behaviour',
      'Other Staff Member Present',
      'Anything To Share With SLT?',
    ];
    expect(SESSION_COLUMNS.slice(1, 7)).toEqual(appendixA);
  });

  it('carries what the system saw itself (R18)', () => {
    for (const name of [
      'Scheduled At',
      'Room Opened',
      'Link Shared',
      'Link Withdrawn',
      'Call Ended',
      'Duration (min)',
      'Pupils Present',
      'Pupils Absent',
      'Flags',
    ] as const) {
      expect(col(name)).toBeGreaterThan(6);
    }
  });

  it('writes one cell per column', () => {
    expect(sessionRow(scheduledLesson(), TZ)).toHaveLength(SESSION_COLUMNS.length);
    expect(attendanceRows(closedLesson(), TZ)).toEqual([]);
  });
});

describe('sessionRow', () => {
  it('logs a lesson from the moment it is scheduled (R3)', () => {
    const row = sessionRow(scheduledLesson(), TZ);
    expect(row[col('Lesson ID')]).toBe('L-20261123-abc234');
    expect(row[col('Session')]).toBe('Forces and motion (7B Science)');
    expect(row[col('Date')]).toBe('2026-11-23');
    expect(row[col('Status')]).toBe('scheduled');
    expect(row[col('Approval')]).toBe('approved by head@school.example');
    expect(row[col('Start')]).toBe('2026-11-23 10:00');
    expect(row[col('End')]).toBe('2026-11-23 10:30');
    expect(row[col('Room Opened')]).toBe('');
    expect(row[col('Duration (min)')]).toBe('');
    expect(row[col('Other Staff Member Present')]).toBe('');
    expect(row[col('Serious')]).toBe('no');
  });

  it('leaves the teacher’s own Appendix A cells alone (null), whatever the state', () => {
    const teacherColumns = [
      col('Any Technology Issues'),
      col('Any Inappropriate Behaviour'),
      col('Anything To Share With SLT?'),
    ];
    for (const lesson of [scheduledLesson(), sharedLesson(), closedLesson()]) {
      const row = sessionRow(lesson, TZ);
      expect(teacherColumns.map((i) => row[i])).toEqual([null, null, null]);
      expect(row.filter((c) => c === null)).toHaveLength(3);
    }
  });

  it('records when the link was shared and withdrawn, in London time', () => {
    const row = sessionRow(withdrawLink(sharedLesson(), END - min(5)), TZ);
    expect(row[col('Room Opened')]).toBe('2026-11-23 09:50');
    expect(row[col('Link Shared')]).toBe('2026-11-23 09:55');
    expect(row[col('Link Withdrawn')]).toBe('2026-11-23 10:25');
    expect(row[col('Call Ended')]).toBe('');
  });

  it('records the attendance counts and who the second adult was once closed', () => {
    const report = emptyReport({
      durationMinutes: 31,
      counts: { pupilsPresent: 12, pupilsAbsent: 3, staff: 2, uninvited: 1, external: 0 },
    });
    const row = sessionRow(closedLesson({}, report), TZ);
    expect(row[col('Other Staff Member Present')]).toBe('Mr Second');
    expect(row[col('Call Ended')]).toBe('2026-11-23 10:32');
    expect(row[col('Duration (min)')]).toBe(31);
    expect(row[col('Pupils Present')]).toBe(12);
    expect(row[col('Pupils Absent')]).toBe(3);
    expect(row[col('Uninvited')]).toBe(1);
    expect(row[col('External')]).toBe(0);
  });

  it('says "none" when no second adult was present, so the gap is visible', () => {
    const row = sessionRow(closedLesson({}, emptyReport({ secondStaff: null })), TZ);
    expect(row[col('Other Staff Member Present')]).toBe('none');
  });

  it('marks a lesson with a serious flag, and lists every flag', () => {
    const lesson = scheduledLesson({
      flags: [flag('too-long', '45 minutes'), flag('no-second-staff', 'nobody named')],
    });
    const row = sessionRow(lesson, TZ);
    expect(row[col('Flags')]).toBe('too-long: 45 minutes\nno-second-staff: nobody named');
    expect(row[col('Serious')]).toBe('yes');
  });

  it('records when the teacher confirmed consent (R13)', () => {
    const row = sessionRow(confirmConsent(sharedLesson(), START - min(2)), TZ);
    expect(row[col('Consent Confirmed')]).toBe('2026-11-23 09:58');
  });

  it('shows a declined lesson with who declined it and why', () => {
    const lesson = scheduledLesson({
      approval: { state: 'declined', by: 'head@school.example', at: 0, reason: 'no cover' },
    });
    expect(sessionRow(lesson, TZ)[col('Approval')]).toBe(
      'declined by head@school.example: no cover',
    );
  });

  it('shows a cancelled lesson as cancelled', () => {
    expect(sessionRow(cancelLesson(scheduledLesson(), START), TZ)[col('Status')]).toBe('cancelled');
  });

  it('puts every string through safeCell: no cell can become a formula', () => {
    // The policy accepts this second adult: the address ends with the school's domain.
    const sneaky = '=HYPERLINK("http://x","y")@school.example';
    const check = checkLessonRequest(
      {
        courseId: 'c',
        title: 'ok',
        start: START,
        end: END,
        teacher: TEACHER,
        secondStaff: sneaky,
      },
      { settings: SETTINGS, now: START - min(60), teachesCourse: true, otherLessonStarts: [] },
    );
    expect(check.refusals).toEqual([]);

    const lesson = closedLesson(
      {
        title: '=IMPORTRANGE("https://x","A1")',
        courseName: '+7B',
        secondStaff: sneaky,
        flags: [flag('incident', 'x')],
      },
      emptyReport({ secondStaff: '@Mr Second' }),
    );
    const row = sessionRow({ ...lesson, teacher: '=teacher@school.example' }, TZ);
    const declined = sessionRow(
      scheduledLesson({ approval: { state: 'declined', by: '-x', at: 0, reason: '=1' } }),
      TZ,
    );
    expect(declined[col('Approval')]).toBe('declined by -x: =1');
    const strings = row.filter((c): c is string => typeof c === 'string');
    expect(strings.filter((c) => FORMULA_START.test(c))).toEqual([]);
    expect(row[col('Second Staff Named')]).toBe(`'${sneaky}`);
    expect(row[col('Teacher')]).toBe("'=teacher@school.example");
    expect(row[col('Course')]).toBe("'+7B");
    expect(row[col('Other Staff Member Present')]).toBe("'@Mr Second");
  });
});

describe('attendanceRows (R14)', () => {
  const entry = (overrides: Partial<AttendanceEntry>): AttendanceEntry => ({
    key: 'users/p1',
    name: 'Amira Khan',
    role: 'pupil',
    firstJoined: START,
    lastLeft: END,
    minutes: 30,
    consent: 'given',
    ...overrides,
  });

  it('writes one row per person, with the columns in order', () => {
    const lesson = closedLesson({}, emptyReport({ attendance: [entry({})] }));
    expect(ATTENDANCE_COLUMNS).toEqual([
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
    ]);
    expect(attendanceRows(lesson, TZ)).toEqual([
      [
        'L-20261123-abc234',
        '2026-11-23',
        '7B Science',
        'Amira Khan',
        'pupil',
        '10:00',
        '10:30',
        30,
        'given',
        '',
      ],
    ]);
  });

  it('says what needs following up, and how', () => {
    const lesson = closedLesson(
      {},
      emptyReport({
        attendance: [
          entry({ firstJoined: null, lastLeft: null, minutes: 0 }),
          entry({ key: 'anonymous:Guest', name: 'Guest', role: 'external', consent: 'n/a' }),
          entry({ key: 'users/x', name: 'X', role: 'uninvited', consent: 'n/a' }),
          entry({ consent: 'missing' }),
          entry({ name: 'Mr Second', role: 'staff', consent: 'n/a' }),
        ],
      }),
    );
    expect(attendanceRows(lesson, TZ).map((r) => r[9])).toEqual([
      'absent: follow up sensitively',
      'outside the school: review',
      'not on roster: review',
      'no consent on file',
      '',
    ]);
  });

  it('keeps a pupil’s name as text when it looks like a formula', () => {
    const lesson = closedLesson({}, emptyReport({ attendance: [entry({ name: '=1+1' })] }));
    expect(attendanceRows(lesson, TZ)[0]![3]).toBe("'=1+1");
  });

  it('writes nothing for a lesson that has not closed', () => {
    expect(attendanceRows(sharedLesson(), TZ)).toEqual([]);
  });
});
