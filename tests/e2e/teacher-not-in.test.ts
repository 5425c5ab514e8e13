// R6, R28, "nothing fails silently": the lesson has started and its teacher is not in the call.
// The link goes to the class only once the teacher is in, so the pupils are safe, but the class
// is waiting for a lesson nobody runs. The teacher hears two minutes after the start (they may
// have forgotten, or be knocking from another account); SLT hear ten minutes after it if the
// teacher is still not in, so that someone can cover or tell the class. Each hears once, and a
// teacher who is in on time, or joins once told, starts nothing more.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { mailAbout, postLives } from './in-call-kit';
import { flagCodes, scheduleFor } from './scenario-kit';

const TEACHER_TOLD = /^You are not in Phonics: your class has no link yet$/;
const SLT_TOLD = /^No teacher in Phonics: the class has had no link since 10:00$/;

describe('a lesson whose teacher is not in the call at the start (R6, R28)', () => {
  it('tells the teacher two minutes after the start and SLT ten minutes after it, once each; the class never gets the link; the lesson still ends and is logged', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const teacher = s.course.teacher.email;
    const slt = school.school.slt.email;

    school.advanceTo(monday(10, 1) + 30_000);
    expect(mailAbout(school, teacher, TEACHER_TOLD)).toHaveLength(0);
    school.advanceTo(monday(10, 3));
    const told = mailAbout(school, teacher, TEACHER_TOLD);
    expect(told).toHaveLength(1);
    expect(told[0]!.body).toContain(`signed in as ${teacher}`);
    expect(told[0]!.body).toContain('your pupils cannot join yet');
    // The link comes down at 10:25, five minutes before the end: joining after it starts nothing.
    expect(told[0]!.body).toContain('Join before 10:24');
    expect(mailAbout(school, slt, SLT_TOLD)).toHaveLength(0);

    school.advanceTo(monday(10, 11));
    const sltTold = mailAbout(school, slt, SLT_TOLD);
    expect(sltTold).toHaveLength(1);
    expect(sltTold[0]!.body).toContain(`Lesson ${s.lessonId}`);
    expect(sltTold[0]!.body).toContain('arrange cover');

    school.advanceTo(monday(11, 0));
    expect(mailAbout(school, teacher, TEACHER_TOLD)).toHaveLength(1);
    expect(mailAbout(school, slt, SLT_TOLD)).toHaveLength(1);
    // No pupil was told anything, and no link ever reached the class.
    for (const p of s.course.pupils) expect(school.mailTo(p.email)).toEqual([]);
    expect(postLives(school, s.course.id)).toHaveLength(0);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('host-never-joined');
    expect(ws.meet.spaces.size).toBe(1);
  });

  it('tells the teacher who is knocking from another account that only their school account counts', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 58));
    const link = s.teacher.meetLink(s.lessonId)!;
    // The teacher's personal account is not a member of the room: it knocks, and nobody admits it.
    const personal = ws.kernel.directory.add({
      email: 'phonics.teacher@gmail.example',
      name: 'Phonics Teacher',
      kind: 'external',
    });
    expect(ws.meet.join(personal.email, link)).toBe('knocking');
    school.advanceTo(monday(10, 3));
    const [told] = mailAbout(school, s.course.teacher.email, TEACHER_TOLD);
    expect(told!.body).toContain('another account is not seen as you');
    expect(postLives(school, s.course.id)).toHaveLength(0);
  });

  it('tells nobody when the teacher is in on time, and SLT nothing when the teacher joins once told; the link then goes to the class', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const onTime = scheduleFor(school);
    const late = scheduleFor(school, { course: 1, title: 'Phonics' });
    school.advanceTo(monday(9, 55));
    ws.meet.join(onTime.course.teacher.email, onTime.teacher.meetLink(onTime.lessonId)!);
    school.advanceTo(monday(10, 4));
    expect(mailAbout(school, onTime.course.teacher.email, TEACHER_TOLD)).toHaveLength(0);
    expect(mailAbout(school, late.course.teacher.email, TEACHER_TOLD)).toHaveLength(1);
    ws.meet.join(late.course.teacher.email, late.teacher.meetLink(late.lessonId)!);
    school.advanceTo(monday(10, 5) + MIN);
    expect(postLives(school, late.course.id)).toHaveLength(1);
    school.advanceTo(monday(10, 20));
    expect(mailAbout(school, school.school.slt.email, SLT_TOLD)).toHaveLength(0);
    expect(mailAbout(school, onTime.course.teacher.email, TEACHER_TOLD)).toHaveLength(0);
  });

  it('still tells the teacher and SLT when the second adult waits in the call, saying only what is sure', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 58));
    // The second adult is a member of the room: they come in without knocking.
    expect(ws.meet.join(s.course.assistant.email, s.teacher.meetLink(s.lessonId)!)).toBe('joined');
    school.advanceTo(monday(10, 11));
    const [teacher] = mailAbout(school, s.course.teacher.email, TEACHER_TOLD);
    expect(teacher!.body).toContain('so it has not gone to them');
    expect(teacher!.body).not.toContain('cannot join');
    const [slt] = mailAbout(school, school.school.slt.email, SLT_TOLD);
    expect(slt!.body).toContain('someone else is in the call');
    expect(slt!.body).not.toContain('nothing is unsafe');
    expect(postLives(school, s.course.id)).toHaveLength(0);
  });
});
