// R21 "never alone" and R12 "1:1 noticed while it happens", as pure decisions over what each
// look at the call saw: when a gap with no member of staff begins, when it is long enough to take
// the link down and tell people, when the call must end, how it closes, and when one pupil and
// one adult have been alone together long enough to tell the teacher and the DSL.

import {
  askEnd,
  type CallPicture,
  callEmpty,
  endAsked,
  inCallFlags,
  MAX_GAPS,
  NO_IN_CALL,
  nextGapLimit,
  noteCallEnded,
  noteGapWithdrawn,
  noteLinkBack,
  openGap,
  staffAlertOpen,
  watchPresence,
} from '../../src/core/in-call';
import { gapLimitsBy } from '../../src/core/tick-plan';
import { min, SETTINGS, START, scheduledLesson, sharedLesson } from './lesson-factory';

const SEC = 1000;
const T0 = START + min(10) + 5 * SEC; // 10:10:05

/** Pupils in the call (joined at 10:00), `staff` members of staff, the last staff gone at T0. */
function picture(staff: number, pupils = 4, extra: Partial<CallPicture> = {}): CallPicture {
  return {
    staffIn: staff,
    othersIn: Array.from({ length: pupils }, () => ({ firstJoined: START, pupil: true })),
    lastStaffLeft: staff === 0 ? T0 : null,
    lastLeft: staff === 0 ? T0 : null,
    latestJoinIn: START,
    ...extra,
  };
}

