// Lesson scenarios about time and the link (R6, R7, R10), end to end through the built
// bundle: the teacher is late, never comes, forgets to end, or ends early; pupils try
// to get in before the teacher.

import { DeployedSchool, MIN, monday } from './deployed-school';
import { admit, everyPost, flagCodes, roomLink, scheduleFor } from './scenario-kit';

describe('lesson scenarios: the link and the clock', () => {
  it('R6: when the teacher joins late, no pupil has the link until then, and it is shared within a minute of joining', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);

    // The room opened at 9:50; the teacher is seven minutes late.
    school.advanceTo(monday(10, 7));
    const link = roomLink(school, s);
    for (const pupil of pupils)
      expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(0);
    expect(everyPost(school, s.course.id)).toHaveLength(0);
    expect(school.lesson(s.lessonId).post?.state).toBe('none');

    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    const joinedAt = ws.now();
    school.advance(MIN);

    const posts = ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id);
    expect(posts).toHaveLength(1);
    expect(JSON.stringify(posts[0])).toContain(link);
    // The post tells pupils when the link goes: five minutes before the scheduled end.
    expect(posts[0]!.text).toContain('10:25');
    const sharedAt = Date.parse(String(posts[0]!.creationTime));
    expect(sharedAt).toBeGreaterThanOrEqual(joinedAt);
    expect(sharedAt - joinedAt).toBeLessThanOrEqual(MIN);

    // Pupils can now come in through the waiting room.
    admit(school, s, link, pupils.slice(0, 3));
    expect(ws.meet.participantsNow(link)).toHaveLength(4);

    school.advanceTo(monday(10, 40));
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    // The log keeps the minute it was shared (Sheets reads the cell as a date).
    const loggedShare = new Date(String(row['Link Shared'])).getTime();
    expect(Math.abs(loggedShare - sharedAt)).toBeLessThan(MIN);
    expect(flagCodes(row)).not.toContain('host-never-joined');
    expect(row['Pupils Present']).toBe(3);
  });

  it('R6: when the teacher never joins, no announcement is ever made and the lesson closes flagged host-never-joined', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupil = s.course.pupils[0]!.email;

    // Checked after every trigger run from the room opening to well past the end.
    school.advanceTo(monday(9, 51));
    const link = roomLink(school, s);
    let worstSeen = 0;
    school.advance(50 * MIN, () => {
      worstSeen = Math.max(worstSeen, everyPost(school, s.course.id).length);
    });
    expect(worstSeen).toBe(0);
    expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(0);

    // The call was locked at the end anyway: even the teacher cannot start it now.
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('refused');

    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(flagCodes(row)).toContain('host-never-joined');
    expect(row['Link Shared']).toBe('');
    expect(row['Pupils Present']).toBe(0);
    expect(row['Pupils Absent']).toBe(s.course.pupils.length);
  });

  it('R5/R6: pupils who try before the teacher cannot have the link: not on Classroom, not by email, not as Calendar guests; staff find it on the event', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);

    // The room is open and the teacher is not yet in it.
    school.advanceTo(monday(9, 58));
    const link = roomLink(school, s);
    const code = link.replace('https://meet.google.com/', '');

    for (const pupil of pupils) {
      expect(ws.classroom.announcementsVisibleTo(pupil, s.course.id)).toHaveLength(0);
      expect(school.mailTo(pupil)).toHaveLength(0);
      expect(ws.calendar.events(pupil)).toHaveLength(0);
    }
    expect(everyPost(school, s.course.id)).toHaveLength(0);

    // The link is on the teacher's Calendar event, whose only guest is the second adult (staff),
    // and in no email at all: no Calendar conference either, so Calendar made no link of its own.
    const [event] = ws.calendar.events(s.course.teacher.email);
    expect(event!.attendees?.map((a) => a.email)).toEqual([s.course.assistant.email]);
    expect(event!.conferenceData).toBeUndefined();
    expect(event!.location).toBe(link);
    expect(ws.mail.outbox().filter((m) => `${m.subject}\n${m.body}`.includes(code))).toEqual([]);

    // A pupil who got the link some other way only knocks; nobody is there to admit them.
    expect(ws.meet.join(pupils[0]!, link)).toBe('knocking');
    expect(ws.meet.participantsNow(link)).toEqual([]);
    school.advance(MIN);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(everyPost(school, s.course.id)).toHaveLength(0);
  });

  it('R10: when the teacher forgets to end, the link is withdrawn at end-5 and the call ended at end+grace anyway; nobody can rejoin', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);

    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    school.advance(MIN);
    admit(school, s, link, [s.course.assistant.email, ...pupils]);

    // Nobody clicks anything. At 10:24 the link is still up; by 10:26 it is gone.
    school.advanceTo(monday(10, 24));
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(1);
    school.advanceTo(monday(10, 26));
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(0);

    // The scheduled end passes with everyone still in; the grace is 2 minutes.
    school.advanceTo(monday(10, 31));
    expect(ws.meet.participantsNow(link)).toHaveLength(2 + pupils.length);
    school.advanceTo(monday(10, 33));
    expect(ws.meet.participantsNow(link)).toEqual([]);

    // Nobody can re-enter: not a pupil, not the second adult, not the teacher.
    for (const who of [pupils[0]!, s.course.assistant.email, s.course.teacher.email])
      expect(ws.meet.join(who, link)).toBe('refused');

    school.advance(2 * MIN);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    // In the automation's last run before 10:25 (runs are a minute apart), never after it.
    expect(String(row['Link Withdrawn'])).toMatch(/10:24/);
    expect(String(row['Call Ended'])).toContain('10:32');
    expect(flagCodes(row)).not.toContain('link-withdraw-late');
  });

  it("R10: the teacher's 'End lesson for everyone' withdraws the link and ends the call at once, and locks the room", () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = scheduleFor(school);
    const pupils = s.course.pupils.map((p) => p.email);

    school.advanceTo(monday(9, 55));
    const link = roomLink(school, s);
    expect(ws.meet.join(s.course.teacher.email, link)).toBe('joined');
    school.advance(MIN);
    admit(school, s, link, [s.course.assistant.email, ...pupils.slice(0, 4)]);

    school.advanceTo(monday(10, 10));
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(1);
    const note = s.teacher.endLesson(s.lessonId);
    expect(note).toMatch(/ended for everyone and the room is locked/);

    // At once, without waiting for the automation.
    expect(ws.classroom.announcementsVisibleTo(pupils[0]!, s.course.id)).toHaveLength(0);
    expect(ws.meet.participantsNow(link)).toEqual([]);
    expect(school.lesson(s.lessonId).status).toBe('ended');
    for (const who of [pupils[5]!, pupils[0]!, s.course.teacher.email])
      expect(ws.meet.join(who, link)).toBe('refused');

    school.advance(2 * MIN);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(String(row['Link Withdrawn'])).toContain('10:10');
    expect(String(row['Call Ended'])).toContain('10:10');
    expect(row['Pupils Present']).toBe(4);
  });
});
