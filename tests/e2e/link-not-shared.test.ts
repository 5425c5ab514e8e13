// R6, R10, R28, "nobody can act on another teacher's lesson": a teacher taken off a class in
// Classroom after scheduling cannot post its link, and Classroom says so (403). Nothing is left
// half-done for ever: no post is waited for, no false "link still live" alarm goes out, the
// teacher and SLT hear once in plain words, and the lesson still ends, closes and is logged.

import { DeployedSchool, monday } from './deployed-school';
import { callsOf, mailAbout, postLives } from './in-call-kit';
import { flagCodes, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

describe('a teacher no longer on the class in Classroom', () => {
  it('tells the teacher and SLT once that the link was not shared, raises no false alarm, and still ends, closes and logs the lesson', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 0));
    // The class is handed to its other teacher, and the teacher taken off it.
    ws.classroom.transferOwnership(s.course.id, s.course.assistant.email);
    ws.classroom.removeTeacher(s.course.id, s.course.teacher.email);
    school.advanceTo(monday(9, 55));
    const link = s.teacher.meetLink(s.lessonId)!;
    ws.meet.join(s.course.teacher.email, link);
    school.advanceTo(monday(11, 0));

    // Classroom holds no post for the class, and the teacher and SLT were told once.
    expect(postLives(school, s.course.id)).toHaveLength(0);
    const slt = school.school.slt.email;
    const told = mailAbout(school, slt, /^Link NOT shared: /);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toMatch(/no longer a teacher of the class in Classroom/);
    expect(mailAbout(school, s.course.teacher.email, /^Link NOT shared: /)).toHaveLength(1);
    // No false alarm about a link that never went up.
    expect(mailAbout(school, slt, /Link still live/i)).toHaveLength(0);
    // The call was ended at the end, and the lesson closed and logged.
    const [call] = callsOf(school, link);
    expect(call!.end).not.toBeNull();
    expect(call!.end!).toBeLessThanOrEqual(monday(10, 33));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).not.toContain('link-withdraw-late');
    expect(String(row.Flags)).toMatch(
      /Classroom refused the class list .* absences were not counted/,
    );
  });

  it('takes the link down on time as the class’s other teacher when the teacher is taken off the class mid-lesson, so no link is left live after the lesson (R10)', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    teacherJoinsAndShares(school, s);
    expect(postLives(school, s.course.id)).toHaveLength(1);
    // Someone with rights on the course takes the teacher off it while the lesson runs.
    school.advanceTo(monday(10, 10));
    // The class is handed to its other teacher, and the teacher taken off it.
    ws.classroom.transferOwnership(s.course.id, s.course.assistant.email);
    ws.classroom.removeTeacher(s.course.id, s.course.teacher.email);
    school.advanceTo(monday(11, 0));

    // The post came down by the withdrawal time (5 minutes before the 10:30 end), deleted by the
    // course's other teacher, the only account Classroom still lets delete it.
    const [post] = postLives(school, s.course.id);
    expect(post!.deleted).not.toBeNull();
    expect(post!.deleted!).toBeLessThanOrEqual(monday(10, 26));
    const deletedBy = ws.classroom
      .allAnnouncements(s.course.id)[0]!
      .history.find((h) => h.action === 'deleted')!.byUserId;
    expect(deletedBy).toBe(s.course.assistant.id);
    // So no alarm about a live link went out, and the lesson closed without a late withdrawal.
    expect(mailAbout(school, school.school.slt.email, /Link still live/i)).toHaveLength(0);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).not.toContain('link-withdraw-late');
  });

  it('takes the link down on time as the class’s other teacher when the teacher’s account is deleted mid-lesson and Google will not let the automation act as them (R10)', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    teacherJoinsAndShares(school, s);
    // An administrator deletes the teacher's account while the lesson runs (its tokens end too).
    school.advanceTo(monday(10, 10));
    ws.auth.deleteUser(s.course.teacher.email);
    school.advanceTo(monday(11, 0));

    const posts = ws.classroom.allAnnouncements(s.course.id);
    expect(posts).toHaveLength(1);
    const deleted = posts[0]!.history.find((h) => h.action === 'deleted');
    expect(deleted).toBeDefined();
    expect(Date.parse(deleted!.at)).toBeLessThanOrEqual(monday(10, 26));
    expect(deleted!.byUserId).toBe(s.course.assistant.id);
    expect(mailAbout(school, school.school.slt.email, /Link still live/i)).toHaveLength(0);
  });
});
