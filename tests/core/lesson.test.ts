// The lesson lifecycle: illegal moves either do not compile or are refused (R2, R6, R10).

import { flag } from '../../src/core/flags';
import { inCallOf, noteEndFailed } from '../../src/core/in-call';
import {
  addFlags,
  approve,
  beginPosting,
  calendarAgrees,
  cancelLesson,
  closeLesson,
  decline,
  effectiveEnd,
  endCallAt,
  endLesson,
  IllegalMove,
  isApproved,
  type Lesson,
  leaseHeldByOther,
  linkAlertAt,
  linkIsLive,
  noteCancelledAfter,
  noteGoogleFailure,
  noteInCall,
  noteMove,
  notePostingFailed,
  noteReported,
  type OpenLesson,
  openRoom,
  postingFailed,
  refuseMove,
  reschedule,
  restoreLesson,
  safetyStepFailedLately,
  shareLink,
  withdrawAt,
  withdrawLink,
} from '../../src/core/lesson';
import {
  cancelledLesson,
  closedLesson,
  END,
  emptyReport,
  endedLesson,
  hostProof,
  min,
  openLesson,
  ROOM,
  START,
  scheduledLesson,
  sharedLesson,
} from './lesson-factory';

describe('approval and opening the room (R2)', () => {
  it('opens a fresh room for an approved lesson', () => {
    const open = openRoom(scheduledLesson(), ROOM, START - min(10));
    expect(open.status).toBe('open');
    expect(open.room).toEqual(ROOM);
    expect(open.openedAt).toBe(START - min(10));
    expect(open.post).toEqual({ state: 'none' });
    expect(open.version).toBe(2);
  });

  it('opens the room of an auto-approved lesson', () => {
    const auto = scheduledLesson({ approval: { state: 'auto' } });
    expect(openRoom(auto, ROOM, START).status).toBe('open');
  });

  it('will not open the room while approval is pending', () => {
    const pending = scheduledLesson({ approval: { state: 'pending' } });
    expect(() => openRoom(pending, ROOM, START)).toThrow(
      new IllegalMove('The room cannot open before the lesson is approved.'),
    );
  });

  it('will not open the room of a declined lesson', () => {
    const declined = decline(scheduledLesson(), 'head@school.example', 'no cover', START);
    expect(isApproved(declined)).toBe(false);
    expect(() => openRoom(declined, ROOM, START)).toThrow(IllegalMove);
  });

  it('records who approved and when', () => {
    const pending = scheduledLesson({ approval: { state: 'pending' } });
    expect(approve(pending, 'head@school.example', 42).approval).toEqual({
      state: 'approved',
      by: 'head@school.example',
      at: 42,
    });
  });

  it('does not let a declined lesson be approved again without rescheduling it', () => {
    const declined = decline(scheduledLesson(), 'head@school.example', 'no cover', START);
    expect(() => approve(declined, 'deputy@school.example', START)).toThrow(
      'This lesson was declined.',
    );
  });
});