describe('a gap with no member of staff (R21)', () => {
  it('begins when the last member of staff left, as Meet says, not when the look happened', () => {
    const step = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + 13 * SEC);
    expect(openGap(step.state)?.from).toBe(T0);
    expect(step.alerted).toBeNull();
    expect(staffAlertOpen(step.state)).toBe(false);
  });

  it('begins when the first pupil came in if no member of staff was ever in this call', () => {
    const pic = picture(0, 2, { lastStaffLeft: null, lastLeft: null });
    expect(openGap(watchPresence(NO_IN_CALL, pic, SETTINGS, START + min(1)).state)?.from).toBe(
      START,
    );
  });

  it('is nothing while a member of staff is in the call, whoever it is', () => {
    expect(watchPresence(NO_IN_CALL, picture(1), SETTINGS, T0 + min(5)).state.gaps).toEqual([]);
  });

  it('is nothing when nobody but staff is in the call', () => {
    const pic = picture(0, 0);
    expect(watchPresence(NO_IN_CALL, pic, SETTINGS, T0 + min(5)).state.gaps).toEqual([]);
  });

  it('takes the link down and tells people once it is longer than staffAbsentAlertSeconds', () => {
    const first = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + 60 * SEC);
    expect(first.alerted).toBeNull();
    const second = watchPresence(first.state, picture(0), SETTINGS, T0 + 61 * SEC);
    expect(second.alerted?.from).toBe(T0);
    expect(staffAlertOpen(second.state)).toBe(true);
    expect(endAsked(second.state)).toBe(false);
    // Told once: the next look does not alert again.
    expect(watchPresence(second.state, picture(0), SETTINGS, T0 + min(2)).alerted).toBeNull();
  });

  it('asks for the end at staffAbsentEndMinutes after the last member of staff left', () => {
    let state = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + min(2)).state;
    const early = watchPresence(state, picture(0), SETTINGS, T0 + min(3) - SEC);
    expect(early.endAsked).toBeNull();
    state = early.state;
    const due = watchPresence(state, picture(0), SETTINGS, T0 + min(3));
    expect(due.endAsked?.from).toBe(T0);
    expect(due.state.end).toEqual({ at: T0 + min(3), why: 'staff-absent', doneAt: null });
    expect(endAsked(due.state)).toBe(true);
  });

  it('follows the school’s own limits', () => {
    const s = { ...SETTINGS, staffAbsentAlertSeconds: 120, staffAbsentEndMinutes: 10 };
    const step = watchPresence(NO_IN_CALL, picture(0), s, T0 + min(3));
    expect(step.alerted).not.toBeNull();
    expect(step.endAsked).toBeNull();
  });

  it('closes when a member of staff is seen back, saying so', () => {
    const open = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + min(2)).state;
    const back = watchPresence(open, picture(1), SETTINGS, T0 + min(2) + 30 * SEC);
    expect(back.closed).toMatchObject({ from: T0, to: T0 + min(2) + 30 * SEC, closedBy: 'staff' });
    expect(openGap(back.state)).toBeNull();
    expect(staffAlertOpen(back.state)).toBe(false);
  });

  it('closes when everyone has left the call', () => {
    const open = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + 30 * SEC).state;
    const empty = callEmpty(open, T0 + min(1));
    expect(empty.gaps).toEqual([
      expect.objectContaining({ from: T0, to: T0 + min(1), closedBy: 'empty' }),
    ]);
    expect(callEmpty(empty, T0 + min(2))).toBe(empty);
  });

  it('records what was done for it: link down, link back, call ended', () => {
    let state = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + min(1) + 12 * SEC).state;
    state = noteGapWithdrawn(state, T0 + min(1) + 13 * SEC);
    state = watchPresence(state, picture(1), SETTINGS, T0 + min(2) + 12 * SEC).state;
    state = noteLinkBack(state, T0 + min(2) + 13 * SEC);
    expect(state.gaps[0]).toMatchObject({
      withdrawnAt: T0 + min(1) + 13 * SEC,
      linkBackAt: T0 + min(2) + 13 * SEC,
    });
    const again = watchPresence(
      state,
      picture(0, 4, { lastStaffLeft: T0 + min(5) }),
      SETTINGS,
      T0 + min(9),
    );
    const ended = noteCallEnded(
      askEnd(again.state, 'staff-absent', T0 + min(9)),
      T0 + min(9) + SEC,
    );
    expect(ended.gaps[1]).toMatchObject({
      to: T0 + min(9) + SEC,
      endedAt: T0 + min(9) + SEC,
      closedBy: 'ended',
    });
    expect(ended.end?.doneAt).toBe(T0 + min(9) + SEC);
    expect(endAsked(ended)).toBe(false);
  });

  it('knows when the gap next goes over a limit: the alert, then the end, then none', () => {
    expect(nextGapLimit(NO_IN_CALL, SETTINGS)).toBeNull();
    const open = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + 10 * SEC);
    const alertAt = nextGapLimit(open.state, SETTINGS)!;
    // The first moment a look alerts, as watchPresence decides it.
    expect(watchPresence(open.state, picture(0), SETTINGS, alertAt - 1).alerted).toBeNull();
    const alerted = watchPresence(open.state, picture(0), SETTINGS, alertAt);
    expect(alerted.alerted?.from).toBe(T0);
    const endAt = nextGapLimit(alerted.state, SETTINGS)!;
    expect(endAt).toBe(T0 + min(3));
    expect(watchPresence(alerted.state, picture(0), SETTINGS, endAt - 1).endAsked).toBeNull();
    const ending = watchPresence(alerted.state, picture(0), SETTINGS, endAt);
    expect(ending.endAsked).not.toBeNull();
    expect(nextGapLimit(ending.state, SETTINGS)).toBeNull();
    // A gap that closed has no limit to reach.
    const back = watchPresence(alerted.state, picture(1), SETTINGS, T0 + min(2));
    expect(nextGapLimit(back.state, SETTINGS)).toBeNull();
  });

  it('names the open lessons whose gap reaches a limit soon, with when, and no other', () => {
    const alone = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + 40 * SEC).state;
    const lessons = [
      { ...sharedLesson({ id: 'L-alone' }), inCall: alone },
      { ...sharedLesson({ id: 'L-staffed' }) },
      scheduledLesson({ id: 'L-later' }),
    ];
    const alertAt = T0 + 60 * SEC + 1;
    // 20 s before the alert limit: within half a minute.
    expect(gapLimitsBy(lessons, alertAt - 20 * SEC + 30 * SEC, SETTINGS)).toEqual(
      new Map([['L-alone', alertAt]]),
    );
    // 40 s before it: not within half a minute.
    expect(gapLimitsBy(lessons, alertAt - 40 * SEC + 30 * SEC, SETTINGS).size).toBe(0);
    // Once past it (a look answered a moment before the limit): still named, to look again.
    expect(gapLimitsBy(lessons, alertAt + 5 * SEC, SETTINGS)).toEqual(
      new Map([['L-alone', alertAt]]),
    );
  });

  it('keeps a lesson record small however often the teacher drops out', () => {
    let state = NO_IN_CALL;
    for (let i = 0; i < 40; i++) {
      const from = T0 + min(i);
      state = watchPresence(
        state,
        picture(0, 4, { lastStaffLeft: from }),
        SETTINGS,
        from + 10 * SEC,
      ).state;
      state = watchPresence(state, picture(1), SETTINGS, from + 40 * SEC).state;
    }
    expect(state.gaps).toHaveLength(MAX_GAPS);
    expect(state.gaps[0]!.from).toBe(T0);
    expect(JSON.stringify(state).length).toBeLessThan(3000);
  });
});

