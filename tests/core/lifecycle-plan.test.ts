// R6, R10: what the automation does for a lesson at each moment, so nothing depends on a
// teacher remembering.

import {
  beginPosting,
  cancelLesson,
  endLesson,
  markLinkLiveAlerted,
  markLogged,
  noteMove,
  withdrawLink,
} from '../../src/core/lesson';
import { dueActions, isSettled, WITHDRAW_LEAD_MS } from '../../src/core/lifecycle-plan';
import {
  cancelledLesson,
  closedLesson,
  END,
  endedLesson,
  justOpenedLesson,
  min,
  openLesson,
  ROOM,
  SETTINGS,
  START,
  scheduledLesson,
  sharedLesson,
} from './lesson-factory';

describe('opening the room', () => {
  it('does nothing for an approved lesson until ten minutes before the start', () => {
    expect(dueActions(scheduledLesson(), START - min(11), SETTINGS)).toEqual([]);
  });

  it('opens the room ten minutes before the start, so the teacher can be in first', () => {
    expect(dueActions(scheduledLesson(), START - min(10), SETTINGS)).toEqual(['open-room']);
  });

  it('follows the school’s own opening time', () => {
    const s = { ...SETTINGS, openBeforeStartMinutes: 3 };
    expect(dueActions(scheduledLesson(), START - min(4), s)).toEqual([]);
    expect(dueActions(scheduledLesson(), START - min(3), s)).toEqual(['open-room']);
  });

  it('never opens the room of a lesson still waiting for approval', () => {
    const pending = scheduledLesson({ approval: { state: 'pending' } });
    expect(dueActions(pending, START - min(10), SETTINGS)).toEqual([]);
    expect(dueActions(pending, START, SETTINGS)).toEqual([]);
  });

  it('never opens the room of a declined lesson', () => {
    const declined = scheduledLesson({
      approval: { state: 'declined', by: 'head@school.example', at: 0, reason: 'no cover' },
    });
    expect(dueActions(declined, START, SETTINGS)).toEqual([]);
  });

  it('opens the room of an auto-approved lesson', () => {
    const auto = scheduledLesson({ approval: { state: 'auto' } });
    expect(dueActions(auto, START - min(10), SETTINGS)).toEqual(['open-room']);
  });
});

describe('while the room is open', () => {
  it('watches the call for the teacher and for outsiders', () => {
    expect(dueActions(openLesson(), START - min(9), SETTINGS)).toEqual(['watch-call']);
    expect(dueActions(sharedLesson(), START + min(10), SETTINGS)).toEqual(['watch-call']);
  });

  it('puts the room link on the lesson’s Calendar event once, as soon as the room is open', () => {
    expect(dueActions(justOpenedLesson(), START - min(10), SETTINGS)).toEqual([
      'show-room-link',
      'watch-call',
    ]);
    expect(
      dueActions(justOpenedLesson({ calendarEventId: null }), START - min(10), SETTINGS),
    ).toEqual(['watch-call']);
  });

  it('keeps watching between the scheduled end and the end of the grace period', () => {
    expect(dueActions(openLesson(), END + min(1), SETTINGS)).toEqual(['watch-call']);
  });
});

describe('withdrawing the link (R10)', () => {
  it('leaves the link up until the last run before five minutes before the end', () => {
    expect(dueActions(sharedLesson(), END - min(5) - WITHDRAW_LEAD_MS - 1, SETTINGS)).toEqual([
      'watch-call',
    ]);
    expect(dueActions(sharedLesson(), END - min(5) - WITHDRAW_LEAD_MS, SETTINGS)).toContain(
      'withdraw-link',
    );
  });

  it('withdraws the link five minutes before the end even if the teacher forgot', () => {
    expect(dueActions(sharedLesson(), END - min(5), SETTINGS)).toEqual([
      'withdraw-link',
      'watch-call',
    ]);
  });

  it('withdraws the link at the time the school chose', () => {
    const s = { ...SETTINGS, withdrawBeforeEndMinutes: 10 };
    expect(dueActions(sharedLesson(), END - min(10), s)).toContain('withdraw-link');
    expect(dueActions(sharedLesson(), END - min(11), s)).not.toContain('withdraw-link');
  });

  it('withdraws a post whose creation may have gone through', () => {
    const posting = beginPosting(openLesson(), START);
    expect(dueActions(posting, END - min(5), SETTINGS)).toContain('withdraw-link');
  });

  it('has nothing to withdraw once the link is gone', () => {
    const withdrawn = withdrawLink(sharedLesson(), END - min(5));
    expect(dueActions(withdrawn, END - min(4), SETTINGS)).toEqual(['watch-call']);
  });

  it('withdraws the link and ends the call at once when an open lesson’s event is deleted', () => {
    const cancelled = cancelLesson(sharedLesson(), START + min(10));
    expect(dueActions(cancelled, START + min(10), SETTINGS)).toEqual(['withdraw-link', 'end-call']);
  });

  it('alerts SLT if a cancelled lesson’s link is still up five minutes after the cancellation', () => {
    const cancelled = cancelLesson(sharedLesson(), START + min(10));
    expect(dueActions(cancelled, START + min(15) - 1, SETTINGS)).not.toContain('alert-link-live');
    expect(dueActions(cancelled, START + min(15), SETTINGS)).toContain('alert-link-live');
  });

  it('withdraws the link at once from a lesson that ended with it still live', () => {
    const ended = endedLesson();
    const live = { ...ended, post: sharedLesson().post };
    expect(dueActions(live, START + min(1), SETTINGS)).toEqual(['withdraw-link', 'close']);
  });
});