describe('sharing the link only with the host in the call (R6)', () => {
  it('shares the link with proof the teacher is in the call', () => {
    const shared = shareLink(openLesson(), hostProof(), 'post-9', START - min(3));
    expect(shared.post).toEqual({ state: 'live', id: 'post-9', sharedAt: START - min(3) });
    expect(linkIsLive(shared)).toBe(true);
  });

  it('cannot be written without proof: sharing needs a HostInCall, not a look-alike', () => {
    const open = openLesson();
    // @ts-expect-error: no proof the host is in the call
    const _noProof = () => shareLink(open, undefined, 'post-1', START);
    // @ts-expect-error: a hand-made object is not proof; only verifyHostInCall makes one
    const _fakeProof = () => shareLink(open, { userId: '1001', seenAt: START }, 'post-1', START);
    // @ts-expect-error: a lesson whose room is not open cannot share
    const _notOpen = () => shareLink(scheduledLesson(), hostProof(), 'post-1', START);
    expect([_noProof, _fakeProof, _notOpen]).toHaveLength(3);
  });

  it('never shares the link twice', () => {
    expect(() => shareLink(sharedLesson(), hostProof(), 'post-2', START)).toThrow(
      'The link was already shared for this lesson.',
    );
    const withdrawn = withdrawLink(sharedLesson(), END - min(5));
    expect(() => shareLink(withdrawn, hostProof(), 'post-2', START)).toThrow(IllegalMove);
  });

  it('marks a post as being made before asking Classroom, so a lost answer cannot make two', () => {
    const posting = beginPosting(openLesson(), START - min(4));
    expect(posting.post).toEqual({ state: 'posting', since: START - min(4) });
    expect(linkIsLive(posting)).toBe(true);
    expect(() => beginPosting(posting, START)).toThrow('The link is already posting.');
  });

  it('shares a post that was being made once it is found', () => {
    const posting = beginPosting(openLesson(), START - min(4));
    const shared = shareLink(posting, hostProof(), 'post-3', START - min(3));
    expect(shared.post).toEqual({ state: 'live', id: 'post-3', sharedAt: START - min(3) });
  });

  it('keeps when Google first failed to take a post, and when the teacher was told, without losing the post', () => {
    const posting = beginPosting(openLesson(), START - min(4));
    const failed = notePostingFailed(posting, START - min(3), false);
    expect(failed.post).toEqual({
      state: 'posting',
      since: START - min(4),
      failedSince: START - min(3),
    });
    // A later failure keeps the first time and writes nothing new.
    expect(notePostingFailed(failed, START - min(2), false)).toBe(failed);
    const told = notePostingFailed(failed, START, true);
    expect(told.post).toEqual({
      state: 'posting',
      since: START - min(4),
      failedSince: START - min(3),
      toldAt: START,
    });
    expect(linkIsLive(told)).toBe(true);
    // A live link is not a failed post.
    expect(notePostingFailed(sharedLesson(), START, true)).toEqual(sharedLesson());
  });

  it('goes back to no post when the create never happened', () => {
    const posting = beginPosting(openLesson(), START - min(4));
    expect(postingFailed(posting).post).toEqual({ state: 'none' });
  });

  it('never forgets a live post by calling it a failed create', () => {
    expect(() => postingFailed(sharedLesson())).toThrow(IllegalMove);
    const withdrawn = withdrawLink(sharedLesson(), END - min(5));
    expect(() => postingFailed(withdrawn)).toThrow(IllegalMove);
  });
});

describe('withdrawing the link (R10)', () => {
  it('withdraws a live link and keeps when it was shared', () => {
    const withdrawn = withdrawLink(sharedLesson(), END - min(5));
    expect(withdrawn.post).toEqual({
      state: 'withdrawn',
      id: 'post-1',
      sharedAt: START - min(5),
      withdrawnAt: END - min(5),
    });
    expect(linkIsLive(withdrawn)).toBe(false);
  });

  it('withdraws a post that was being made, whose id was never learnt', () => {
    const posting = beginPosting(openLesson(), START - min(4));
    expect(withdrawLink(posting, END - min(5)).post).toEqual({
      state: 'withdrawn',
      id: null,
      sharedAt: START - min(4),
      withdrawnAt: END - min(5),
    });
  });

  it('changes nothing when there is no link on Classroom', () => {
    const open = openLesson();
    expect(withdrawLink(open, END)).toBe(open);
    const once = withdrawLink(sharedLesson(), END - min(5));
    expect(withdrawLink(once, END)).toBe(once);
  });

  it('withdraws at five minutes before the scheduled end by default', () => {
    expect(withdrawAt(scheduledLesson(), 5)).toBe(END - min(5));
  });
});

