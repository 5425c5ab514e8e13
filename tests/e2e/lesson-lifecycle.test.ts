// The lesson lifecycle end to end, on the simulated Workspace through the built bundle:
// policy 000's rules happening by construction.

import { DeployedSchool, MIN, monday } from './deployed-school';

function scheduledLesson(school: DeployedSchool, start = monday(10), minutes = 30) {
  const course = school.school.courses[0]!;
  const teacher = school.sidebar(course.teacher.email);
  const result = teacher.schedule({
    title: 'Phonics',
    start,
    minutes,
    secondStaff: course.assistant.email,
  });
  if (!result.lessonId) throw new Error(`not scheduled: ${result.message}`);
  return { course, teacher, lessonId: result.lessonId };
}

describe('a live lesson, start to finish', () => {
  it('shares the link only once the teacher is in, withdraws it five minutes before the end, ends and logs', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const { course, teacher, lessonId } = scheduledLesson(school);
    const pupil = course.pupils[0]!;

    // Scheduled: in the teacher's calendar with the second adult, no pupils, no Meet link.
    const events = ws.calendar.events(course.teacher.email);
    expect(events).toHaveLength(1);
    expect(events[0]!.attendees?.map((a) => a.email)).toEqual([course.assistant.email]);
    expect(events[0]!.conferenceData).toBeUndefined();

    // R3: in the log as "scheduled" within a minute, and SLT told.
    school.advance(2 * MIN);
    expect(school.sessionRow(lessonId)?.Status).toBe('scheduled');
    expect(school.mailTo(school.school.slt.email).some((m) => m.subject.includes('Phonics'))).toBe(
      true,
    );

    // The room opens ten minutes before the start; the teacher alone has the link.
    school.advanceTo(monday(9, 51));
    const link = teacher.meetLink(lessonId);
    expect(link).toMatch(/^https:\/\/meet\.google\.com\//);
    expect(ws.classroom.announcementsVisibleTo(pupil.email, course.id)).toHaveLength(0);

    // R6: the teacher is not in the call, so nothing is shared, by the automation or a click.
    school.advanceTo(monday(9, 55));
    expect(ws.classroom.announcementsVisibleTo(pupil.email, course.id)).toHaveLength(0);
    expect(teacher.act(lessonId, 'Share with class')).toMatch(/not in the call/);

    // The teacher joins; within a minute the link is on the class stream, nowhere else.
    expect(ws.meet.join(course.teacher.email, link!)).toBe('joined');
    const joinedAt = ws.now();
    school.advance(MIN);
    const posts = ws.classroom.announcementsVisibleTo(pupil.email, course.id);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toContain(link!);
    const sharedAt = Date.parse(String(posts[0]!.creationTime));
    expect(sharedAt - joinedAt).toBeLessThanOrEqual(MIN);

    // Pupils knock and are admitted; the second adult, a member of the room (R21), comes in.
    expect(ws.meet.join(course.assistant.email, link!)).toBe('joined');
    for (const who of course.pupils.slice(0, 4).map((p) => p.email)) {
      expect(ws.meet.join(who, link!)).toBe('knocking');
      ws.meet.admit(course.teacher.email, link!, who);
    }

    // R10: withdrawn at 10:25 without anyone clicking.
    school.advanceTo(monday(10, 24));
    expect(ws.classroom.announcementsVisibleTo(pupil.email, course.id)).toHaveLength(1);
    school.advanceTo(monday(10, 26));
    expect(ws.classroom.announcementsVisibleTo(pupil.email, course.id)).toHaveLength(0);

    // R10: ended for everyone at the end (plus grace) and locked: nobody can re-enter.
    school.advanceTo(monday(10, 34));
    expect(ws.meet.participantsNow(link!)).toEqual([]);
    expect(ws.meet.join(pupil.email, link!)).toBe('refused');

    // R11-R14, R18: the log row and attendance.
    school.advance(2 * MIN);
    const row = school.sessionRow(lessonId)!;
    expect(row.Status).toBe('closed');
    expect(row['Pupils Present']).toBe(4);
    expect(row['Pupils Absent']).toBe(course.pupils.length - 4);
    expect(String(row['Other Staff Member Present'])).toContain('Teaching Assistant');
    expect(row['Link Shared']).not.toBe('');
    expect(row['Link Withdrawn']).not.toBe('');
    const attendance = school.attendance(lessonId);
    expect(
      attendance.filter(
        (a) => a.Role === 'pupil' && a['Follow Up'] === 'absent: follow up sensitively',
      ),
    ).toHaveLength(course.pupils.length - 4);

    // The teacher's Appendix A entries arrive through the queue.
    const log = teacher.click(teacher.lessonCard(lessonId), 'Write the lesson log');
    const sent = teacher.note(
      teacher.click(teacher.next(log), 'Send log', {
        technologyIssues: 'Sound dropped once',
        inappropriateBehaviour: '',
        shareWithSlt: '=IMPORTRANGE("x","y")',
      }),
    );
    expect(sent).toMatch(/sent to SLT/);
    school.advance(2 * MIN);
    const logged = school.sessionRow(lessonId)!;
    // Each entry carries who wrote it and when (issue 9: entries belong to their authors).
    const by = `[2026-11-23 10:36 ${course.teacher.email}] `;
    expect(logged['Any Technology Issues']).toBe(`${by}Sound dropped once`);
    expect(logged['Any Inappropriate Behaviour']).toBe(`${by}None`);
    expect(logged['Anything To Share With SLT?']).toBe(`${by}=IMPORTRANGE("x","y")`);
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
  });
});
