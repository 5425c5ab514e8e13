import { HOST_ABSENT_MINUTES, HOST_LATE_MINUTES, hostLate } from '../../src/core/host-late';
import { askEnd, inCallOf } from '../../src/core/in-call';
import { noteInCall } from '../../src/core/lesson';
import { END, min, openLesson, SETTINGS, START, sharedLesson, TEACHER } from './lesson-factory';

/** Nobody in the call: the teacher not, nor anyone else. */
const OUT = { teacherIn: false, othersIn: false };

describe('the lesson has started and its teacher is not in the call (R6, R28)', () => {
  it('tells nobody before the teacher’s grace is up, or when the teacher is in', () => {
    expect(hostLate(openLesson(), OUT, SETTINGS, START + min(HOST_LATE_MINUTES) - 1)).toBeNull();
    expect(
      hostLate(
        openLesson(),
        { teacherIn: true, othersIn: true },
        SETTINGS,
        START + min(HOST_ABSENT_MINUTES),
      ),
    ).toBeNull();
  });

  it('tells the teacher first, then SLT, each once, in plain words', () => {
    const lesson = openLesson();
    const first = hostLate(lesson, OUT, SETTINGS, START + min(HOST_LATE_MINUTES))!;
    expect(first.notices.map((n) => n.to)).toEqual([[TEACHER]]);
    expect(first.notices[0]!.body).toContain('your pupils cannot join yet');
    // The link is withdrawn five minutes before the 10:30 end; sharing closes the run before.
    expect(first.notices[0]!.body).toContain('Join before 10:24 from your lesson card');
    const told = first.apply(lesson);
    expect(told.hostLateToldAt).toBe(START + min(HOST_LATE_MINUTES));
    expect(hostLate(told, OUT, SETTINGS, START + min(5))).toBeNull();

    const second = hostLate(told, OUT, SETTINGS, START + min(HOST_ABSENT_MINUTES))!;
    expect(second.notices.map((n) => n.to)).toEqual([SETTINGS.sltEmails]);
    expect(second.notices[0]!.body).toContain('The teacher has been told by email');
    expect(second.notices[0]!.body).toContain('If the teacher joins before 10:24, the link goes');
    const both = second.apply(told);
    expect(both.hostLateToldAt).toBe(told.hostLateToldAt);
    expect(both.hostAbsentToldAt).toBe(START + min(HOST_ABSENT_MINUTES));
    expect(hostLate(both, OUT, SETTINGS, START + min(20))).toBeNull();
  });

  it('tells the teacher and SLT in the same look when the first look after the start is late', () => {
    const late = hostLate(openLesson(), OUT, SETTINGS, START + min(12))!;
    expect(late.notices.map((n) => n.to)).toEqual([[TEACHER], SETTINGS.sltEmails]);
  });

  it('leaves alone a lesson whose link has been on Classroom, one whose call is being ended, one past its end, and SLT a school with none named', () => {
    const at = START + min(HOST_ABSENT_MINUTES);
    expect(hostLate(sharedLesson(), OUT, SETTINGS, at)).toBeNull();
    const ending = openLesson();
    const asked = noteInCall(ending, askEnd(inCallOf(ending), 'outsider', START));
    expect(hostLate(asked, OUT, SETTINGS, at)).toBeNull();
    expect(hostLate(openLesson(), OUT, SETTINGS, END)).toBeNull();
    // A 15-minute lesson: its link could no longer go up ten minutes after the start.
    const short = openLesson({ end: START + min(15) });
    expect(hostLate(short, OUT, SETTINGS, START + min(HOST_ABSENT_MINUTES))).toBeNull();
    expect(hostLate(short, OUT, SETTINGS, START + min(HOST_LATE_MINUTES))?.notices).toHaveLength(1);
    const noSlt = hostLate(openLesson(), OUT, { ...SETTINGS, sltEmails: [] }, at)!;
    expect(noSlt.notices.map((n) => n.to)).toEqual([[TEACHER]]);
  });

  it('says only what is sure when someone else is in the call without the teacher', () => {
    const seen = { teacherIn: false, othersIn: true };
    const late = hostLate(openLesson(), seen, SETTINGS, START + min(HOST_ABSENT_MINUTES))!;
    const [teacher, slt] = late.notices.map((n) => n.body);
    expect(teacher).not.toContain('cannot join');
    expect(teacher).toContain('so it has not gone to them');
    expect(slt).not.toContain('nothing is unsafe');
    expect(slt).toContain('someone else is in the call');
  });
});
