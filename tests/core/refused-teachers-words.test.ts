// R28: the words about teachers Google or Classroom refuses: how many are refused, a bulk
// suspension told as one alert, the lessons at risk on the Status sheet within a cell, and a
// Classroom 403 for the teacher told apart from Google failing.

import { emptyHealth, noteRun, type RunObservation } from '../../src/core/health';
import { type LessonAtRisk, refusedAccountsNotice } from '../../src/core/health-notices';
import { assess, type HealthContext, LESSONS_MARKER } from '../../src/core/health-problems';
import { classroomRefusedTeacher, type Lesson, noteGoogleFailure } from '../../src/core/lesson';
import { atRiskToday, STATUS_CELL_CHARS, statusRows } from '../../src/core/status-rows';
import { GONE, HOUR, lessonAtRisk, MIN, monitorRun, ctx as schoolCtx, T0, TZ } from './health-kit';

const ctx: HealthContext = { ...schoolCtx, serviceAccount: null };

const teacher = (i: number) => `teacher${i}@school.example`;

/** A run in which the first teacher worked and the next `n` were refused, one account each. */
function refused(n: number, at = T0): RunObservation {
  return monitorRun(at, {
    delegation: {
      workedAt: at,
      refusedAt: null,
      detail: null,
      accounts: [
        { user: teacher(0), workedAt: at, refusedAt: null, detail: null },
        ...Array.from({ length: n }, (_, i) => ({
          user: teacher(i + 1),
          workedAt: null,
          refusedAt: at + 1000,
          detail: GONE,
        })),
      ],
    },
  });
}

const lesson = (over: Partial<LessonAtRisk>): LessonAtRisk =>
  lessonAtRisk({ id: 'L-1', teacher: teacher(1), ...over });

describe('how many teachers are refused, in each account’s alert', () => {
  it('says "this one account" only when it is the only one', () => {
    const [one] = assess(noteRun(emptyHealth(T0), refused(1)), T0 + MIN, ctx);
    expect(one!.body).toContain('this answer concerns this one account');
    expect(one!.body).not.toContain('bulk suspension');
    const two = assess(noteRun(emptyHealth(T0), refused(2)), T0 + MIN, ctx);
    expect(two[0]!.body).not.toContain('this one account');
    expect(two[0]!.body).toContain(
      'Google refuses 2 teachers’ accounts in all at the moment (this one included: see the other alerts); other teachers’ lessons are unaffected',
    );
    expect(two[0]!.body).not.toContain('bulk suspension');
  });

  it('says from three on that it looks like a bulk suspension, and where to look', () => {
    const three = assess(noteRun(emptyHealth(T0), refused(3)), T0 + MIN, ctx);
    expect(three).toHaveLength(3);
    for (const p of three) {
      expect(p.account).toMatchObject({ refusedNow: 3, schoolWide: false });
      expect(p.body).toContain(
        'Google refuses 3 teachers’ accounts at once: this looks like a bulk suspension or deletion',
      );
      expect(p.body).toContain('audit log (Reporting, Audit and investigation, Admin log events)');
    }
  });
});

describe('refused accounts told together', () => {
  const words = (i: number, refusedNow: number) => ({
    teacher: teacher(i),
    since: T0 + i * MIN,
    detail: GONE,
    refusedNow,
    schoolWide: false,
  });

  it('lists every teacher with their lessons, and those told of earlier after them', () => {
    const lessons = [
      lesson({ teacher: teacher(1), title: 'Phonics' }),
      lesson({ teacher: teacher(2), title: 'Maths', status: 'open', linkLive: true }),
      lesson({ teacher: teacher(9), title: 'Not refused' }),
    ];
    const told = refusedAccountsNotice([words(1, 3), words(2, 3)], lessons, TZ, T0 + 5 * MIN, [
      words(3, 3),
    ]);
    expect(told.subject).toBe(
      'Safe Live Lessons: the automation cannot act as 2 teachers’ accounts',
    );
    expect(told.body).toMatch(
      new RegExp(
        `^Since 09:01, Google will not let the automation act as these 2 teachers: ${teacher(1)}, ${teacher(2)}\\.`,
      ),
    );
    expect(told.body).toContain(
      `- Mon 23 Nov, 10:00–10:30 Phonics (Year 2, ${teacher(1)}): room not made yet; nothing on Classroom.`,
    );
    expect(told.body).toContain(`Maths (Year 2, ${teacher(2)}): its link is still on Classroom`);
    expect(told.body).toContain(
      `Refused earlier as well (already told):\n\n${teacher(3)} (refused since 09:03;`,
    );
    expect(told.body).not.toContain('Not refused');
    expect(told.body).not.toContain(LESSONS_MARKER);
    expect(told.body).toContain('looks like a bulk suspension or deletion');
    expect(told.body).toContain(
      'Google refuses 3 teachers’ accounts in all at the moment (all of them listed above)',
    );
  });

  it('does not call two a bulk suspension, and counts those not listed', () => {
    const told = refusedAccountsNotice([words(1, 2), words(2, 2)], [], TZ, T0 + 5 * MIN);
    expect(told.body).not.toContain('bulk suspension');
    expect(told.body).toContain(`${teacher(1)} has no lesson open or starting within the hour.`);
    const some = refusedAccountsNotice([words(1, 4), words(2, 4)], [], TZ, T0 + 5 * MIN);
    expect(some.body).toContain(
      'Google refuses 4 teachers’ accounts in all at the moment (the 2 listed above included)',
    );
  });
});

