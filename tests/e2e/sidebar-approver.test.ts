// R2 from the approver's sidebar: a lesson waits for the head teacher (or a nominee), who
// approves it or declines it with a reason the teacher is told; the room cannot open before.

import { texts } from '../sim/card-driver';
import { DeployedSchool, monday } from './deployed-school';

describe('the approver’s sidebar', () => {
  it('lists lessons awaiting approval; approving lets the room open, declining needs a reason and tells the teacher', () => {
    const school = new DeployedSchool({ approvalRequired: true });
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const head = school.sidebar(school.school.head.email);

    const first = teacher.schedule({
      title: 'Phonics',
      start: monday(10),
      secondStaff: course.assistant.email,
    });
    expect(first.message).toMatch(/needs approval/);
    const second = teacher.schedule({
      title: 'Art club',
      start: monday(14),
      secondStaff: course.assistant.email,
    });

    // The teacher sees it waiting; the head sees both in "Awaiting your approval".
    expect(texts(teacher.lessonCard(first.lessonId!))).toContain('Awaiting approval');
    const home = head.home();
    expect(texts(home)).toContain('Awaiting your approval');
    expect(texts(home).join(' ')).toMatch(/Phonics.*Art club/);
    // A teacher is not an approver: the section is not there for them.
    expect(texts(teacher.home())).not.toContain('Awaiting your approval');

    // Approve from the lesson's review card, opened from the homepage.
    const approved = head.click(head.next(head.click(home, 'Review')), 'Approve');
    expect(head.note(approved)).toBe('Lesson approved.');
    expect(school.mailTo(course.teacher.email).some((m) => m.subject === 'Approved: Phonics')).toBe(
      true,
    );

    // Declining needs a reason, asked under the Decline button's card; nothing changes without it.
    const declineCard = head.next(head.click(head.home(), 'Review'));
    expect(texts(declineCard)).toContain('Reason for declining (the teacher will see it)');
    expect(head.note(head.click(declineCard, 'Decline'))).toMatch(/Give a reason/);
    expect(school.lesson(second.lessonId!)).toMatchObject({ approval: { state: 'pending' } });
    const declined = head.click(declineCard, 'Decline', {
      reason: 'Clashes with the nativity rehearsal',
    });
    expect(head.note(declined)).toMatch(/declined; the teacher has been told/);
    const mail = school
      .mailTo(course.teacher.email)
      .find((m) => m.subject === 'Declined: Art club');
    expect(mail?.body).toMatch(/nativity rehearsal/);
    expect(texts(teacher.lessonCard(second.lessonId!)).join(' ')).toMatch(
      /Declined: Clashes with the nativity rehearsal/,
    );

    // Nothing is left to approve; the approved lesson opens, the declined one never does.
    expect(texts(head.home())).not.toContain('Awaiting your approval');
    school.advanceTo(monday(9, 52));
    expect(school.lesson(first.lessonId!).status).toBe('open');
    school.advanceTo(monday(13, 55));
    expect(school.lesson(second.lessonId!).status).toBe('scheduled');
    expect(texts(teacher.lessonCard(second.lessonId!))).not.toContain('Open room');
  });

  it('refuses a decision from someone who is not an approver', () => {
    const school = new DeployedSchool({ approvalRequired: true });
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const { lessonId } = teacher.schedule({ title: 'Phonics', start: monday(10) });
    const forged = school.run(
      'decideAction',
      { commonEventObject: { parameters: { lessonId, decision: 'approve' } } },
      course.teacher.email,
    );
    expect(teacher.note(forged)).toMatch(/Only the approvers/);
    expect(school.lesson(lessonId!)).toMatchObject({ approval: { state: 'pending' } });
  });
});
