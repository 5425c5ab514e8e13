// R1-R5, R11: what stops a lesson being made, and what lets it go ahead in front of SLT.

import {
  checkLessonRequest,
  isOnDomain,
  type LessonRequest,
  type ScheduleContext,
} from '../../src/core/schedule-policy';
import { zonedInstant } from '../../src/core/time';
import { END, min, SECOND, SETTINGS, START, TEACHER } from './lesson-factory';

function request(overrides: Partial<LessonRequest> = {}): LessonRequest {
  return {
    courseId: 'course-7b',
    title: 'Forces and motion',
    start: START,
    end: END,
    teacher: TEACHER,
    secondStaff: SECOND,
    ...overrides,
  };
}

function context(overrides: Partial<ScheduleContext> = {}): ScheduleContext {
  return {
    settings: SETTINGS,
    now: START - min(24 * 60),
    teachesCourse: true,
    otherLessonStarts: [],
    ...overrides,
  };
}

const london = (date: string, time: string) => zonedInstant(date, time, 'Europe/London');

describe('a lesson that follows the policy', () => {
  it('is neither refused nor flagged', () => {
    expect(checkLessonRequest(request(), context())).toEqual({ refusals: [], flags: [] });
  });
});

describe('refusals: the lesson is not made', () => {
  it('refuses a start time that has already passed', () => {
    const check = checkLessonRequest(request(), context({ now: START + 1 }));
    expect(check.refusals).toEqual(['That time has already passed: choose a time in the future.']);
  });

  it('refuses a teacher Classroom does not call verified where the school lets only verified teachers host (R5)', () => {
    const only = { ...SETTINGS, verifiedTeachersOnly: true };
    const refused = [
      'Only teachers verified in Google Classroom by the school’s administrator can schedule live lessons. If you teach here, ask your Google Workspace administrator to verify you as a teacher in Classroom.',
    ];
    expect(
      checkLessonRequest(request(), context({ settings: only, verifiedTeacher: false })).refusals,
    ).toEqual(refused);
    // Not asked is not a yes.
    expect(checkLessonRequest(request(), context({ settings: only })).refusals).toEqual(refused);
    expect(
      checkLessonRequest(request(), context({ settings: only, verifiedTeacher: true })).refusals,
    ).toEqual([]);
    // A school that does not require it never refuses for it.
    expect(checkLessonRequest(request(), context({ verifiedTeacher: false })).refusals).toEqual([]);
  });

  it('refuses, where the school names a staff class, a teacher or a typed second adult it does not list, and a class that is not there (R5, R11)', () => {
    const staffClass = { ...SETTINGS, staffClass: '600000000009' };
    const refusals = (listed: ScheduleContext['staffClass']) =>
      checkLessonRequest(request(), context({ settings: staffClass, staffClass: listed })).refusals;
    expect(refusals({ teacherListed: true, secondListed: true })).toEqual([]);
    // Null: no second adult to ask about (a lead, a co-teacher, someone refused otherwise).
    expect(refusals({ teacherListed: true, secondListed: null })).toEqual([]);
    expect(refusals({ teacherListed: true, secondListed: false })).toEqual([
      `${SECOND} is not in the school’s staff class in Google Classroom, so cannot be the second adult: name a colleague who is, or ask SLT to add them.`,
    ]);
    expect(refusals({ teacherListed: false, secondListed: null })).toEqual([
      'Only members of the school’s staff class in Google Classroom can schedule live lessons. If you are staff, ask SLT to add you to it.',
    ]);
    expect(refusals({ missing: true })).toEqual([
      'The staff class named in the school’s settings (staffClass) is not in Google Classroom, so nobody can be checked as staff. Ask SLT to correct the setting.',
    ]);
    // A school that names none is never refused for it.
    expect(checkLessonRequest(request(), context()).refusals).toEqual([]);
  });

  it('refuses a three-hour lesson outright, whatever the school limit', () => {
    const check = checkLessonRequest(request({ end: START + min(180) }), context());
    expect(check.refusals).toEqual([
      "A live lesson can last at most 120 minutes (the school's limit is 30).",
    ]);
    expect(check.flags).toEqual([]);
  });

  it('refuses a lesson that ends before it starts', () => {
    const check = checkLessonRequest(request({ end: START - min(30) }), context());
    expect(check.refusals).toEqual(['The lesson must end after it starts.']);
  });

  it('refuses a lesson with no date', () => {
    const check = checkLessonRequest(request({ start: Number.NaN }), context());
    expect(check.refusals).toEqual(['Choose a date and a start time.']);
  });

  it('refuses a teacher whose account is not on the school domain (R5)', () => {
    const check = checkLessonRequest(request({ teacher: 'ms.teacher@gmail.com' }), context());
    expect(check.refusals).toEqual([
      'Only staff accounts on school.example can schedule or host lessons.',
    ]);
  });

  it('refuses a look-alike domain that merely ends with the school’s name', () => {
    const check = checkLessonRequest(request({ teacher: 'x@evilschool.example' }), context());
    expect(check.refusals).toEqual([
      'Only staff accounts on school.example can schedule or host lessons.',
    ]);
  });

  it('refuses the teacher as their own second member of staff (R11)', () => {
    const check = checkLessonRequest(
      request({ secondStaff: 'MS.Teacher@school.example' }),
      context(),
    );
    expect(check.refusals).toEqual(['The second member of staff must be someone other than you.']);
  });

  it('refuses a second adult from outside the school', () => {
    const check = checkLessonRequest(request({ secondStaff: 'parent@gmail.com' }), context());
    expect(check.refusals).toEqual([
      'The second member of staff must have a school.example account.',
    ]);
  });

  it('refuses a class the teacher does not teach in Classroom (R1)', () => {
    const check = checkLessonRequest(request(), context({ teachesCourse: false }));
    expect(check.refusals).toEqual([
      'You can only schedule lessons for classes you teach in Google Classroom.',
    ]);
  });

  it('refuses an empty or blank title', () => {
    expect(checkLessonRequest(request({ title: '' }), context()).refusals).toEqual([
      'Give the lesson a title.',
    ]);
    expect(checkLessonRequest(request({ title: '   ' }), context()).refusals).toEqual([
      'Give the lesson a title.',
    ]);
  });

  it('refuses an oversized title but keeps one of exactly 120 characters', () => {
    expect(checkLessonRequest(request({ title: 'x'.repeat(121) }), context()).refusals).toEqual([
      'Keep the title under 120 characters.',
    ]);
    expect(checkLessonRequest(request({ title: 'x'.repeat(120) }), context()).refusals).toEqual([]);
  });

  it('gives every reason at once and no flags while anything is refused', () => {
    const check = checkLessonRequest(
      request({ title: '', teacher: 'a@gmail.com', secondStaff: null }),
      context({ teachesCourse: false }),
    );
    expect(check.refusals).toHaveLength(3);
    expect(check.flags).toEqual([]);
  });
});