describe('the Status sheet names a refused teacher’s lessons at risk today', () => {
  const state = noteRun(emptyHealth(T0), refused(1));
  const row = (lessons: LessonAtRisk[], now = T0 + MIN) =>
    statusRows(state, now, TZ, lessons).find((r) => r[0] === `Acting as ${teacher(1)}`)![2]!;

  it('says what is true of each: room not made, link up, a call it cannot end', () => {
    const detail = row([
      lesson({ id: 'L-b', start: T0 + 2 * HOUR, end: T0 + 2 * HOUR + 30 * MIN }),
      lesson({ id: 'L-a', status: 'open', linkLive: true, callRunning: true, start: T0 }),
      lesson({
        id: 'L-c',
        status: 'closed',
        roomNeverMade: true,
        start: T0 - HOUR,
        end: T0 - 30 * MIN,
      }),
      lesson({ id: 'L-done', status: 'closed', start: T0 - HOUR, end: T0 - 30 * MIN }),
      lesson({ id: 'L-tomorrow', start: T0 + 24 * HOUR, end: T0 + 24 * HOUR + 30 * MIN }),
      lesson({ id: 'L-other', teacher: teacher(0) }),
    ]);
    expect(detail).toContain(
      'At risk today: L-c 08:00 Phonics (Year 2): room never made, did not take place; L-a 09:00 Phonics (Year 2): link up on Classroom, call running that the automation cannot end; L-b 11:00 Phonics (Year 2): room not made.',
    );
    expect(detail).not.toMatch(/L-done|L-tomorrow|L-other/);
    expect(detail).toMatch(
      /Its lessons need a cover teacher or the account restored; other teachers are unaffected\.$/,
    );
  });

  it('says so when none is at risk, and keeps the old words when not given the lessons', () => {
    expect(row([])).toContain('No lesson of theirs at risk today.');
    const without = statusRows(state, T0 + MIN, TZ).find(
      (r) => r[0] === `Acting as ${teacher(1)}`,
    )!;
    expect(without[2]).not.toContain('At risk today');
  });

  it('fits the cell, counting the lessons it has no room for, with titles kept short', () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      lesson({ id: `L-${i}`, title: 'x'.repeat(20_000), start: T0 + HOUR + i * MIN }),
    );
    const detail = row(many);
    expect(detail.length).toBeLessThanOrEqual(STATUS_CELL_CHARS);
    const shown = (detail.match(/L-\d+ /g) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(detail).toContain(`and ${30 - shown} more.`);
    expect(detail).toMatch(/other teachers are unaffected\.$/);
    expect(atRiskToday(many, teacher(1), TZ, T0 + MIN)).toHaveLength(30);
  });
});

describe('a Classroom 403 for the teacher is not Google failing', () => {
  const base = { status: 'open', googleFailure: undefined } as unknown as Lesson;

  it('is recognised from the failure noted on the lesson, and nothing else is', () => {
    const forbidden = noteGoogleFailure(
      base,
      { kind: 'forbidden', service: 'classroom', detail: 'HTTP 403' },
      T0,
    );
    expect(classroomRefusedTeacher(forbidden)).toBe(true);
    for (const other of [
      { kind: 'transient', service: 'classroom', detail: 'HTTP 503' },
      { kind: 'cannot-act-as', service: 'auth', detail: GONE },
      { kind: 'forbidden', service: 'meet', detail: 'HTTP 403' },
    ])
      expect(classroomRefusedTeacher(noteGoogleFailure(base, other, T0))).toBe(false);
    expect(classroomRefusedTeacher(base)).toBe(false);
  });
});
