// Lesson scenarios about who is in the call (R11-R14), end to end through the built
// bundle: uninvited and external people, a missing second adult, 1:1 lessons, and a
// pupil without parental consent.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { admit, flagCodes, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

describe('lesson scenarios: people in the call', () => {
  it('R14: an uninvited school account and an external participant are flagged, the teacher is told to end, the DSL and SLT hear of the outsider', () => {
    // A school that alerts only (outsiderAction: alert); the default ends the call itself
    // (tests/e2e/in-call-outsiders.test.ts).
    const school = new DeployedSchool({ settings: { outsiderAction: 'alert' } });
    const { ws } = school;
    const { dsl, slt, outsider } = school.school;
    const s = scheduleFor(school);
    const otherClassPupil = school.school.courses[1]!.pupils[0]!.email;

    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, ...s.course.pupils.map((p) => p.email)]);

    // The teacher admits both from the waiting room by mistake.
    school.advanceTo(monday(10, 5));
    expect(ws.meet.join(otherClassPupil, link)).toBe('knocking');
    expect(ws.meet.join(outsider.email, link)).toBe('knocking');
    ws.meet.admit(s.course.teacher.email, link, otherClassPupil);
    ws.meet.admit(s.course.teacher.email, link, outsider.email);
    school.advance(MIN);

    // Within a minute: the teacher is told to end the lesson; the DSL and SLT are told.
    const toTeacher = school
      .mailTo(s.course.teacher.email)
      .filter((m) => m.subject.startsWith('Action needed'));
    expect(toTeacher).toHaveLength(1);
    expect(toTeacher[0]!.body).toMatch(/OUTSIDE the school/);
    expect(toTeacher[0]!.body).toMatch(/end the lesson now for everyone/);
    for (const lead of [dsl.email, slt.email]) {
      const serious = school.mailTo(lead).filter((m) => m.subject.includes('outside participant'));
      expect(serious).toHaveLength(1);
      expect(serious[0]!.subject).toContain(s.lessonId);
    }
    const live = school.lessons().find((l) => l.id === s.lessonId) as unknown as {
      flags: { code: string }[];
    };
    expect(live.flags.map((f) => f.code)).toEqual(
      expect.arrayContaining(['uninvited-participant', 'external-participant']),
    );

    // Reported once each, not every minute.
    school.advance(5 * MIN);
    expect(
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Action needed')),
    ).toHaveLength(1);
    expect(school.mailTo(dsl.email).filter((m) => m.subject.includes('outside'))).toHaveLength(1);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toEqual(
      expect.arrayContaining(['uninvited-participant', 'external-participant']),
    );
    expect(row.Uninvited).toBe(1);
    expect(row.External).toBe(1);
    expect(row.Serious).toBe('yes');
    expect(row['Pupils Present']).toBe(s.course.pupils.length);
    // The other class's pupil is not a member of staff, so not a second adult either.
    expect(String(row['Other Staff Member Present'])).toBe('Teaching Assistant 1');
    const attendance = school.attendance(s.lessonId);
    expect(attendance.filter((a) => a.Role === 'external')).toHaveLength(1);
    expect(attendance.filter((a) => a.Role === 'uninvited')).toHaveLength(1);
    expect(attendance.find((a) => a.Role === 'external')!['Follow Up']).toBe(
      'outside the school: review',
    );
  });

  it('R11: with no second member of staff present, the lesson is flagged no-second-staff and SLT are told', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    // The TA was named but never came. A pupil of another class (a school account, on the
    // same domain as staff) gets in: that is not a second adult.
    const s = scheduleFor(school);
    const otherClassPupil = school.school.courses[1]!.pupils[0]!.email;

    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [...s.course.pupils.map((p) => p.email), otherClassPupil]);
    expect(ws.meet.participantsNow(link)).not.toContain(s.course.assistant.email);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('no-second-staff');
    expect(row['Other Staff Member Present']).toBe('none');
    expect(row['Second Staff Named']).toBe(s.course.assistant.email);
    expect(flagCodes(row)).toContain('uninvited-participant');
    expect(row.Serious).toBe('yes');
    const told = school
      .mailTo(school.school.slt.email)
      .filter((m) => m.subject.includes(s.lessonId) && m.subject.includes('needs attention'));
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(/Only one member of staff was present/);
  });

  it('R11: a lesson scheduled with nobody named as second adult is flagged when scheduled and again when it runs alone', () => {
    const school = new DeployedSchool();
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const result = teacher.schedule({ title: 'Alone', start: monday(10), secondStaff: null });
    expect(result.lessonId).not.toBeNull();
    expect(result.message).toMatch(/Flagged for SLT/);
    const s = { course, teacher, lessonId: result.lessonId! };

    school.advance(2 * MIN);
    expect(flagCodes(school.sessionRow(s.lessonId))).toContain('no-second-staff');

    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(
      school,
      s,
      link,
      course.pupils.slice(0, 3).map((p) => p.email),
    );
    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('no-second-staff');
    expect(row['Other Staff Member Present']).toBe('none');
  });

  it('R12: a lesson that only one pupil attended is flagged one-to-one (not allowed by default)', () => {
    const school = new DeployedSchool();
    const s = scheduleFor(school);

    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, s.course.pupils[2]!.email]);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row['Pupils Present']).toBe(1);
    expect(flagCodes(row)).toContain('one-to-one');
    expect(String(row.Flags)).toMatch(/which the school does not allow/);
    expect(row.Serious).toBe('yes');
  });

  it('R12: with allowOneToOne=yes, a 1:1 is still recorded and flagged, and the DSL is told', () => {
    const school = new DeployedSchool({ settings: { allowOneToOne: 'yes' } });
    const { dsl } = school.school;
    const s = scheduleFor(school);

    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, s.course.pupils[2]!.email]);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row['Pupils Present']).toBe(1);
    expect(flagCodes(row)).toContain('one-to-one');
    expect(String(row.Flags)).toMatch(/allowed by the school/);
    const told = school
      .mailTo(dsl.email)
      .filter((m) => m.subject.includes(s.lessonId) && /1:1/.test(m.body));
    expect(told).toHaveLength(1);
  });

  it('R13: before the lesson the teacher reads on the lesson’s card which pupils of the class are not on the consent register, and the card says so once all are', () => {
    const school = new DeployedSchool();
    const { dsl } = school.school;
    const course = school.school.courses[0]!;
    const [ann, ben, ...others] = course.pupils;
    const record = (pupils: typeof course.pupils) =>
      school.ws.sheets.editAsUser(
        dsl.email,
        school.logId,
        `Consent!A2:E${pupils.length + 1}`,
        pupils.map((p) => [p.email, p.name, 'yes', '2026-09-07', dsl.email]),
      );
    // The office records consent for all but two pupils; the hourly housekeeping reads it.
    record(others);
    school.advance(61 * MIN);

    const s = scheduleFor(school);
    const teacher = s.teacher;
    const n = course.pupils.length;
    const card = () => JSON.stringify(teacher.lessonCard(s.lessonId));
    expect(card()).toContain(
      `2 of the ${n} pupils of the class are not on the consent register: ${ann!.name}, ${ben!.name}. Ask the office before the lesson.`,
    );
    expect(card()).not.toContain(others[0]!.name);

    // The office records the other two; from the next housekeeping the card says all are on it.
    record(course.pupils);
    school.advance(61 * MIN);
    expect(card()).toContain(`Every pupil of the class (${n}) is on the consent register.`);
    expect(card()).not.toContain(ann!.name);
  });

  it('R13: a pupil with no consent on the register who joins is flagged on the teacher’s card at once and in the log, and the Attendance row says so', () => {
    const school = new DeployedSchool();
    const { dsl } = school.school;
    const s = scheduleFor(school);
    const [without, ...others] = s.course.pupils;

    // The office records consent for every other pupil of the class.
    const rows = others.map((p) => [p.email, p.name, 'yes', '2026-09-07', dsl.email]);
    school.ws.sheets.editAsUser(dsl.email, school.logId, `Consent!A2:E${rows.length + 1}`, rows);

    // The hourly housekeeping reads the register into a snapshot before the lesson.
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, without!.email, others[0]!.email]);

    // During the lesson: within a minute the teacher's lesson card says so (no email per lesson:
    // at 300 lessons a minute that would spend the school's mail for the day).
    school.advance(2 * 60_000);
    const card = JSON.stringify(s.teacher.lessonCard(s.lessonId));
    expect(card).toContain('1 pupil(s) without recorded parental consent joined.');
    expect(
      school.mailTo(s.course.teacher.email).filter((m) => m.subject.startsWith('Consent missing')),
    ).toEqual([]);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toContain('no-consent');
    expect(String(row.Flags)).toMatch(/1 pupil\(s\) joined without recorded parental consent/);
    const attendance = school.attendance(s.lessonId);
    const missing = attendance.find((a) => a.Name === without!.name)!;
    expect(missing.Consent).toBe('missing');
    expect(missing['Follow Up']).toBe('no consent on file');
    const given = attendance.find((a) => a.Name === others[0]!.name)!;
    expect(given.Consent).toBe('given');
    expect(given['Follow Up']).toBe('');
  });
});