describe('flags: the lesson goes ahead, in front of SLT (R4, R11)', () => {
  const codes = (req: LessonRequest, ctx = context()) =>
    checkLessonRequest(req, ctx).flags.map((f) => f.code);

  it('flags a lesson before the school day starts', () => {
    const start = london('2026-11-23', '08:00');
    const check = checkLessonRequest(request({ start, end: start + min(30) }), context());
    expect(check.flags).toEqual([
      {
        code: 'outside-lesson-hours',
        severity: 'warning',
        detail: 'Scheduled for Mon 23 Nov at 08:00: outside normal lesson hours.',
      },
    ]);
  });

  it('flags a lesson that runs past the end of the school day', () => {
    const start = london('2026-11-23', '15:15');
    expect(codes(request({ start, end: start + min(30) }))).toEqual(['outside-lesson-hours']);
  });

  it('does not flag a lesson that ends exactly when the school day ends', () => {
    const start = london('2026-11-23', '15:00');
    expect(codes(request({ start, end: start + min(30) }))).toEqual([]);
  });

  it('flags a Saturday lesson even in normal hours', () => {
    const start = london('2026-11-28', '10:00');
    expect(codes(request({ start, end: start + min(30) }))).toEqual(['outside-lesson-hours']);
  });

  it('judges lesson hours by the London clock in summer time, not UTC', () => {
    // 08:45 BST is 07:45 UTC: inside lesson hours for the school.
    const start = london('2026-06-15', '08:45');
    expect(new Date(start).getUTCHours()).toBe(7);
    expect(codes(request({ start, end: start + min(30) }))).toEqual([]);
  });

  it('flags a group lesson longer than the 30 minutes the policy allows', () => {
    const check = checkLessonRequest(request({ end: START + min(45) }), context());
    expect(check.flags).toEqual([
      {
        code: 'too-long',
        severity: 'warning',
        detail: "45 minutes, longer than the school's 30-minute limit.",
      },
    ]);
  });

  it('does not flag a lesson of exactly 30 minutes', () => {
    expect(codes(request({ end: START + min(30) }))).toEqual([]);
  });

  it('flags a second lesson in the same ISO week when the school allows one', () => {
    const settings = { ...SETTINGS, maxLessonsPerClassPerWeek: 1 };
    const sunday = london('2026-11-29', '10:00'); // the same ISO week as Monday the 23rd
    const check = checkLessonRequest(request(), context({ settings, otherLessonStarts: [sunday] }));
    expect(check.flags).toEqual([
      {
        code: 'class-meets-too-often',
        severity: 'warning',
        detail: 'Lesson 2 this week for this class; the school allows 1.',
      },
    ]);
  });

  it('does not count lessons from the week before or after', () => {
    const settings = { ...SETTINGS, maxLessonsPerClassPerWeek: 1 };
    const others = [london('2026-11-22', '10:00'), london('2026-11-30', '10:00')];
    expect(codes(request(), context({ settings, otherLessonStarts: others }))).toEqual([]);
  });

  it('places no cap on meetings when the school sets none', () => {
    const others = [START - min(60 * 24), START + min(60 * 24), START + min(60 * 48)];
    expect(codes(request(), context({ otherLessonStarts: others }))).toEqual([]);
  });

  it('flags a lesson with no second member of staff named, as serious', () => {
    const check = checkLessonRequest(request({ secondStaff: null }), context());
    expect(check.flags).toEqual([
      {
        code: 'no-second-staff',
        severity: 'serious',
        detail: 'No second member of staff named: another adult must be present (policy).',
      },
    ]);
  });
});