describe('telling SLT the link is still live at the end (R10)', () => {
  it('alerts SLT when the link is still on Classroom at the scheduled end', () => {
    expect(dueActions(sharedLesson(), END, SETTINGS)).toEqual([
      'withdraw-link',
      'alert-link-live',
      'watch-call',
    ]);
  });

  it('alerts SLT once only', () => {
    const alerted = markLinkLiveAlerted(sharedLesson(), END);
    expect(dueActions(alerted, END + min(1), SETTINGS)).toEqual(['withdraw-link', 'watch-call']);
  });

  it('does not alert when the link was withdrawn in time', () => {
    const withdrawn = withdrawLink(sharedLesson(), END - min(5));
    expect(dueActions(withdrawn, END, SETTINGS)).not.toContain('alert-link-live');
  });
});

describe('ending the call (R10)', () => {
  it('ends the call for everyone two minutes after the scheduled end', () => {
    expect(dueActions(openLesson(), END + min(2) - 1, SETTINGS)).toEqual(['watch-call']);
    expect(dueActions(openLesson(), END + min(2), SETTINGS)).toEqual(['end-call']);
  });

  it('ends the call of a cancelled lesson whose room had opened, then closes it like any other', () => {
    const cancelled = cancelLesson(openLesson(), START);
    expect(dueActions(cancelled, START, SETTINGS)).toEqual(['end-call']);
    const ended = endLesson(cancelled, START + min(1));
    expect(dueActions(ended, START + min(1), SETTINGS)).toEqual(['close']);
  });

  it('still ends the call of a record an earlier version left cancelled with its room', () => {
    const legacy = { ...cancelledLesson(), room: ROOM };
    expect(dueActions(legacy, START, SETTINGS)).toEqual(['end-call']);
  });

  it('keeps watching a lesson whose event moved later after the room opened, ending on the original clock', () => {
    const moved = noteMove(sharedLesson(), {
      start: START + min(60),
      end: END + min(60),
      at: START,
    });
    expect(dueActions(moved, END - min(6), SETTINGS)).toEqual(['watch-call']);
    expect(dueActions(moved, END - min(5), SETTINGS)).toEqual(['withdraw-link', 'watch-call']);
    expect(dueActions(moved, END + min(2), SETTINGS)).toContain('end-call');
  });

  it('ends on the new clock when the event moved earlier after the room opened', () => {
    const moved = noteMove(sharedLesson(), {
      start: START - min(10),
      end: END - min(10),
      at: START - min(5),
    });
    expect(dueActions(moved, END - min(15), SETTINGS)).toEqual(['withdraw-link', 'watch-call']);
    expect(dueActions(moved, END - min(8), SETTINGS)).toContain('end-call');
  });

  it('has nothing to end for a lesson cancelled before its room opened', () => {
    expect(dueActions(cancelledLesson(), START, SETTINGS)).toEqual([]);
  });
});

describe('closing and settling (R18)', () => {
  it('closes an ended lesson', () => {
    expect(dueActions(endedLesson(), END + min(3), SETTINGS)).toEqual(['close']);
  });

  it('closes a scheduled lesson whose end has passed without a room, so the log says so', () => {
    const pending = scheduledLesson({ approval: { state: 'pending' } });
    expect(dueActions(pending, END, SETTINGS)).toEqual(['close']);
    expect(dueActions(scheduledLesson(), END, SETTINGS)).toEqual(['close']);
  });

  it('does nothing more for a closed lesson', () => {
    expect(dueActions(closedLesson(), END + min(60), SETTINGS)).toEqual([]);
  });

  it('settles a closed lesson once its latest version is in the log', () => {
    const closed = closedLesson();
    expect(isSettled(closed)).toBe(false);
    expect(isSettled(markLogged(closed, closed.version))).toBe(true);
  });

  it('does not settle a closed lesson whose link is still live', () => {
    const closed = closedLesson();
    const live = markLogged({ ...closed, post: sharedLesson().post }, closed.version);
    expect(isSettled(live)).toBe(false);
    expect(dueActions(live, END + min(60), SETTINGS)).toEqual(['withdraw-link', 'alert-link-live']);
  });

  it('settles a cancelled lesson only once it has no room', () => {
    const noRoom = cancelledLesson();
    expect(isSettled(markLogged(noRoom, noRoom.version))).toBe(true);
    const withRoom = { ...noRoom, room: ROOM };
    expect(isSettled(markLogged(withRoom, withRoom.version))).toBe(false);
  });

  it('never settles a lesson cancelled during the call before it is closed', () => {
    const cancelled = cancelLesson(openLesson(), START);
    expect(isSettled(markLogged(cancelled, cancelled.version))).toBe(false);
  });

  it('never settles a lesson that has not run', () => {
    const s = scheduledLesson();
    expect(isSettled(markLogged(s, s.version))).toBe(false);
    const o = openLesson();
    expect(isSettled(markLogged(o, o.version))).toBe(false);
  });
});
