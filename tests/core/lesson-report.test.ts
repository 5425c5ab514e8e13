// R11-R14: what happened in the lesson, from who Meet saw against the Classroom roster.

import { NO_IN_CALL } from '../../src/core/in-call';
import {
  buildLessonReport,
  type ReportInputs,
  type RosterPupil,
} from '../../src/core/lesson-report';
import type { CallParticipant } from '../../src/core/participants';
import { END, min, person, SECOND_ID, SETTINGS, START, TEACHER_ID } from './lesson-factory';

const ROSTER: RosterPupil[] = [
  { userId: 'p1', name: 'Amira Khan', consent: true },
  { userId: 'p2', name: 'Ben Jones', consent: true },
  { userId: 'p3', name: 'Cara Lee', consent: false },
];

const teacher = person({ firstJoined: START - min(8), lastLeft: END, minutesInCall: 38 });
const second = person({
  userId: SECOND_ID,
  displayName: 'Mr S',
  firstJoined: START - min(5),
  lastLeft: END,
  minutesInCall: 35,
});
const pupil = (userId: string, extra: Partial<CallParticipant> = {}) =>
  person({
    userId,
    displayName: `display ${userId}`,
    firstJoined: START,
    lastLeft: END - min(5),
    minutesInCall: 25,
    ...extra,
  });

function report(participants: CallParticipant[], overrides: Partial<ReportInputs> = {}) {
  return buildLessonReport({
    teacherUserId: TEACHER_ID,
    teacherName: 'Ms Teacher',
    participants,
    roster: ROSTER,
    staff: new Map([[SECOND_ID, 'Mr Second']]),
    externalUserIds: new Set(['ext1']),
    allowOneToOne: false,
    now: END + min(5),
    ...overrides,
  });
}

const codes = (r: ReturnType<typeof report>) => r.flags.map((f) => f.code);

