// R6 with R21: a link taken off Classroom while no member of staff was in the call may go back,
// but only through a transition that needs a fresh proof the teacher is in the call; every
// other way back does not compile or is refused. The post is marked "posting" (a new round, its
// own marker) before it is created, as the first was.

import { postMarker } from '../../src/app/steps/stream-post';
import { verifyHostInCall } from '../../src/core/host-presence';
import { askEnd, inCallOf, NO_IN_CALL, watchPresence } from '../../src/core/in-call';
import {
  endLesson,
  IllegalMove,
  linkIsLive,
  type OpenLesson,
  postingFailed,
  resumePosting,
  shareLink,
  withdrawLink,
} from '../../src/core/lesson';
import { min, person, SETTINGS, START, sharedLesson, TEACHER_ID } from './lesson-factory';

const SEC = 1000;
const LEFT = START + min(10);

/** A shared lesson whose teacher left at 10:10, alerted at 10:11:05, link down at 10:11:06. */
function pausedLesson(): OpenLesson {
  const picture = {
    staffIn: 0,
    othersIn: [{ firstJoined: START, pupil: true }],
    lastStaffLeft: LEFT,
    lastLeft: LEFT,
    latestJoinIn: START,
  };
  const inCall = watchPresence(NO_IN_CALL, picture, SETTINGS, LEFT + 65 * SEC).state;
  return withdrawLink({ ...sharedLesson(), inCall }, LEFT + 66 * SEC);
}

/** The teacher back, gap closed, as the look that saw them leaves the lesson. */
function teacherBack(lesson: OpenLesson, at: number): OpenLesson {
  const picture = {
    staffIn: 1,
    othersIn: [{ firstJoined: START, pupil: true }],
    lastStaffLeft: null,
    lastLeft: LEFT,
    latestJoinIn: at - SEC,
  };
  return { ...lesson, inCall: watchPresence(inCallOf(lesson), picture, SETTINGS, at).state };
}

const proofAt = (at: number) => verifyHostInCall([person()], TEACHER_ID, at)!;

describe('a link paused while no member of staff was in the call (R21)', () => {
  it('is off Classroom and remembers when it came down', () => {
    const paused = pausedLesson();
    expect(paused.post).toEqual({
      state: 'paused',
      id: 'post-1',
      sharedAt: START - min(5),
      withdrawnAt: LEFT + 66 * SEC,
      round: 1,
    });
    expect(linkIsLive(paused)).toBe(false);
    expect(inCallOf(paused).gaps[0]!.withdrawnAt).toBe(LEFT + 66 * SEC);
  });

  it('cannot be written to go back without proof the teacher is in the call', () => {
    const paused = pausedLesson();
    // @ts-expect-error: no proof the host is in the call
    const _noProof = () => resumePosting(paused, undefined, START);
    // @ts-expect-error: a hand-made object is not proof; only verifyHostInCall makes one
    const _fake = () => resumePosting(paused, { userId: TEACHER_ID, seenAt: START }, START);
    expect([_noProof, _fake]).toHaveLength(2);
  });

  it('refuses a proof seen before the link came down, or while pupils are still without staff', () => {
    const paused = pausedLesson();
    expect(() =>
      resumePosting(teacherBack(paused, LEFT + min(2)), proofAt(LEFT), LEFT + min(2)),
    ).toThrow(IllegalMove);
    expect(() => resumePosting(paused, proofAt(LEFT + min(2)), LEFT + min(2))).toThrow(IllegalMove);
    const ending = {
      ...teacherBack(paused, LEFT + min(2)),
      inCall: askEnd(inCallOf(teacherBack(paused, LEFT + min(2))), 'outsider', LEFT + min(2)),
    };
    expect(() => resumePosting(ending, proofAt(LEFT + min(2)), LEFT + min(2))).toThrow(IllegalMove);
  });

  it('goes back as a second post with its own marker, marked posting first, and says so in the log', () => {
    const back = teacherBack(pausedLesson(), LEFT + min(2));
    const posting = resumePosting(back, proofAt(LEFT + min(2)), LEFT + min(2) + SEC);
    expect(posting.post).toMatchObject({ state: 'posting', round: 2 });
    expect(postMarker(posting)).toBe(`(lesson ${posting.id}, link 2)`);
    expect(postMarker(sharedLesson())).toBe(`(lesson ${posting.id})`);
    const live = shareLink(posting, proofAt(LEFT + min(2)), 'post-2', LEFT + min(2) + 2 * SEC);
    expect(live.post).toEqual({
      state: 'live',
      id: 'post-2',
      sharedAt: LEFT + min(2) + 2 * SEC,
      round: 2,
    });
    expect(inCallOf(live).gaps[0]!.linkBackAt).toBe(LEFT + min(2) + 2 * SEC);
  });

  it('returns to paused, not to nothing, when the second post could not be made', () => {
    const back = teacherBack(pausedLesson(), LEFT + min(2));
    const posting = resumePosting(back, proofAt(LEFT + min(2)), LEFT + min(2) + SEC);
    expect(postingFailed(posting).post).toEqual(pausedLesson().post);
  });

  it('is withdrawn for good, not paused, when the call is being ended', () => {
    const shared = sharedLesson();
    const ending = { ...shared, inCall: askEnd(NO_IN_CALL, 'outsider', START + min(5)) };
    expect(withdrawLink(ending, START + min(5) + SEC).post.state).toBe('withdrawn');
  });

  it('ends the gap with the call, recording when', () => {
    const ended = endLesson(
      {
        ...pausedLesson(),
        inCall: askEnd(inCallOf(pausedLesson()), 'staff-absent', LEFT + min(3)),
      },
      LEFT + min(3) + SEC,
    );
    expect(inCallOf(ended).gaps[0]).toMatchObject({
      to: LEFT + min(3) + SEC,
      endedAt: LEFT + min(3) + SEC,
      closedBy: 'ended',
    });
    expect(inCallOf(ended).end?.doneAt).toBe(LEFT + min(3) + SEC);
  });
});
