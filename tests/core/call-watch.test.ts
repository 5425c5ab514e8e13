// One look at a lesson's call (R6, R12-R14, R21-R23): who is who, what must happen now (the
// link down, the call ended, the link back), and who must hear of it. Pure: the people are
// given as the roster and the directory said.

import { assessCall, type CallPeople } from '../../src/core/call-watch';
import { inCallOf } from '../../src/core/in-call';
import type { FollowUp } from '../../src/core/incident';
import { type OpenLesson, withdrawLink } from '../../src/core/lesson';
import { dueActions } from '../../src/core/lifecycle-plan';
import type { CallParticipant } from '../../src/core/participants';
import type { CallNow } from '../../src/core/ports';
import { min, person, SECOND_ID, SETTINGS, START, sharedLesson, TEACHER } from './lesson-factory';

const SEC = 1000;
const pupil = (userId: string, extra: Partial<CallParticipant> = {}) =>
  person({ userId, displayName: `Pupil ${userId}`, firstJoined: START, ...extra });
const teacher = person();
const second = person({ userId: SECOND_ID, displayName: 'Mr Second', firstJoined: START - min(5) });

const PEOPLE: CallPeople = {
  roster: new Map([
    ['p1', { userId: 'p1', name: 'Amira Khan', consent: true }],
    ['p2', { userId: 'p2', name: 'Ben Jones', consent: true }],
  ]),
  staff: new Map([[SECOND_ID, 'Mr Second']]),
  external: new Set(['ext1']),
  unverified: new Set(),
};

function call(participants: CallParticipant[], departed: CallParticipant[] = []): CallNow {
  return { conference: 'conferenceRecords/c1', participants, departed };
}

function look(lesson: OpenLesson, c: CallNow, at: number, people = PEOPLE, s = SETTINGS) {
  return assessCall(lesson, c, people, s, at);
}

const subjects = (notices: { subject: string }[]) => notices.map((n) => n.subject);

describe('pupils never alone (R21)', () => {
  const leftAt = START + min(10) + 5 * SEC;
  const gone = [
    { ...teacher, lastLeft: leftAt },
    { ...second, lastLeft: leftAt - 20 * SEC },
  ];
  const alone = call([pupil('p1'), pupil('p2')], gone);

  it('tells nobody and leaves the link up in the first minute alone, but looks for a cover at once', () => {
    const a = look(sharedLesson(), alone, leftAt + 55 * SEC);
    expect(a.notices).toEqual([]);
    // A colleague added to the class since scheduling may come to cover (cover.ts).
    expect(dueActions(a.lesson, leftAt + 55 * SEC, SETTINGS)).toEqual([
      'admit-cover',
      'watch-call',
    ]);
  });

  it('after a minute alone, makes the withdrawal due at once and tells the teacher, the DSL and SLT', () => {
    const at = leftAt + 61 * SEC;
    const a = look(sharedLesson(), alone, at);
    expect(dueActions(a.lesson, at, SETTINGS)).toEqual([
      'withdraw-link',
      'admit-cover',
      'watch-call',
    ]);
    expect(a.notices).toHaveLength(1);
    expect(a.notices[0]!.to).toEqual([TEACHER, 'dsl@school.example', 'slt@school.example']);
    expect(a.notices[0]!.body).toContain('since 10:10');
    expect(a.lesson.flags.map((f) => f.code)).toContain('staff-absent');
    // Withdrawn now, the link is only paused: it may go back if the teacher returns in time.
    expect(withdrawLink(a.lesson, at + SEC).post).toMatchObject({ state: 'paused', round: 1 });
  });

  it('after three minutes alone, makes the end due at once, before anything else', () => {
    const first = look(sharedLesson(), alone, leftAt + 61 * SEC).lesson;
    const paused = withdrawLink(first, leftAt + 62 * SEC);
    const at = leftAt + min(3);
    const a = look(paused, alone, at);
    expect(dueActions(a.lesson, at, SETTINGS)).toEqual(['end-call']);
    expect(subjects(a.notices)).toEqual(['Call ended: Forces and motion had no member of staff']);
    expect(a.share).toBeNull();
  });

  it('shares again only once the teacher is seen back, after the link came down', () => {
    const down = withdrawLink(
      look(sharedLesson(), alone, leftAt + 61 * SEC).lesson,
      leftAt + 62 * SEC,
    );
    // The second adult alone coming back closes the gap but does not bring the link back.
    const ta = look(
      down,
      call([second, pupil('p1')], [{ ...teacher, lastLeft: leftAt }]),
      leftAt + min(2),
    );
    expect(ta.share).toBeNull();
    expect(inCallOf(ta.lesson).gaps[0]!.closedBy).toBe('staff');
    const back = look(ta.lesson, call([teacher, pupil('p1')]), leftAt + min(2) + 30 * SEC);
    expect(back.share).not.toBeNull();
    expect(back.share!.seenAt).toBe(leftAt + min(2) + 30 * SEC);
  });

  it('never shares again once it is past the withdrawal time', () => {
    const late = START + min(24);
    const down = withdrawLink(
      look(
        sharedLesson(),
        call([pupil('p1')], [{ ...teacher, lastLeft: late }]),
        late + min(1) + SEC,
      ).lesson,
      late + min(1) + 2 * SEC,
    );
    expect(look(down, call([teacher, pupil('p1')]), START + min(25) + SEC).share).toBeNull();
  });
});