describe('attendance against the roster (R14)', () => {
  it('lists who joined and which roster pupils did not, for sensitive follow-up', () => {
    const r = report([teacher, second, pupil('p1'), pupil('p2')]);
    expect(r.attendance.map((a) => [a.name, a.role, a.minutes])).toEqual([
      ['Ms Teacher', 'host', 38],
      ['Mr Second', 'staff', 35],
      ['Amira Khan', 'pupil', 25],
      ['Ben Jones', 'pupil', 25],
      ['Cara Lee', 'pupil', 0],
    ]);
    expect(r.attendance[4]).toEqual({
      key: 'users/p3',
      name: 'Cara Lee',
      role: 'pupil',
      firstJoined: null,
      lastLeft: null,
      minutes: 0,
      consent: 'missing',
    });
    expect(r.counts).toEqual({
      pupilsPresent: 2,
      pupilsAbsent: 1,
      staff: 2,
      uninvited: 0,
      external: 0,
      phone: 0,
      unverified: 0,
    });
    expect(r.flags).toEqual([]);
  });

  it('uses the roster’s name for a pupil, not the name they typed into Meet', () => {
    const r = report([teacher, second, pupil('p1', { displayName: 'Teacher' })]);
    expect(r.attendance.find((a) => a.key === 'users/p1')?.name).toBe('Amira Khan');
  });

  it('flags a school account that is not on the roster as uninvited', () => {
    const r = report([teacher, second, pupil('p1'), pupil('p2'), pupil('9b-pupil')]);
    expect(r.attendance.find((a) => a.key === 'users/9b-pupil')?.role).toBe('uninvited');
    expect(r.counts.uninvited).toBe(1);
    expect(r.flags).toEqual([
      {
        code: 'uninvited-participant',
        severity: 'warning',
        detail: '1 participant(s) not on the class roster joined.',
      },
    ]);
  });

  it('flags anonymous guests and outside accounts as outsiders, seriously, and callers apart (R22)', () => {
    const r = report([
      teacher,
      second,
      pupil('p1'),
      pupil('p2'),
      person({ kind: 'anonymous', userId: null, displayName: 'Guest' }),
      person({ kind: 'phone', userId: null, displayName: '+** **** ***123' }),
      pupil('ext1', { displayName: 'Outsider' }),
    ]);
    expect(r.attendance.filter((a) => a.role === 'external').map((a) => a.key)).toEqual([
      'users/ext1',
    ]);
    expect(r.attendance.find((a) => a.role === 'anonymous')?.name).toBe('Guest');
    expect(r.attendance.find((a) => a.role === 'phone')?.name).toBe('+** **** ***123');
    expect(r.counts).toMatchObject({ external: 2, phone: 1 });
    expect(r.flags).toEqual([
      {
        code: 'external-participant',
        severity: 'serious',
        detail: '2 participant(s) from outside the school joined (1 not signed in).',
      },
      {
        code: 'phone-participant',
        severity: 'warning',
        detail: '1 participant(s) joined by phone: Meet cannot say who they were.',
      },
    ]);
  });

  it('keeps two guests who typed the same name apart, by their participant record', () => {
    const r = report([
      teacher,
      second,
      pupil('p1'),
      pupil('p2'),
      person({ kind: 'anonymous', userId: null, displayName: 'Guest', id: 'c/participants/1' }),
      person({ kind: 'anonymous', userId: null, displayName: 'Guest', id: 'c/participants/2' }),
    ]);
    expect(r.counts.external).toBe(2);
  });

  it('names an account the directory could not check "unverified", never guessing uninvited (R22)', () => {
    const r = report([teacher, second, pupil('p1'), pupil('p2'), pupil('9b-pupil')], {
      unverifiedUserIds: new Set(['9b-pupil']),
    });
    expect(r.attendance.find((a) => a.key === 'users/9b-pupil')?.role).toBe('unverified');
    expect(r.counts).toMatchObject({ uninvited: 0, unverified: 1 });
    expect(codes(r)).toEqual(['unverified-participant']);
  });

  it('notes the named second adult and a removed pupil who came back (R11, R23)', () => {
    const r = report([teacher, second, pupil('p1'), pupil('p2')], {
      secondStaffUserId: SECOND_ID,
      markedUserIds: new Set(['p2']),
    });
    expect(r.attendance.find((a) => a.key === `users/${SECOND_ID}`)?.note).toBe(
      'the second adult named for the lesson',
    );
    expect(r.attendance.find((a) => a.key === 'users/p2')?.note).toMatch(
      /^removed from an earlier/,
    );
    expect(r.flags).toEqual([
      {
        code: 'removed-pupil-joined',
        severity: 'serious',
        detail:
          '1 pupil(s) removed from an earlier lesson joined before SLT cleared the follow-up.',
      },
    ]);
  });

  it('adds what the watch saw in the call: the gaps with no staff and the early end (R21)', () => {
    const r = report([teacher, second, pupil('p1'), pupil('p2')], {
      inCall: {
        settings: SETTINGS,
        state: {
          ...NO_IN_CALL,
          gaps: [
            {
              from: START + min(10) + 5_000,
              to: START + min(13) + 18_000,
              closedBy: 'ended',
              alertedAt: START + min(11) + 17_000,
              withdrawnAt: START + min(11) + 18_000,
              linkBackAt: null,
              endAskedAt: START + min(13) + 17_000,
              endedAt: START + min(13) + 18_000,
            },
          ],
          end: {
            at: START + min(13) + 17_000,
            why: 'staff-absent',
            doneAt: START + min(13) + 18_000,
          },
        },
      },
    });
    expect(r.flags).toEqual([
      {
        code: 'staff-absent',
        severity: 'serious',
        detail:
          'Pupils were in the call with no member of staff (policy: the teacher is last to leave): 10:10:05–10:13:18 (teacher, DSL and SLT told 10:11:17, link taken off Classroom 10:11:18, call ended and room locked 10:13:18).',
      },
      {
        code: 'ended-for-safety',
        severity: 'serious',
        detail:
          'The call was ended for everyone and the room locked at 10:13:18: no member of staff was back within 3 minute(s).',
      },
    ]);
  });
});

describe('the adults in the room (R6, R11)', () => {
  it('flags a lesson whose teacher never joined', () => {
    const r = report([]);
    expect(r.hostJoinedAt).toBeNull();
    expect(codes(r)).toEqual(['host-never-joined']);
    expect(r.counts.pupilsAbsent).toBe(3);
  });

  it('does not take a pupil named like the teacher as the host', () => {
    const r = report([pupil('p1', { displayName: 'Ms Teacher' }), pupil('p2')]);
    expect(codes(r)).toEqual(['host-never-joined']);
  });

  it('records when the teacher joined', () => {
    expect(report([teacher, second]).hostJoinedAt).toBe(START - min(8));
  });

  it('records who the second adult was', () => {
    expect(report([teacher, second, pupil('p1'), pupil('p2')]).secondStaff).toBe('Mr Second');
  });

  it('flags, seriously, a lesson with only one member of staff present', () => {
    const r = report([teacher, pupil('p1'), pupil('p2')]);
    expect(r.secondStaff).toBeNull();
    expect(r.flags).toEqual([
      {
        code: 'no-second-staff',
        severity: 'serious',
        detail: 'Only one member of staff was present: the recording must be kept and reviewed.',
      },
    ]);
  });

  it('does not count a named second adult who never joined', () => {
    const r = report([teacher, pupil('p1'), pupil('p2')]);
    expect(r.counts.staff).toBe(1);
    expect(codes(r)).toContain('no-second-staff');
  });
});