describe('asking Google twice for a safety step that failed before (R10, R28)', () => {
  const due = END - min(5);
  const failed = <T extends Lesson>(lesson: T, kind: string, service: string, at = due) =>
    noteGoogleFailure(lesson, { kind, service, detail: 'HTTP 503' }, at);
  const endFailedOnce = (lesson: OpenLesson) => noteInCall(lesson, noteEndFailed(inCallOf(lesson)));

  it('asks twice for a link to come down while Classroom has failed the lesson for a passing reason in the last ten minutes, not for a refusal or another service', () => {
    const ask = (lesson: Lesson, now: number) =>
      safetyStepFailedLately(lesson, 'withdraw-link', now);
    expect(ask(sharedLesson(), due)).toBe(false);
    expect(ask(failed(sharedLesson(), 'transient', 'classroom'), due + min(1))).toBe(true);
    expect(ask(failed(sharedLesson(), 'transient', 'classroom'), due + min(10))).toBe(true);
    expect(ask(failed(sharedLesson(), 'transient', 'classroom'), due + min(11))).toBe(false);
    expect(ask(failed(sharedLesson(), 'forbidden', 'classroom'), due + min(1))).toBe(false);
    expect(ask(failed(sharedLesson(), 'cannot-act-as', 'auth'), due + min(1))).toBe(false);
    expect(ask(failed(sharedLesson(), 'transient', 'meet'), due + min(1))).toBe(false);
    // An end that failed says nothing of Classroom.
    expect(ask(endFailedOnce(sharedLesson()), due + min(1))).toBe(false);
  });

  it('asks twice for a call to end once an earlier end of the open lesson failed, for any reason and however long ago, and not before', () => {
    const ask = (lesson: Lesson, now: number) => safetyStepFailedLately(lesson, 'end-call', now);
    const endAt = END + min(2);
    expect(ask(sharedLesson(), endAt)).toBe(false);
    expect(ask(endFailedOnce(sharedLesson()), endAt)).toBe(true);
    expect(ask(endFailedOnce(sharedLesson()), endAt + min(60))).toBe(true);
    expect(
      ask(failed(endFailedOnce(sharedLesson()), 'cannot-act-as', 'auth', endAt), endAt + min(1)),
    ).toBe(true);
    // Google failing the lesson elsewhere (Classroom, a look at the call) is not a failed end.
    expect(ask(failed(sharedLesson(), 'transient', 'classroom', endAt), endAt + min(1))).toBe(
      false,
    );
    expect(ask(failed(sharedLesson(), 'transient', 'meet', endAt), endAt + min(1))).toBe(false);
    // A lesson whose call ended, or that was cancelled before its room opened, has no call to end.
    expect(ask(endLesson(endFailedOnce(sharedLesson()), endAt + min(1)), endAt + min(2))).toBe(
      false,
    );
    expect(ask(cancelledLesson(), endAt)).toBe(false);
  });
});

describe('ending and closing', () => {
  it('ends the call and keeps a live post, to be withdrawn at once (the room is locked anyway)', () => {
    const ended = endLesson(sharedLesson(), END + min(2));
    expect(ended.status).toBe('ended');
    expect(ended.endedAt).toBe(END + min(2));
    expect(ended.post).toEqual({ state: 'live', id: 'post-1', sharedAt: START - min(5) });
    expect(linkIsLive(ended)).toBe(true);
    expect('conference' in ended).toBe(false);
  });

  it('closes an ended lesson with its report and the report’s flags', () => {
    const report = emptyReport({
      flags: [flag('no-consent', '1 pupil(s) joined without consent.')],
    });
    const closed = closeLesson(endedLesson(), report, END + min(5));
    expect(closed.status).toBe('closed');
    expect(closed.report).toBe(report);
    expect(closed.room).toEqual(ROOM);
    expect(closed.flags.map((f) => f.code)).toEqual(['no-consent']);
  });

  it('keeps who was reported from the open lesson until the close (R22: the close tells of anyone no look saw), then drops it', () => {
    const ended = endLesson({ ...sharedLesson(), reported: ['abc', 'def'] }, END + min(2));
    expect(ended.reported).toEqual(['abc', 'def']);
    const closed = closeLesson(ended, emptyReport(), END + min(5));
    expect('reported' in closed).toBe(false);
  });

  it('closes a lesson whose room never opened, with no room and no post', () => {
    const closed = closeLesson(scheduledLesson(), emptyReport(), END + min(5));
    expect(closed).toMatchObject({ room: null, openedAt: null, endedAt: null });
    expect(closed.post).toEqual({ state: 'none' });
  });
});

