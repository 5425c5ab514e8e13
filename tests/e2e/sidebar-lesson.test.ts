// A whole lesson run from the sidebar alone, as a teacher does it in teacher-driven mode (no
// delegation: the automation cannot act for teachers), through the built bundle: every step is
// a button found by its text on the card the last click showed.

import { findUnescapedHtml, notificationOf, texts, toggle } from '../sim/card-driver';
import { DeployedSchool, MIN, monday } from './deployed-school';

describe('the teacher sidebar, teacher-driven mode', () => {
  it('schedules, opens, shares, runs and ends a lesson, then takes the log, from the sidebar alone', () => {
    const school = new DeployedSchool({ delegation: false });
    const { ws } = school;
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const pupils = course.pupils.slice(0, 3).map((p) => p.email);

    const home = teacher.home();
    expect(texts(home).join(' ')).toMatch(/Teacher-driven mode/);

    // The form says what the policy will flag before anything is scheduled.
    const form = teacher.next(teacher.click(home, 'Schedule a lesson'));
    const checked = teacher.next(
      teacher.click(form, 'Check with the policy', {
        title: 'Fractions',
        start: { msSinceEpoch: monday(10), hasDate: true, hasTime: true },
        minutes: '30',
      }),
    );
    expect(texts(checked)).toContain('The policy will flag this lesson to SLT');
    expect(texts(checked).join(' ')).toMatch(/No second member of staff named/);
    expect(school.lessons()).toHaveLength(0);

    // The checked form keeps what was typed; naming the TA clears the flag.
    const rechecked = teacher.next(
      teacher.click(checked, 'Check with the policy', { secondStaff: course.assistant.email }),
    );
    expect(texts(rechecked)).toContain('Checked: the policy flags nothing for this lesson.');
    const scheduled = teacher.click(rechecked, 'Schedule');
    expect(teacher.note(scheduled)).toBe('Lesson scheduled.');
    const [lesson] = school.lessons();
    expect(lesson).toBeDefined();
    expect(texts(teacher.next(scheduled)).join(' ')).toMatch(/Fractions/);
    expect(ws.calendar.events(course.teacher.email)).toHaveLength(1);

    // Nothing happens without the teacher: the room is not opened for them.
    school.advanceTo(monday(9, 40));
    expect(school.lesson(lesson!.id).status).toBe('scheduled');
    const opened = teacher.click(teacher.home(), 'Open room');
    expect(teacher.note(opened)).toMatch(/Your room is open/);
    const link = teacher.meetLink(lesson!.id)!;
    expect(link).toMatch(/^https:\/\/meet\.google\.com\//);

    // R6: sharing is refused, with the reason, until the teacher is in the call.
    expect(teacher.act(lesson!.id, 'Share with class')).toMatch(/not in the call yet/);
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, course.id)).toHaveLength(0);
    expect(ws.meet.join(course.teacher.email, link)).toBe('joined');
    expect(teacher.act(lesson!.id, 'Share with class')).toMatch(/on your class stream/);
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, course.id)).toHaveLength(1);

    // R21: the second adult is a member of the room and comes straight in; pupils knock.
    expect(ws.meet.join(course.assistant.email, link)).toBe('joined');
    for (const who of pupils) {
      expect(ws.meet.join(who, link)).toBe('knocking');
      ws.meet.admit(course.teacher.email, link, who);
    }
    expect(teacher.act(lesson!.id, 'Confirm expectations and consent')).toMatch(/Thank you/);
    // R9: one switch shows whether pupils may chat, and changes it.
    const flip = () =>
      notificationOf(
        toggle(
          teacher.lessonCard(lesson!.id),
          'pupilChat',
          (name, event) => school.run(name, event, course.teacher.email),
          { user: course.teacher.email, now: ws.now() },
        ),
      );
    expect(flip()).toBe('Pupils can now use chat.');
    expect(flip()).toBe('Chat is now for hosts only.');

    // R10: ending from the sidebar (once confirmed) withdraws the link and locks the room at once.
    school.advanceTo(monday(10, 20));
    expect(teacher.endLesson(lesson!.id)).toMatch(/ended for everyone/);
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, course.id)).toHaveLength(0);
    expect(ws.meet.join(pupils[0]!, link)).toBe('refused');

    // The log form shows what the system recorded; the entries travel by queue (R20).
    const logForm = teacher.next(teacher.click(teacher.home(), 'Write the lesson log'));
    expect(texts(logForm)).toContain('What the system recorded');
    expect(findUnescapedHtml(logForm)).toEqual([]);
    const sent = teacher.click(logForm, 'Send log', { technologyIssues: 'None at all' });
    expect(teacher.note(sent)).toMatch(/sent to SLT/);

    // The teacher's hourly sweep closes the lesson; the automation writes the log.
    school.advance(65 * MIN);
    const row = school.sessionRow(lesson!.id)!;
    expect(row.Status).toBe('closed');
    expect(row['Pupils Present']).toBe(3);
    expect(row['Any Technology Issues']).toMatch(/^\[2026-11-23 \d\d:\d\d [^\]]+\] None at all$/);
    expect(row['Consent Confirmed']).not.toBe('');
  });

  it('shows a lesson’s own card when its Calendar event is opened, and offers to make any other event a lesson', () => {
    const school = new DeployedSchool({ delegation: false });
    const course = school.school.courses[0]!;
    const teacher = school.sidebar(course.teacher.email);
    const { lessonId } = teacher.schedule({
      title: 'Spelling',
      start: monday(11),
      secondStaff: course.assistant.email,
    });
    const [event] = school.ws.calendar.events(course.teacher.email);
    const asLesson = school.run(
      'onCalendarEventOpen',
      { calendar: { id: event!.id, calendarId: 'primary' } },
      course.teacher.email,
    );
    expect(texts(asLesson)[0]).toBe('Spelling');
    expect(lessonId).not.toBeNull();

    // A plain event: "Make it a live lesson" opens the form filled from the event.
    const plain = school.ws.calendar.addEvent(course.teacher.email, {
      summary: 'Reading group',
      start: { dateTime: new Date(monday(13)).toISOString() },
      end: { dateTime: new Date(monday(13, 20)).toISOString() },
    });
    const offer = school.run(
      'onCalendarEventOpen',
      { calendar: { id: plain.id, calendarId: 'primary' } },
      course.teacher.email,
    );
    expect(texts(offer)).toContain('This event is not a live lesson');
    const form = teacher.next(teacher.click(offer, 'Make it a live lesson'));
    expect(texts(form).join(' ')).toMatch(/From your event: Reading group/);
    const response = teacher.click(form, 'Schedule', { secondStaff: course.assistant.email });
    expect(teacher.note(response)).toBe('Lesson scheduled.');
    const made = school.lessons().find((l) => l.id !== lessonId) as unknown as {
      title: string;
      start: number;
      end: number;
    };
    expect(made.title).toBe('Reading group');
    expect([made.start, made.end]).toEqual([monday(13), monday(13, 20)]);
  });
});