describe('outsiders end the lesson (R22)', () => {
  const guest = person({
    kind: 'anonymous',
    userId: null,
    displayName: 'Zoom Bomber',
    id: 'c1/p/9',
  });
  const stranger = pupil('ext1', { displayName: 'A Stranger' });

  it('ends the call at once for a guest who is not signed in, naming them to the teacher, the DSL and SLT', () => {
    const at = START + min(5);
    const a = look(sharedLesson(), call([teacher, second, pupil('p1'), guest]), at);
    expect(dueActions(a.lesson, at, SETTINGS)).toEqual(['withdraw-link', 'end-call']);
    expect(inCallOf(a.lesson).end).toEqual({ at, why: 'outsider', doneAt: null });
    expect(subjects(a.notices)).toEqual([
      'Lesson ended: an outsider joined Forces and motion',
      `Serious: an outside participant joined lesson ${a.lesson.id}`,
    ]);
    expect(a.notices[1]!.to).toEqual(['dsl@school.example', 'slt@school.example']);
    expect(a.notices[0]!.body).toContain('"Zoom Bomber" (not signed in');
    // Flags carry counts only: the name goes by email, never into the log's flags.
    expect(JSON.stringify(a.lesson.flags)).not.toContain('Zoom Bomber');
    expect(a.share).toBeNull();
  });

  it('only alerts where the school chose alert', () => {
    const at = START + min(5);
    const a = look(sharedLesson(), call([teacher, second, stranger]), at, PEOPLE, {
      ...SETTINGS,
      outsiderAction: 'alert',
    });
    expect(dueActions(a.lesson, at, SETTINGS)).toEqual(['watch-call']);
    expect(subjects(a.notices)[0]).toBe('Action needed in Forces and motion');
    expect(a.lesson.flags.find((f) => f.code === 'external-participant')?.severity).toBe('serious');
  });

  it('reports an outsider already gone, without ending a call they are no longer in', () => {
    const at = START + min(6);
    const a = look(
      sharedLesson(),
      call([teacher, second], [{ ...guest, lastLeft: at - 20 * SEC }]),
      at,
    );
    expect(inCallOf(a.lesson).end).toBeNull();
    expect(a.notices[0]!.body).toContain('now gone');
  });

  it('asks the teacher who a caller is, and ends nothing', () => {
    const caller = person({
      kind: 'phone',
      userId: null,
      displayName: '+** **** ***123',
      id: 'c1/p/7',
    });
    const a = look(sharedLesson(), call([teacher, pupil('p1'), caller]), START + min(5));
    expect(inCallOf(a.lesson).end).toBeNull();
    expect(subjects(a.notices)).toEqual(['Who is on the phone in Forces and motion?']);
    expect(a.lesson.flags.map((f) => f.code)).toContain('phone-participant');
  });

  it('reports each outsider once, not at every look', () => {
    const first = look(sharedLesson(), call([teacher, stranger]), START + min(5), PEOPLE, {
      ...SETTINGS,
      outsiderAction: 'alert',
    });
    const again = look(first.lesson, call([teacher, stranger]), START + min(6), PEOPLE, {
      ...SETTINGS,
      outsiderAction: 'alert',
    });
    expect(again.notices).toEqual([]);
  });
});

