// R21, R10: a running call the automation can no longer watch (Google refuses its teacher's
// account) has its link taken off Classroom at once, for good, and the lesson says why.

import { cannotWatch, noteCannotWatch } from '../../src/core/cannot-watch';
import { FLAG_SEVERITY } from '../../src/core/flags';
import { type InCall, NO_IN_CALL } from '../../src/core/in-call';
import { noteInCall, type OpenLesson, withdrawLink } from '../../src/core/lesson';
import { dueActions } from '../../src/core/lifecycle-plan';
import { END, min, openLesson, SETTINGS, START, sharedLesson } from './lesson-factory';

const TZ = SETTINGS.timeZone;
/** 10:08:30, when a look at the call was first refused. */
const REFUSED_AT = START + min(8) + 30_000;

function pupilsAloneAndAlerted(lesson: OpenLesson): OpenLesson {
  const inCall: InCall = {
    ...NO_IN_CALL,
    gaps: [
      {
        from: START + min(6),
        to: null,
        alertedAt: START + min(7),
        withdrawnAt: null,
        linkBackAt: null,
        endAskedAt: null,
        endedAt: null,
      },
    ],
  };
  return noteInCall(lesson, inCall);
}

describe('marking a call the automation cannot watch', () => {
  it('marks a lesson whose link is on Classroom with a serious flag saying when and why', () => {
    const marked = noteCannotWatch(sharedLesson(), REFUSED_AT, TZ);
    expect(cannotWatch(marked)).toBe(true);
    const flag = marked.flags.find((f) => f.code === 'cannot-watch')!;
    expect(flag.severity).toBe('serious');
    expect(FLAG_SEVERITY['cannot-watch']).toBe('serious');
    expect(flag.detail).toContain('From 10:08:30 the automation could not watch the call');
    expect(flag.detail).toContain('Google refused to let it act as the teacher');
    expect(flag.detail).toContain('takes the link off Classroom at once');
    // A serious flag changes the lesson, so its log row is written at once (log-moment.ts).
    expect(marked.version).toBeGreaterThan(sharedLesson().version);
  });

  it('marks a lesson once: a later refused look keeps the first time', () => {
    const marked = noteCannotWatch(sharedLesson(), REFUSED_AT, TZ);
    expect(noteCannotWatch(marked, REFUSED_AT + min(5), TZ)).toBe(marked);
  });

  it('leaves a lesson whose link was never shared unmarked, so a link shared later is not taken down', () => {
    const notShared = openLesson();
    expect(noteCannotWatch(notShared, REFUSED_AT, TZ)).toBe(notShared);
  });

  it('leaves a lesson whose link is already off Classroom unmarked', () => {
    const down = withdrawLink(sharedLesson(), START + min(8));
    expect(noteCannotWatch(down, REFUSED_AT, TZ)).toBe(down);
  });
});

describe('planning a call the automation cannot watch (R21, R10)', () => {
  it('takes the link down at once, long before its withdrawal time', () => {
    const marked = noteCannotWatch(sharedLesson(), REFUSED_AT, TZ);
    expect(dueActions(marked, REFUSED_AT + 1_000, SETTINGS)).toContain('withdraw-link');
    // The same lesson unmarked keeps its link until five minutes before the end.
    expect(dueActions(sharedLesson(), REFUSED_AT + 1_000, SETTINGS)).not.toContain('withdraw-link');
  });

  it('withdraws the link for good, even while a gap without staff is open (it never goes back)', () => {
    const alone = pupilsAloneAndAlerted(sharedLesson());
    // Unmarked, a gap only pauses the link: it may go back once the teacher is seen again.
    expect(withdrawLink(alone, REFUSED_AT).post.state).toBe('paused');
    const marked = noteCannotWatch(alone, REFUSED_AT, TZ);
    expect(withdrawLink(marked, REFUSED_AT).post.state).toBe('withdrawn');
  });

  it('once the link is down, keeps looking at the call and ends it at its time, as for any lesson', () => {
    const down = withdrawLink(noteCannotWatch(sharedLesson(), REFUSED_AT, TZ), REFUSED_AT);
    expect(dueActions(down, REFUSED_AT + min(1), SETTINGS)).toEqual(['watch-call']);
    expect(dueActions(down, END + min(SETTINGS.endGraceMinutes), SETTINGS)).toContain('end-call');
  });
});
