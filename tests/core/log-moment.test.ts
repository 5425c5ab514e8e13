// Issue 8, R3, R18: when a lesson's Sessions row is written. First when it is scheduled, then
// only for what SLT must see at once (cancelled, moved, approval, a serious flag) and at its
// close; opening, sharing, withdrawing and ending wait for the close.

import { flag } from '../../src/core/flags';
import {
  addFlags,
  approve,
  confirmConsent,
  decline,
  type Lesson,
  markLogged,
  refuseMove,
  reschedule,
  withdrawLink,
} from '../../src/core/lesson';
import { logMark, logWriteDue } from '../../src/core/log-moment';
import {
  cancelledLesson,
  closedLesson,
  endedLesson,
  openLesson,
  START,
  scheduledLesson,
  sharedLesson,
} from './lesson-factory';

/** The lesson as it is once its current version has been written. */
function logged<T extends Lesson>(lesson: T): T {
  return { ...markLogged(lesson, lesson.version), logMark: logMark(lesson) };
}

/** A later version of a lesson whose earlier version `base` was written. */
function nextVersion<T extends Lesson>(base: Lesson, next: T): T {
  return { ...next, loggedVersion: base.version, logMark: logMark(base) };
}

describe('logWriteDue', () => {
  it('writes a lesson the moment it is scheduled (R3), and not again while nothing changed', () => {
    const fresh = scheduledLesson({ version: 1, loggedVersion: 0 });
    expect(logWriteDue(fresh)).toBe('scheduled');
    expect(logWriteDue(logged(fresh))).toBeNull();
  });

  it('waits for the close while the lesson opens, shares, withdraws its link and ends', () => {
    const scheduled = logged(scheduledLesson({ approval: { state: 'auto' } }));
    const open = nextVersion(scheduled, openLesson({ approval: { state: 'auto' } }));
    expect(open.version).toBeGreaterThan(scheduled.version);
    expect(logWriteDue(open)).toBeNull();
    expect(
      logWriteDue(nextVersion(scheduled, sharedLesson({ approval: { state: 'auto' } }))),
    ).toBeNull();
    const withdrawn = withdrawLink(
      sharedLesson({ approval: { state: 'auto' } }),
      START + 25 * 60_000,
    );
    expect(logWriteDue(nextVersion(scheduled, withdrawn))).toBeNull();
    expect(
      logWriteDue(nextVersion(scheduled, endedLesson({ approval: { state: 'auto' } }))),
    ).toBeNull();
    expect(logWriteDue(nextVersion(scheduled, confirmConsent(open, START)))).toBeNull();
    // A warning-level flag is carried by the close too.
    const warned = addFlags(open, [
      flag('uninvited-participant', 'Someone not on the roster joined.'),
    ]);
    expect(logWriteDue(nextVersion(scheduled, warned))).toBeNull();
  });

  it('writes at once what SLT must see: a serious flag, a move, an approval, a cancellation', () => {
    const running = logged(scheduledLesson());
    const open = nextVersion(running, openLesson());
    expect(
      logWriteDue(
        addFlags(open, [flag('external-participant', 'Someone from outside the school joined.')]),
      ),
    ).toBe('changed');
    const scheduled = logged(scheduledLesson({ approval: { state: 'pending' } }));
    expect(
      logWriteDue(
        nextVersion(scheduled, reschedule(scheduled, START + 3_600_000, START + 5_400_000, [])),
      ),
    ).toBe('changed');
    expect(
      logWriteDue(nextVersion(scheduled, approve(scheduled, 'head@school.example', START))),
    ).toBe('changed');
    expect(
      logWriteDue(
        nextVersion(scheduled, decline(scheduled, 'head@school.example', 'No TA', START)),
      ),
    ).toBe('changed');
    // A Calendar move the lesson did not follow: SLT see it in the Status cell at once.
    const refused = refuseMove(
      scheduled,
      { start: START - 86_400_000, end: START - 84_600_000, at: START - 90_000_000 },
      ['That time has passed.'],
    );
    expect(logWriteDue(nextVersion(scheduled, refused))).toBe('changed');
    expect(
      logWriteDue(nextVersion(scheduled, cancelledLesson({ approval: { state: 'pending' } }))),
    ).toBe('cancelled');
  });

  it('writes the close in one go, and a change after it (an incident reported later)', () => {
    const scheduled = logged(scheduledLesson());
    const closed = nextVersion(scheduled, closedLesson());
    expect(logWriteDue(closed)).toBe('closed');
    const reported = addFlags(logged(closed), [flag('incident', 'Incident L-1-I1 reported.')]);
    expect(logWriteDue(reported)).toBe('closed');
  });

  it('writes once a lesson logged before marks were kept, to take one', () => {
    const legacy = { ...scheduledLesson({ version: 3, loggedVersion: 2 }), logMark: undefined };
    expect(logWriteDue(legacy)).toBe('changed');
  });
});