describe('rules a school sets to refuse (R25): the lesson is not made, and the message says why', () => {
  const refusing = (rule: Partial<typeof SETTINGS>) =>
    context({ settings: { ...SETTINGS, ...rule } });

  it('refuses a lesson at 17:00 when lesson hours are a rule (policies 000 and 002)', () => {
    const start = london('2026-11-23', '17:00');
    const check = checkLessonRequest(
      request({ start, end: start + min(30) }),
      refusing({ lessonHoursRule: 'refuse' }),
    );
    expect(check).toEqual({
      refusals: [
        "Lessons run between 08:30 and 15:30 (the school's lesson hours): 17:00–17:30 is outside them. Choose another time.",
      ],
      flags: [],
    });
  });

  it('refuses a lesson that runs past the end of the day, not only one that starts after it', () => {
    const start = london('2026-11-23', '15:15');
    expect(
      checkLessonRequest(
        request({ start, end: start + min(30) }),
        refusing({ lessonHoursRule: 'refuse' }),
      ).refusals,
    ).toHaveLength(1);
  });

  it('refuses a Saturday lesson when lesson days are a rule', () => {
    const start = london('2026-11-28', '10:00');
    const check = checkLessonRequest(
      request({ start, end: start + min(30) }),
      refusing({ lessonDaysRule: 'refuse' }),
    );
    expect(check.refusals).toEqual([
      "Lessons run on Monday, Tuesday, Wednesday, Thursday and Friday only (the school's setting); Sat 28 Nov is not one of them. Choose another day.",
    ]);
  });

  it('refuses on the day but only flags the hour when only the day is a rule', () => {
    const start = london('2026-11-28', '19:00');
    const check = checkLessonRequest(
      request({ start, end: start + min(30) }),
      refusing({ lessonDaysRule: 'refuse' }),
    );
    expect(check.refusals).toHaveLength(1);
    expect(check.refusals[0]).toMatch(/Sat 28 Nov is not one of them/);
  });

  it('refuses a 45-minute lesson when the length is a rule (policy 000: "no longer than 30 minutes")', () => {
    const check = checkLessonRequest(
      request({ end: START + min(45) }),
      refusing({ maxLessonMinutesRule: 'refuse' }),
    );
    expect(check).toEqual({
      refusals: [
        "A lesson can last at most 30 minutes (the school's limit); this one is 45. Make it shorter.",
      ],
      flags: [],
    });
  });

  it('gives one message, not two, for a three-hour lesson when the length is a rule', () => {
    const check = checkLessonRequest(
      request({ end: START + min(180) }),
      refusing({ maxLessonMinutesRule: 'refuse' }),
    );
    expect(check.refusals).toEqual([
      "A live lesson can last at most 120 minutes (the school's limit is 30).",
    ]);
  });

  it('refuses a second lesson in a week when the school allows one (policy 002: "no more than once a week")', () => {
    const tuesday = london('2026-11-24', '10:00');
    const check = checkLessonRequest(
      request(),
      context({
        settings: {
          ...SETTINGS,
          maxLessonsPerClassPerWeek: 1,
          maxLessonsPerClassPerWeekRule: 'refuse',
        },
        otherLessonStarts: [tuesday],
      }),
    );
    expect(check.refusals).toEqual([
      'This class already has 1 live lesson(s) that week; the school allows 1 a week. Choose another week.',
    ]);
  });

  it('refuses a lesson with no second member of staff when the second adult is a rule (policy 002)', () => {
    const check = checkLessonRequest(
      request({ secondStaff: null }),
      refusing({ secondStaffRule: 'refuse' }),
    );
    expect(check).toEqual({
      refusals: [
        "Name a second member of staff: the school's policy needs another adult in every live lesson.",
      ],
      flags: [],
    });
  });

  it('still schedules a lesson that keeps every rule, refusing nothing and flagging nothing', () => {
    const strict = refusing({
      lessonHoursRule: 'refuse',
      lessonDaysRule: 'refuse',
      maxLessonMinutesRule: 'refuse',
      maxLessonsPerClassPerWeekRule: 'refuse',
      secondStaffRule: 'refuse',
    });
    expect(checkLessonRequest(request(), strict)).toEqual({ refusals: [], flags: [] });
  });

  it('refuses by one rule and drops the flags of the others: a refused lesson is not made', () => {
    const start = london('2026-11-23', '17:00');
    const check = checkLessonRequest(
      request({ start, end: start + min(45), secondStaff: null }),
      refusing({ lessonHoursRule: 'refuse' }),
    );
    expect(check.refusals).toHaveLength(1);
    expect(check.flags).toEqual([]);
  });

  it('keeps the refusals that are not the school’s to waive, and lists the rule’s too', () => {
    const start = london('2026-11-23', '17:00');
    const check = checkLessonRequest(
      request({ start, end: start + min(30) }),
      context({
        settings: { ...SETTINGS, lessonHoursRule: 'refuse' },
        now: start + min(1),
        teachesCourse: false,
      }),
    );
    expect(check.refusals).toEqual([
      'That time has already passed: choose a time in the future.',
      'You can only schedule lessons for classes you teach in Google Classroom.',
      "Lessons run between 08:30 and 15:30 (the school's lesson hours): 17:00–17:30 is outside them. Choose another time.",
    ]);
  });

  it('flags a lesson out of hours on a Saturday once, not once per broken rule', () => {
    const start = london('2026-11-28', '19:00');
    const check = checkLessonRequest(request({ start, end: start + min(30) }), context());
    expect(check.flags.map((f) => f.code)).toEqual(['outside-lesson-hours']);
  });
});

