// The lesson lifecycle: illegal moves either do not compile or are refused (R2, R6, R10).

import { flag } from '../../src/core/flags';
import {
  addFlags,
  approve,
  beginPosting,
  cancelLesson,
  closeLesson,
  decline,
  endLesson,
  IllegalMove,
  isApproved,
  leaseHeldByOther,
  linkIsLive,
  noteReported,
  type OpenLesson,
  openRoom,
  postingFailed,
  shareLink,
  withdrawAt,
  withdrawLink,
} from '../../src/core/lesson';
import {
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

  it('closes a lesson whose room never opened, with no room and no post', () => {
    const closed = closeLesson(scheduledLesson(), emptyReport(), END + min(5));
    expect(closed).toMatchObject({ room: null, openedAt: null, endedAt: null });
    expect(closed.post).toEqual({ state: 'none' });
  });
});

describe('cancelling (R10)', () => {
  it('cancels a scheduled lesson with no room and no post', () => {
    const cancelled = cancelLesson(scheduledLesson(), START - min(60));
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      room: null,
      cancelledAt: START - min(60),
    });
    expect(cancelled.post).toEqual({ state: 'none' });
  });

  it('cancels an open lesson keeping its room and live post, so both are dealt with', () => {
    const cancelled = cancelLesson(sharedLesson(), START);
    expect(cancelled.room).toEqual(ROOM);
    expect(cancelled.post.state).toBe('live');
    expect(linkIsLive(cancelled)).toBe(true);
    expect(withdrawLink(cancelled, START + min(1)).post.state).toBe('withdrawn');
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