describe('the log’s words for the call (R18, R21)', () => {
  it('writes each gap with its times to the second and what was done, and no names', () => {
    let state = watchPresence(NO_IN_CALL, picture(0), SETTINGS, T0 + min(1) + 12 * SEC).state;
    state = noteGapWithdrawn(state, T0 + min(1) + 13 * SEC);
    state = watchPresence(state, picture(1), SETTINGS, T0 + min(2)).state;
    const brief = watchPresence(
      state,
      picture(0, 4, { lastStaffLeft: T0 + min(5) }),
      SETTINGS,
      T0 + min(5) + 20 * SEC,
    ).state;
    const flags = inCallFlags(
      watchPresence(brief, picture(1), SETTINGS, T0 + min(6)).state,
      SETTINGS,
    );
    expect(flags).toEqual([
      {
        code: 'staff-absent',
        severity: 'serious',
        detail:
          'Pupils were in the call with no member of staff (policy: the teacher is last to leave): from 10:10:05 until a member of staff was back (seen 10:12:05) (teacher, DSL and SLT told 10:11:17, link taken off Classroom 10:11:18).',
      },
      {
        code: 'staff-absent-brief',
        severity: 'warning',
        detail:
          'Pupils were briefly in the call with no member of staff: from 10:15:05 until a member of staff was back (seen 10:16:05).',
      },
    ]);
  });

  it('says why the call was ended early', () => {
    const outsider = noteCallEnded(askEnd(NO_IN_CALL, 'outsider', T0), T0 + SEC);
    expect(inCallFlags(outsider, SETTINGS)).toEqual([
      {
        code: 'ended-for-safety',
        severity: 'serious',
        detail:
          'The call was ended for everyone and the room locked at 10:10:06: someone from outside the school was admitted (the school ends the lesson: outsiderAction is "end").',
      },
    ]);
  });
});

describe('one pupil alone with one adult (R12)', () => {
  const pair = (extra: Partial<CallPicture> = {}): CallPicture => ({
    staffIn: 1,
    othersIn: [{ firstJoined: START, pupil: true }],
    lastStaffLeft: null,
    lastLeft: null,
    latestJoinIn: START,
    ...extra,
  });

  it('tells once it has lasted oneToOneAlertMinutes, counted from when the pair was left together', () => {
    const early = watchPresence(NO_IN_CALL, pair(), SETTINGS, START + min(5) - SEC);
    expect(early.oneToOneTold).toBeNull();
    const due = watchPresence(early.state, pair(), SETTINGS, START + min(5));
    expect(due.oneToOneTold).toMatchObject({ from: START, toldAt: START + min(5) });
    expect(watchPresence(due.state, pair(), SETTINGS, START + min(6)).oneToOneTold).toBeNull();
  });

  it('counts from when the last other person left, not from when the pupil joined', () => {
    const step = watchPresence(
      NO_IN_CALL,
      pair({ lastLeft: START + min(4) }),
      SETTINGS,
      START + min(6),
    );
    expect(step.state.oneToOne?.from).toBe(START + min(4));
    expect(step.oneToOneTold).toBeNull();
  });

  it('is not a 1:1 with two adults, two pupils, or a guest instead of a pupil', () => {
    const at = START + min(20);
    expect(watchPresence(NO_IN_CALL, pair({ staffIn: 2 }), SETTINGS, at).state.oneToOne).toBeNull();
    const two = pair({
      othersIn: [
        { firstJoined: START, pupil: true },
        { firstJoined: START, pupil: true },
      ],
    });
    expect(watchPresence(NO_IN_CALL, two, SETTINGS, at).state.oneToOne).toBeNull();
    const guest = pair({ othersIn: [{ firstJoined: START, pupil: false }] });
    expect(watchPresence(NO_IN_CALL, guest, SETTINGS, at).state.oneToOne).toBeNull();
  });

  it('is flagged serious where 1:1s are not allowed, and recorded as a warning where they are', () => {
    const told = watchPresence(NO_IN_CALL, pair(), SETTINGS, START + min(5)).state;
    const over = watchPresence(told, pair({ staffIn: 2 }), SETTINGS, START + min(8)).state;
    expect(inCallFlags(over, SETTINGS)).toEqual([
      {
        code: 'one-to-one-in-call',
        severity: 'serious',
        detail:
          'One pupil and one adult were alone together in the call (the school does not allow 1:1s): from 10:00:00 to 10:08:00.',
      },
    ]);
    expect(inCallFlags(over, { ...SETTINGS, allowOneToOne: true })[0]!.severity).toBe('warning');
  });
});
