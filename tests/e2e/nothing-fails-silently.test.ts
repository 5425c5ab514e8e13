// R28, issue 9: nothing fails silently. Each bad input or fault the issue lists, through the
// shipped bundle on the simulated Workspace: no link live after its lesson, no call running past
// its end plus grace, no entry lost or overwritten, and a person told in plain words. Where
// another file already proves a bullet, the `it` here asserts the same outcome briefly and names
// the test that proves it in full.

import { DELEGATED_SCOPES } from '../../src/adapters/credentials';
import { DELEGATION_CLIENT_ID } from '../sim/school';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { everyPost, flagCodes, roomLink, type Scheduled, scheduleFor } from './scenario-kit';

const HOUR = 60 * MIN;

/** Posts with the link still on the course stream (not deleted), as Classroom holds them. */
function livePosts(school: DeployedSchool, s: Scheduled) {
  return everyPost(school, s.course.id).filter(
    (p) => !p.history.some((h) => h.action === 'deleted'),
  );
}

/** Who is in the lesson's call right now, as Meet holds it. */
function inCall(school: DeployedSchool, link: string): string[] {
  return school.ws.meet.participantsNow(link);
}

function subjects(school: DeployedSchool, email: string): string[] {
  return school.mailTo(email).map((m) => m.subject);
}

function mailWith(school: DeployedSchool, email: string, subject: string | RegExp) {
  return school
    .mailTo(email)
    .filter((m) => (typeof subject === 'string' ? m.subject === subject : subject.test(m.subject)));
}

describe('nothing fails silently (R28, issue 9)', () => {
  it('tells the admin and every teacher with a live lesson within two minutes when delegation is revoked at 10:05, says truthfully what was not done, and loses nothing', () => {
    const school = new DeployedSchool({ teachers: 6, start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const lessons = [0, 1, 2, 3, 4, 5].map((course) =>
      scheduleFor(school, { course, title: `Lesson ${course + 1}` }),
    );
    school.advanceTo(monday(9, 55));
    const links = lessons.map((s) => roomLink(school, s));
    lessons.forEach((s, i) => {
      expect(ws.meet.join(s.course.teacher.email, links[i]!)).toBe('joined');
    });
    school.advanceTo(monday(10, 2));
    for (const s of lessons) expect(livePosts(school, s)).toHaveLength(1);

    // 10:05: an administrator removes the automation's domain-wide delegation and its tokens.
    school.advanceTo(monday(10, 5));
    ws.auth.revokeDelegation(DELEGATION_CLIENT_ID);
    school.advanceTo(monday(10, 7));

    // The admin (SLT: the school named no adminEmails) hears at once, with every lesson's state.
    const alert = mailWith(
      school,
      slt,
      'Safe Live Lessons: the automation cannot act for teachers',
    );
    expect(alert).toHaveLength(1);
    expect(alert[0]!.body).toMatch(
      /^Since 10:0[56], Google refuses to let the automation act as teachers/,
    );
    expect(alert[0]!.body).toMatch(/it has not done any of these for any lesson since then/);
    for (const s of lessons)
      expect(alert[0]!.body).toContain(
        `Lesson ${lessons.indexOf(s) + 1} (${s.course.name}, ${s.course.teacher.email}): its link is still on Classroom; its call is still running (the automation cannot end it; it was due to end at 10:32).`,
      );
    expect(alert[0]!.body).not.toMatch(/has been ended|room locked/);
    // Each teacher is told what to do, from the sidebar, in steps.
    for (const s of lessons) {
      const told = mailWith(
        school,
        s.course.teacher.email,
        'Safe Live Lessons: please run your lesson from the sidebar',
      );
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toMatch(/its link is on Classroom and its call is running/);
      expect(told[0]!.body).toMatch(/press "End lesson for everyone"/);
    }
    // The lesson card says it first, and the homepage too.
    const card = JSON.stringify(lessons[0]!.teacher.lessonCard(lessons[0]!.lessonId));
    expect(card).toContain('Safe Live Lessons cannot act for you right now');

    // Five teachers end their lessons from the sidebar, as told; the sixth only opens it.
    school.advanceTo(monday(10, 20));
    for (const s of lessons.slice(0, 5)) expect(s.teacher.endLesson(s.lessonId)).toMatch(/ended/i);
    lessons[5]!.teacher.home();
    expect(
      ws.scriptApp
        .triggers()
        .some(
          (t) =>
            t.handlerFunction === 'teacherSweep' && t.owner === lessons[5]!.course.teacher.email,
        ),
    ).toBe(true);
    school.advanceTo(monday(10, 36));
    lessons.slice(0, 5).forEach((s, i) => {
      expect(livePosts(school, s)).toEqual([]);
      expect(inCall(school, links[i]!)).toEqual([]);
    });

    // The sixth lesson's link is still up and its call running: SLT are told so, truthfully.
    expect(livePosts(school, lessons[5]!)).toHaveLength(1);
    expect(inCall(school, links[5]!)).toEqual([lessons[5]!.course.teacher.email]);
    const live = mailWith(school, slt, /^Link still live: Lesson 6/);
    expect(live).toHaveLength(1);
    expect(live[0]!.body).toMatch(
      /Google refuses to let the automation act as the teacher \(domain-wide delegation\), so it could not delete the post, and it cannot end the call, which is still running/,
    );
    expect(live[0]!.body).not.toMatch(/will be ended|has been ended/);
    const notEnded = mailWith(school, slt, /^Call NOT ended: Lesson 6/);
    expect(notEnded).toHaveLength(1);
    expect(notEnded[0]!.body).toMatch(/The call is still running/);

    // 10:40: delegation is given back. The automation takes the sixth lesson down at once, and
    // every lesson reaches the log; the admin hears it works again.
    school.advanceTo(monday(10, 40));
    ws.auth.authorizeDelegation(DELEGATION_CLIENT_ID, DELEGATED_SCOPES);
    school.advanceTo(monday(10, 50));
    expect(livePosts(school, lessons[5]!)).toEqual([]);
    expect(inCall(school, links[5]!)).toEqual([]);
    for (const s of lessons) expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    expect(subjects(school, slt)).toContain(
      'Safe Live Lessons: working again: Delegation (the automation acting as teachers)',
    );
    expect(ws.kernel.failures).toEqual([]);
  });
});