describe('cancelling (R1, R10)', () => {
  it('cancels a scheduled lesson with no room and no post', () => {
    const cancelled = cancelLesson(scheduledLesson(), START - min(60));
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      room: null,
      cancelledAt: START - min(60),
    });
    expect(cancelled.post).toEqual({ state: 'none' });
  });

  it('keeps a lesson cancelled while open open, with its room and live post, ending at the cancellation', () => {
    const cancelled = cancelLesson(sharedLesson(), START + min(10));
    expect(cancelled.status).toBe('open');
    expect(cancelled.room).toEqual(ROOM);
    expect(cancelled.post.state).toBe('live');
    expect(cancelled.cancelledAt).toBe(START + min(10));
    expect(effectiveEnd(cancelled)).toBe(START + min(10));
    expect(withdrawAt(cancelled, 5)).toBe(START + min(10));
    expect(endCallAt(cancelled, 2)).toBe(START + min(10));
    expect(linkIsLive(cancelled)).toBe(true);
    expect(withdrawLink(cancelled, START + min(11)).post.state).toBe('withdrawn');
  });

  it('carries "cancelled during the lesson" through ending and closing, with attendance kept', () => {
    const cancelled = cancelLesson(sharedLesson(), START + min(10));
    const ended = endLesson(cancelled, START + min(11));
    const report = emptyReport({ counts: { ...emptyReport().counts, pupilsPresent: 4 } });
    const closed = closeLesson(ended, report, START + min(12));
    expect(closed).toMatchObject({ status: 'closed', cancelledAt: START + min(10), room: ROOM });
    expect(closed.report.counts.pupilsPresent).toBe(4);
  });

  it('cancels an open lesson once: a second deletion seen keeps the first time', () => {
    const once = cancelLesson(openLesson(), START);
    expect(cancelLesson(once, START + min(5))).toBe(once);
  });

  it('only notes a cancellation after the lesson ended, changing nothing else', () => {
    const closed = closedLesson();
    const noted = noteCancelledAfter(closed, END + min(30));
    expect(noted).toEqual({ ...closed, cancelledAt: END + min(30), version: closed.version + 1 });
    expect(noteCancelledAfter(noted, END + min(40))).toBe(noted);
  });

  it('brings back a lesson cancelled before its room opened, at the event’s times', () => {
    const cancelled = cancelLesson(
      scheduledLesson({ flags: [flag('too-long', 'old')] }),
      START - min(60),
    );
    const back = restoreLesson(cancelled, START + min(60), END + min(60), []);
    expect(back).toMatchObject({ status: 'scheduled', start: START + min(60), end: END + min(60) });
    expect(back.flags).toEqual([]);
    expect('cancelledAt' in back).toBe(false);
    expect('room' in back).toBe(false);
  });

  it('will not bring back a lesson whose room had opened', () => {
    const legacy = { ...cancelLesson(scheduledLesson(), START), room: ROOM };
    expect(() => restoreLesson(legacy, START, END, [])).toThrow(IllegalMove);
  });
});