describe('who is who, whatever the directory said (R11, R14, R22, R23)', () => {
  it('calls an account the directory could not check "unverified": flagged, not reported, looked at again', () => {
    const people = { ...PEOPLE, unverified: new Set(['9b']) };
    const a = look(
      sharedLesson(),
      call([teacher, pupil('p1'), pupil('9b')]),
      START + min(5),
      people,
    );
    expect(a.notices).toEqual([]);
    expect(a.lesson.flags.map((f) => f.code)).toEqual(['unverified-participant']);
    expect(a.lesson.reported).toEqual([]);
  });

  it('still sees staff, guests and pupils-alone when the class roster could not be read', () => {
    const people = { ...PEOPLE, roster: null };
    const leftAt = START + min(10);
    const a = look(
      sharedLesson(),
      call([pupil('p1')], [{ ...teacher, lastLeft: leftAt }]),
      leftAt + min(2),
      people,
    );
    expect(a.lesson.flags.map((f) => f.code)).toContain('staff-absent');
    expect(a.lesson.flags.map((f) => f.code)).not.toContain('uninvited-participant');
  });

  it('counts someone Meet listed twice (a list read while people joined) once', () => {
    const a = look(sharedLesson(), call([teacher, pupil('p1'), pupil('p1')]), START + min(20));
    // One pupil and the teacher: a 1:1 clock, not two pupils.
    expect(inCallOf(a.lesson).oneToOne).not.toBeNull();
  });

  it('tells the teacher and SLT when a pupil SLT must follow up joins, once', () => {
    const mark: FollowUp = {
      incidentId: 'L-x-I1',
      lessonId: 'L-x',
      courseId: 'other-course',
      personKey: 'ben@school.example',
      personName: 'Ben Jones',
      at: START - 2 * 86_400_000,
      by: 'other.teacher@school.example',
    };
    const people = { ...PEOPLE, marked: new Map([['p2', mark]]) };
    const a = look(
      sharedLesson(),
      call([teacher, second, pupil('p1'), pupil('p2')]),
      START + min(3),
      people,
    );
    expect(subjects(a.notices)).toEqual([
      'Removed pupil joined Forces and motion: SLT follow-up not cleared',
    ]);
    expect(a.notices[0]!.to).toEqual([TEACHER, 'slt@school.example']);
    expect(a.notices[0]!.body).toContain('Ben Jones (removed from a lesson on 2026-11-21)');
    expect(a.lesson.flags.find((f) => f.code === 'removed-pupil-joined')?.severity).toBe('serious');
    const again = look(
      a.lesson,
      call([teacher, second, pupil('p1'), pupil('p2')]),
      START + min(4),
      people,
    );
    expect(again.notices).toEqual([]);
  });

  it('keeps the second adult’s account once the directory has given it', () => {
    const lesson = { ...sharedLesson(), secondStaffUserId: null };
    const a = look(lesson, call([teacher, second]), START, {
      ...PEOPLE,
      secondStaffUserId: SECOND_ID,
    });
    expect(a.lesson.secondStaffUserId).toBe(SECOND_ID);
  });
});
