// R11 "every member of staff is recognised as staff", end to end through the shipped bundle:
// the second adult named on the form (picked or typed), any co-teacher of the course, and SLT,
// the DSL and approvers count as staff in the call. None is flagged uninvited, each keeps the
// lesson from being "pupils alone", and the second adult's presence (joined when, for how long)
// is in the log. Staff are recognised whatever the directory answers about anyone else.

import { DeployedSchool, MIN, monday } from './deployed-school';
import {
  callsOf,
  letIn,
  mailAbout,
  postLives,
  scheduleWithTypedSecondAdult,
  storedLesson,
} from './in-call-kit';
import { admit, flagCodes, teacherJoinsAndShares } from './scenario-kit';

const SEC = 1000;

function helperOf(school: DeployedSchool) {
  return school.ws.kernel.directory.add({
    email: `mrs.helper@${school.school.domain}`,
    name: 'Mrs Helper',
    kind: 'staff',
  });
}

describe('in the call: every member of staff is recognised (R11)', () => {
  it('takes a second adult typed on the form, who is not a co-teacher, as staff: no intruder flag, and their time in the call is logged', () => {
    const school = new DeployedSchool();
    const helper = helperOf(school);
    const s = scheduleWithTypedSecondAdult(school, helper.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    school.advanceTo(monday(9, 58));
    letIn(school, s.course.teacher.email, link, helper.email);
    admit(
      school,
      s,
      link,
      s.course.pupils.map((p) => p.email),
    );
    school.advanceTo(monday(10, 40));

    expect(mailAbout(school, s.course.teacher.email, /^Action needed/)).toHaveLength(0);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).not.toContain('uninvited-participant');
    expect(flagCodes(row)).not.toContain('no-second-staff');
    expect(row['Other Staff Member Present']).toBe('Mrs Helper');
    expect(row['Second Staff Named']).toBe(helper.email);
    const attendance = school.attendance(s.lessonId).find((a) => a.Name === 'Mrs Helper')!;
    expect(attendance.Role).toBe('staff');
    expect(attendance.Joined).toBe('09:58');
    expect(attendance.Minutes).toBeGreaterThanOrEqual(30);
    expect(attendance['Follow Up']).toBe('the second adult named for the lesson');
  });

  it('still takes the typed second adult as staff while the directory answers 403 for every look-up', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const helper = helperOf(school);
    const s = scheduleWithTypedSecondAdult(school, helper.email);
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    // The first look learned the second adult's account; now the directory refuses everything.
    expect(storedLesson(school, s.lessonId).secondStaffUserId).toBe(helper.id);
    ws.adminDirectory.refuse(403);
    const otherClass = school.school.courses[1]!.pupils[0]!.email;
    school.advanceTo(monday(10, 1));
    letIn(school, s.course.teacher.email, link, helper.email);
    admit(school, s, link, [...s.course.pupils.map((p) => p.email), otherClass]);

    // The teacher leaves; the second adult stays: pupils are not alone.
    school.advanceTo(monday(10, 10));
    ws.meet.leave(s.course.teacher.email, link);
    school.advance(6 * MIN);
    expect(postLives(school, s.course.id)[0]!.deleted).toBeNull();
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(mailAbout(school, school.school.dsl.email, /Pupils alone/)).toHaveLength(0);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(row['Other Staff Member Present']).toBe('Mrs Helper');
    expect(flagCodes(row)).not.toContain('no-second-staff');
    expect(flagCodes(row)).not.toContain('staff-absent');
    // The other class's pupil could not be checked: unverified, not an intruder, not staff.
    expect(flagCodes(row)).toContain('unverified-participant');
    expect(flagCodes(row)).not.toContain('uninvited-participant');
    const roles = school.attendance(s.lessonId).map((a) => [a.Name, a.Role]);
    expect(roles).toContainEqual(['Mrs Helper', 'staff']);
    expect(roles.filter(([, role]) => role === 'unverified')).toHaveLength(1);
  });

  it('takes the DSL, SLT and approvers joining the call as staff, and a co-teacher of the course too', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { dsl, head } = school.school;
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    // Nobody named: the course's co-teacher (the TA) and the DSL drop in.
    const result = teacher.schedule({ title: 'Drop-in', start: monday(10), secondStaff: null });
    const s = { course, teacher, lessonId: result.lessonId! };
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(
      school,
      s,
      link,
      course.pupils.map((p) => p.email),
    );
    school.advanceTo(monday(10, 2));
    for (const who of [dsl.email, head.email, course.assistant.email])
      letIn(school, course.teacher.email, link, who);

    // The teacher leaves at 10:05 + 5 s; the others stay: nothing to act on.
    school.advanceTo(monday(10, 5) + 5 * SEC);
    ws.meet.leave(course.teacher.email, link);
    school.advance(5 * MIN);
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(mailAbout(school, course.teacher.email, /^Action needed/)).toHaveLength(0);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).not.toContain('uninvited-participant');
    expect(flagCodes(row)).not.toContain('staff-absent');
    const staff = school
      .attendance(s.lessonId)
      .filter((a) => a.Role === 'staff')
      .map((a) => a.Name);
    expect(staff).toEqual(
      expect.arrayContaining(['Dee Safeguard', 'Fiona Ajose', 'Teaching Assistant 1']),
    );
  });
});