describe('isOnDomain', () => {
  it('matches the school domain whatever the capitals', () => {
    expect(isOnDomain('A.Teacher@School.Example', 'school.example')).toBe(true);
    expect(isOnDomain('a.teacher@sub.school.example', 'school.example')).toBe(false);
    expect(isOnDomain('school.example', 'school.example')).toBe(false);
  });
});

describe('a teacher booked into two lessons at once (policy 000: first in, last out)', () => {
  const other = (start: number, end: number) => ({ title: 'Spelling', start, end });
  const codes = (teacherLessons: { title: string; start: number; end: number }[]) =>
    checkLessonRequest(request(), context({ teacherLessons })).flags.map((f) => f.code);

  it('flags an overlap, however small, naming the other lesson, and never refuses it', () => {
    const check = checkLessonRequest(
      request(),
      context({ teacherLessons: [other(END - min(1), END + min(29))] }),
    );
    expect(check.refusals).toEqual([]);
    expect(check.flags.map((f) => f.code)).toEqual(['teacher-double-booked']);
    expect(check.flags[0]!.detail).toMatch(
      /^Overlaps another of this teacher's live lessons \(Spelling, /,
    );
    expect(codes([other(START - min(60), START + min(1))])).toEqual(['teacher-double-booked']);
  });

  it('takes back-to-back lessons as they are: one ends as the next starts', () => {
    expect(codes([other(END, END + min(30)), other(START - min(30), START)])).toEqual([]);
  });
});