describe('moves in Calendar (R1, R4, R10)', () => {
  it('before the room opens, follows the event and works out the time flags again', () => {
    const saturday = scheduledLesson({
      flags: [flag('outside-lesson-hours', 'Saturday'), flag('no-second-staff', 'none named')],
    });
    const moved = reschedule(saturday, START + min(60), END + min(60), [
      flag('too-long', '45 minutes'),
      flag('no-second-staff', 'not a time flag'),
    ]);
    expect(moved).toMatchObject({ start: START + min(60), end: END + min(60) });
    expect(moved.flags.map((f) => [f.code, f.detail])).toEqual([
      ['no-second-staff', 'none named'],
      ['too-long', '45 minutes'],
    ]);
  });

  it('notes a refused move once and forgets it when the event is back', () => {
    const lesson = scheduledLesson();
    const move = { start: START - min(60 * 24), end: END - min(60 * 24), at: START - min(120) };
    const refused = refuseMove(lesson, move, ['That time has already passed.']);
    expect(refused.refusedMove).toEqual({ ...move, why: ['That time has already passed.'] });
    expect(refused.start).toBe(START);
    expect(refuseMove(refused, { ...move, at: move.at + 1 }, ['again'])).toBe(refused);
    const agreed = calendarAgrees(refused);
    expect(agreed.refusedMove).toBeUndefined();
    expect(agreed.version).toBe(refused.version + 1);
    expect(calendarAgrees(agreed)).toBe(agreed);
  });

  it('after the room opens, keeps the running times when the event moves later', () => {
    const open = sharedLesson();
    const later = noteMove(open, {
      start: START + min(60),
      end: END + min(60),
      at: START - min(5),
    });
    expect(later).toMatchObject({ start: START, end: END });
    expect(effectiveEnd(later)).toBe(END);
    expect(withdrawAt(later, 5)).toBe(END - min(5));
    expect(endCallAt(later, 2)).toBe(END + min(2));
  });

  it('after the room opens, ends on the new clock when the event moves earlier', () => {
    const open = sharedLesson();
    const earlier = noteMove(open, {
      start: START - min(15),
      end: END - min(15),
      at: START - min(5),
    });
    expect(effectiveEnd(earlier)).toBe(END - min(15));
    expect(withdrawAt(earlier, 5)).toBe(END - min(20));
    expect(endCallAt(earlier, 2)).toBe(END - min(13));
  });

  it('after the room opens, a move into the past withdraws at once and ends at once', () => {
    const open = sharedLesson();
    const seen = START + min(10);
    const past = noteMove(open, { start: START - min(60 * 24), end: END - min(60 * 24), at: seen });
    expect(withdrawAt(past, 5)).toBe(seen);
    expect(endCallAt(past, 2)).toBeLessThan(seen);
    expect(linkAlertAt(past, 5)).toBe(seen + min(5));
  });

  it('an ordinary lesson’s clock is unchanged: withdraw 5 minutes before, alert at the end', () => {
    const open = sharedLesson();
    expect(withdrawAt(open, 5)).toBe(END - min(5));
    expect(linkAlertAt(open, 5)).toBe(END);
    expect(endCallAt(open, 2)).toBe(END + min(2));
  });
});

describe('bookkeeping', () => {
  it('bumps the version on every change, so the log knows a row is stale', () => {
    const open: OpenLesson = openLesson();
    expect(open.version).toBe(2);
    expect(beginPosting(open, START).version).toBe(3);
  });

  it('keeps one flag per code and does not bump for a flag it already has', () => {
    const f = flag('no-second-staff', 'nobody named');
    const once = addFlags(scheduledLesson(), [f]);
    expect(once.version).toBe(2);
    expect(addFlags(once, [f])).toBe(once);
    const updated = addFlags(once, [flag('no-second-staff', 'still nobody')]);
    expect(updated.flags).toEqual([flag('no-second-staff', 'still nobody')]);
  });

  it('reports each outsider once', () => {
    const once = noteReported(openLesson(), ['anonymous:Guest']);
    expect(noteReported(once, ['anonymous:Guest'])).toBe(once);
    expect(noteReported(once, ['anonymous:Guest', 'users/9']).reported).toEqual([
      'anonymous:Guest',
      'users/9',
    ]);
  });

  it('lets only one execution work on a lesson until its lease runs out', () => {
    const leased = scheduledLesson({ lease: { owner: 'run-a', until: START } });
    expect(leaseHeldByOther(leased, 'run-b', START - 1)).toBe(true);
    expect(leaseHeldByOther(leased, 'run-a', START - 1)).toBe(false);
    expect(leaseHeldByOther(leased, 'run-b', START)).toBe(false);
  });
});