describe('the second adult was with the pupils (R11)', () => {
  const lookedIn = (firstJoined: number, lastLeft: number) =>
    person({ userId: SECOND_ID, displayName: 'Mr S', firstJoined, lastLeft, minutesInCall: 2 });

  it('does not count a member of staff who left before any pupil joined, or came after all had gone', () => {
    for (const visit of [lookedIn(START - min(5), START - min(3)), lookedIn(END, END + min(2))]) {
      const r = report([teacher, visit, pupil('p1'), pupil('p2')]);
      expect(r.secondStaff).toBeNull();
      expect(codes(r)).toContain('no-second-staff');
      expect(r.attendance.find((a) => a.role === 'staff')?.name).toBe('Mr Second');
    }
  });

  it('counts a member of staff who was in the call with a pupil for a while, and one in a call no pupil joined', () => {
    expect(
      report([teacher, lookedIn(START - min(5), START + min(1)), pupil('p1'), pupil('p2')])
        .secondStaff,
    ).toBe('Mr Second');
    expect(report([teacher, lookedIn(START - min(5), START - min(3))]).secondStaff).toBe(
      'Mr Second',
    );
  });
});

describe('1:1 lessons (R12)', () => {
  it('flags a 1:1 the school does not allow', () => {
    const r = report([teacher, second, pupil('p1')]);
    expect(r.flags).toEqual([
      {
        code: 'one-to-one',
        severity: 'serious',
        detail: 'A 1:1 lesson, which the school does not allow.',
      },
    ]);
  });

  it('records an allowed 1:1 so the DSL is told', () => {
    const r = report([teacher, second, pupil('p1')], { allowOneToOne: true });
    expect(r.flags).toEqual([
      {
        code: 'one-to-one',
        severity: 'serious',
        detail:
          'A 1:1 lesson (allowed by the school): it must be recorded and the DSL has been told.',
      },
    ]);
  });

  it('does not call a lesson 1:1 when two pupils came', () => {
    expect(codes(report([teacher, second, pupil('p1'), pupil('p2')]))).not.toContain('one-to-one');
  });
});

describe('parental consent (R13)', () => {
  it('counts pupils who joined without recorded consent, without naming them', () => {
    const r = report([teacher, second, pupil('p1'), pupil('p3')]);
    expect(r.flags).toEqual([
      {
        code: 'no-consent',
        severity: 'warning',
        detail: '1 pupil(s) joined without recorded parental consent.',
      },
    ]);
    expect(r.flags[0]!.detail).not.toContain('Cara');
  });

  it('does not flag consent for a pupil without consent who stayed away', () => {
    expect(codes(report([teacher, second, pupil('p1'), pupil('p2')]))).toEqual([]);
  });
});

describe('one person across two conferences (someone rejoined)', () => {
  it('merges them into one entry from first join to last leave, adding their minutes', () => {
    const r = report([
      teacher,
      second,
      pupil('p2'),
      pupil('p1', { firstJoined: START + min(10), lastLeft: START + min(20), minutesInCall: 10 }),
      pupil('p1', { firstJoined: START, lastLeft: START + min(5), minutesInCall: 5 }),
    ]);
    const amira = r.attendance.filter((a) => a.key === 'users/p1');
    expect(amira).toEqual([
      {
        key: 'users/p1',
        name: 'Amira Khan',
        role: 'pupil',
        firstJoined: START,
        lastLeft: START + min(20),
        minutes: 15,
        consent: 'given',
      },
    ]);
    expect(r.counts.pupilsPresent).toBe(2);
  });

  it('keeps someone still in the second conference as still in the call', () => {
    const r = report([
      teacher,
      second,
      pupil('p2'),
      pupil('p1', { firstJoined: START, lastLeft: START + min(5) }),
      pupil('p1', { firstJoined: START + min(10), lastLeft: null }),
    ]);
    expect(r.attendance.find((a) => a.key === 'users/p1')?.lastLeft).toBeNull();
  });
});

describe('duration', () => {
  it('runs from the first join to the last leave', () => {
    const r = report([teacher, second, pupil('p1'), pupil('p2')]);
    expect(r.actualStart).toBe(START - min(8));
    expect(r.actualEnd).toBe(END);
    expect(r.durationMinutes).toBe(38);
  });

  it('counts someone still in the call as there until now', () => {
    const r = report(
      [person({ firstJoined: START, lastLeft: null }), { ...second, firstJoined: START }],
      {
        now: START + min(45),
      },
    );
    expect(r.actualEnd).toBe(START + min(45));
    expect(r.durationMinutes).toBe(45);
  });

  it('is zero when nobody joined', () => {
    const r = report([]);
    expect([r.actualStart, r.actualEnd, r.durationMinutes]).toEqual([null, null, 0]);
  });
});
