// R11 and R21 when the course changes after a lesson was scheduled: a teacher added to the
// Classroom course later (a cover teacher) is a member of staff in the call, not an intruder.
// Lessons are scheduled weeks ahead; the co-teachers kept on the lesson are those of that day,
// so the course's teachers are read again when someone in the call is not yet known.

import { DeployedSchool, monday } from './deployed-school';
import { callsOf, linkLiveAt, mailAbout, storedLesson } from './in-call-kit';
import { admit, flagCodes, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

describe('in the call: the course’s teachers as they are on the day (R11, R21)', () => {
  it('takes a teacher added to the course after scheduling as staff: no intruder alert, counted as the second adult, and the lesson goes on with them when the teacher leaves', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    // Scheduled at 07:00 with no second adult named; at 09:00 the office adds a cover
    // teacher to the Classroom course.
    const s = scheduleFor(school, { secondStaff: null });
    const cover = ws.kernel.directory.add({
      email: `cover.teacher@${school.school.domain}`,
      name: 'Cover Teacher',
      kind: 'staff',
    });
    school.advanceTo(monday(9, 0));
    ws.classroom.addTeacher(s.course.id, cover.email);

    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [cover.email, ...s.course.pupils.map((p) => p.email)]);

    // 10:10 the teacher leaves; the cover teacher stays with the class.
    school.advanceTo(monday(10, 10));
    ws.meet.leave(s.course.teacher.email, link);
    school.advanceTo(monday(10, 20));

    expect(mailAbout(school, s.course.teacher.email, /^Action needed/)).toHaveLength(0);
    expect(mailAbout(school, school.school.dsl.email, /^Pupils alone/)).toHaveLength(0);
    expect(linkLiveAt(school, s.course.id, ws.now())).toBe(true);
    expect(callsOf(school, link)[0]!.end).toBeNull();
    expect(storedLesson(school, s.lessonId).inCall?.gaps ?? []).toEqual([]);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).not.toContain('uninvited-participant');
    expect(flagCodes(row)).not.toContain('staff-absent');
    expect(flagCodes(row)).not.toContain('ended-for-safety');
    expect(row.Uninvited).toBe(0);
    expect(row['Other Staff Member Present']).toBe('Cover Teacher');
    const attendance = school.attendance(s.lessonId).find((a) => a.Name === 'Cover Teacher')!;
    expect(attendance.Role).toBe('staff');
  });

  it('still flags a school account that is neither on the roster nor a teacher of the course', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const otherClassPupil = school.school.courses[1]!.pupils[0]!.email;
    school.advanceTo(monday(9, 55));
    const link = teacherJoinsAndShares(school, s);
    admit(school, s, link, [s.course.assistant.email, otherClassPupil]);
    school.advanceTo(monday(10, 40));
    expect(mailAbout(school, s.course.teacher.email, /^Action needed/)).toHaveLength(1);
    const row = school.sessionRow(s.lessonId)!;
    expect(flagCodes(row)).toContain('uninvited-participant');
    expect(row.Uninvited).toBe(1);
    expect(ws.meet.participantsNow(link)).toEqual([]);
  });
});
