// R1: only a lesson's own event, on its own teacher's calendar, changes it; what a change does
// depends on where the lesson is in its life, and nobody is left unaware of it.

import {
  changeMessages,
  claimChange,
  decideChange,
  decisionLine,
  type EventChange,
  ignoredIsNotable,
  ignoredLine,
  statusText,
  ukWhen,
} from '../../src/core/calendar-change';
import { cancelLesson, decline, endLesson, noteMove } from '../../src/core/lesson';
import {
  cancelledLesson,
  closedLesson,
  END,
  endedLesson,
  min,
  openLesson,
  SECOND,
  SETTINGS,
  START,
  scheduledLesson,
  sharedLesson,
  TEACHER,
} from './lesson-factory';

const TZ = 'Europe/London';
const DAY = min(24 * 60);
const OTHER_TEACHER = 'mr.other@school.example';

function change(overrides: Partial<EventChange> = {}): EventChange {
  return {
    lessonId: '',
    eventId: 'event-1',
    cancelled: false,
    start: START,
    end: END,
    guests: [],
    ...overrides,
  };
}

const ctx = (now: number) => ({ now, settings: SETTINGS, otherLessonStarts: [] as number[] });

describe('which changes count (R1)', () => {
  const lessons = [scheduledLesson()];

  it('counts the lesson’s own event on its own teacher’s calendar', () => {
    expect(claimChange(lessons, TEACHER, change({ cancelled: true }))).toEqual({
      kind: 'own',
      lesson: lessons[0],
    });
  });

  it('does not count the second adult’s copy, which has the same event id', () => {
    expect(claimChange(lessons, SECOND, change({ cancelled: true }))).toEqual({
      kind: 'ignored',
      lessonId: lessons[0]!.id,
      why: 'second-adult-copy',
    });
  });

  it('does not count the event id copied onto another teacher’s calendar', () => {
    expect(claimChange(lessons, OTHER_TEACHER, change({ cancelled: true }))).toMatchObject({
      kind: 'ignored',
      why: 'event-id-on-another-calendar',
    });
  });

  it('does not count a forged tag naming the lesson on another teacher’s calendar', () => {
    const forged = change({ eventId: 'forged-1', lessonId: lessons[0]!.id, start: START + DAY });
    expect(claimChange(lessons, OTHER_TEACHER, forged)).toMatchObject({
      kind: 'ignored',
      why: 'tag-on-another-calendar',
    });
  });

  it('does not count a second event on the teacher’s own calendar carrying the tag', () => {
    const copy = change({ eventId: 'duplicate-1', lessonId: lessons[0]!.id });
    expect(claimChange(lessons, TEACHER, copy)).toMatchObject({
      kind: 'ignored',
      why: 'tag-on-another-event',
    });
  });

  it('ignores events that have nothing to do with lessons', () => {
    expect(claimChange(lessons, TEACHER, change({ eventId: 'dentist' }))).toEqual({
      kind: 'unrelated',
    });
  });

  it('logs an echo of the lesson on the second adult’s calendar only when it was removed or moved', () => {
    const same = change();
    const claim = claimChange(lessons, SECOND, same);
    expect(ignoredIsNotable(claim, same, lessons)).toBe(false);
    expect(ignoredIsNotable(claim, change({ cancelled: true }), lessons)).toBe(true);
  });

  it('writes log lines with the lesson id and no one’s address (R20)', () => {
    const line = ignoredLine('L-1', 'tag-on-another-calendar');
    expect(line).toContain('L-1');
    expect(line).not.toMatch(/@/);
  });
});

describe('an event deleted (R1, R10)', () => {
  it('cancels a lesson whose room has not opened', () => {
    const d = decideChange(scheduledLesson(), change({ cancelled: true }), ctx(START - min(60)));
    expect(d.kind).toBe('cancelled-before-open');
    expect(d.kind === 'cancelled-before-open' && d.lesson.status).toBe('cancelled');
  });

  it('ends an open lesson at once and tells the teacher and SLT, in words', () => {
    const before = sharedLesson();
    const d = decideChange(before, change({ cancelled: true }), ctx(START + min(10)));
    expect(d).toMatchObject({
      kind: 'cancelled-during',
      lesson: { status: 'open', cancelledAt: START + min(10) },
    });
    const [message] = changeMessages(before, d, SETTINGS);
    expect(message!.to).toEqual([TEACHER, ...SETTINGS.sltEmails]);
    expect(message!.body).toContain('deleted at 10:10, while its room was open');
    expect(message!.body).toContain('attendance is taken');
  });

  it('only notes a deletion after the lesson ended, and tells nobody', () => {
    const before = closedLesson();
    const d = decideChange(before, change({ cancelled: true }), ctx(END + min(60)));
    expect(d).toMatchObject({ kind: 'cancelled-after', lesson: { status: 'closed' } });
    expect(changeMessages(before, d, SETTINGS)).toEqual([]);
    expect(decisionLine(before.id, d)).toContain('after the lesson ended');
  });

  it('does nothing twice: a deletion seen again is no change', () => {
    const once = cancelLesson(openLesson(), START);
    expect(decideChange(once, change({ cancelled: true }), ctx(START + min(1)))).toEqual({
      kind: 'none',
    });
    expect(
      decideChange(cancelledLesson(), change({ cancelled: true }), ctx(START - min(1))),
    ).toEqual({ kind: 'none' });
  });
});

describe('an event moved (R1, R4, R10)', () => {
  it('before the room opens, the lesson follows and SLT and the approver who agreed are told, flags and all', () => {
    const before = scheduledLesson();
    // Sat 28 Nov, 10:00.
    const saturday = change({ start: START + 5 * DAY, end: END + 5 * DAY });
    const d = decideChange(before, saturday, ctx(START - DAY));
    expect(d).toMatchObject({ kind: 'moved', lesson: { start: START + 5 * DAY } });
    expect(d.kind === 'moved' && d.lesson.flags.map((f) => f.code)).toContain(
      'outside-lesson-hours',
    );
    const [message] = changeMessages(before, d, SETTINGS);
    expect(message!.to).toEqual([...SETTINGS.sltEmails, 'head@school.example']);
    expect(message!.body).toContain('from Mon 23 Nov, 10:00–10:30 to Sat 28 Nov');
    expect(message!.body).toContain(
      'It was approved by head@school.example for Mon 23 Nov, 10:00–10:30.',
    );
    expect(message!.body).toContain('outside normal lesson hours');
  });

  it('a declined lesson moved before its room opens awaits approval again, and the approvers are asked (R2)', () => {
    const before = decline(
      scheduledLesson(),
      'head@school.example',
      'make it Tuesday',
      START - DAY,
    );
    const tuesday = change({ start: START + DAY, end: END + DAY });
    const d = decideChange(before, tuesday, ctx(START - DAY));
    expect(d).toMatchObject({
      kind: 'moved',
      lesson: { start: START + DAY, approval: { state: 'pending' } },
    });
    const [message] = changeMessages(before, d, SETTINGS);
    expect(message!.to).toEqual([...SETTINGS.sltEmails, ...SETTINGS.approvers]);
    expect(message!.body).toContain(
      'It had been declined by head@school.example (make it Tuesday), so it awaits approval again at the new time',
    );
  });

  it('before the room opens, a move into the past is not followed; teacher and SLT told what to do', () => {
    const before = scheduledLesson();
    const past = change({ start: START - DAY, end: END - DAY });
    const d = decideChange(before, past, ctx(START - min(120)));
    expect(d).toMatchObject({ kind: 'move-refused', lesson: { start: START, end: END } });
    const [message] = changeMessages(before, d, SETTINGS);
    expect(message!.to).toEqual([TEACHER, ...SETTINGS.sltEmails]);
    expect(message!.body).toContain('That time has already passed');
    expect(message!.body).toContain('still takes place at Mon 23 Nov, 10:00–10:30');
    expect(message!.body).toContain('move the event back');
    // The same refused move seen again tells nobody twice.
    const again = decideChange(d.kind === 'move-refused' ? d.lesson : before, past, ctx(START));
    expect(again).toEqual({ kind: 'none' });
  });

  it('a move refused before the room opened is not taken for a new move when the event is read again', () => {
    const past = change({ start: START - DAY, end: END - DAY });
    const refused = decideChange(scheduledLesson(), past, ctx(START - min(120)));
    if (refused.kind !== 'move-refused') throw new Error(refused.kind);
    const opened = { ...sharedLesson(), refusedMove: refused.lesson.refusedMove };
    expect(decideChange(opened, past, ctx(START - min(8)))).toEqual({ kind: 'none' });
  });

  it('after the room opens, keeps the running times and says so in words', () => {
    const before = sharedLesson();
    const later = change({ start: START + min(60), end: END + min(60) });
    const d = decideChange(before, later, ctx(START - min(5)));
    expect(d).toMatchObject({
      kind: 'move-while-open',
      lesson: { start: START, end: END, attemptedMove: { start: START + min(60) } },
    });
    const [message] = changeMessages(before, d, SETTINGS);
    expect(message!.to).toEqual([TEACHER, ...SETTINGS.sltEmails]);
    expect(message!.body).toContain('keeps its running times');
    expect(message!.body).toContain('at 10:25');
    expect(message!.body).toContain('at 10:32');
    expect(message!.body).toContain('schedule a new lesson');
  });

  it('after the room opens, an earlier end is kept to, and the message gives the new clock', () => {
    const before = sharedLesson();
    const earlier = change({ start: START - min(15), end: END - min(15) });
    const d = decideChange(before, earlier, ctx(START - min(5)));
    const [message] = changeMessages(before, d, SETTINGS);
    expect(message!.body).toContain('ends on the new clock');
    expect(message!.body).toContain('at 10:10');
    expect(message!.body).toContain('at 10:17');
  });

  it('a move back to the lesson’s times clears the attempt and the lesson runs to them', () => {
    const moved = noteMove(sharedLesson(), {
      start: START - min(15),
      end: END - min(15),
      at: START - min(5),
    });
    const d = decideChange(moved, change(), ctx(START));
    expect(d.kind).toBe('moved-back');
    expect(d.kind === 'moved-back' && 'attemptedMove' in d.lesson).toBe(false);
  });

  it('after the lesson ended, a move is only noted', () => {
    const before = endedLesson();
    const d = decideChange(before, change({ start: START + DAY, end: END + DAY }), ctx(END + 5));
    expect(d.kind).toBe('moved-after');
    expect(changeMessages(before, d, SETTINGS)).toEqual([]);
  });
});

describe('a deleted event restored', () => {
  it('brings back a lesson cancelled before its room opened, and tells SLT and the teacher', () => {
    const before = cancelledLesson();
    const d = decideChange(before, change(), ctx(START - min(50)));
    expect(d).toMatchObject({ kind: 'restored', lesson: { status: 'scheduled' } });
    expect(changeMessages(before, d, SETTINGS)[0]!.subject).toContain('restored');
  });

  it('does not reopen a lesson already ended because its event was deleted; the teacher is told once', () => {
    const before = cancelLesson(sharedLesson(), START + min(10));
    const d = decideChange(before, change(), ctx(START + min(11)));
    expect(d.kind).toBe('restore-refused');
    const [message] = changeMessages(before, d, SETTINGS);
    expect(message!.to).toEqual([TEACHER]);
    expect(message!.body).toContain('schedule a new one');
    const again = decideChange(
      d.kind === 'restore-refused' ? d.lesson : before,
      change(),
      ctx(START + min(12)),
    );
    expect(again).toEqual({ kind: 'none' });
  });
});

describe('the Sessions row Status (R18)', () => {
  it('says "cancelled during the lesson" on a lesson closed after its event was deleted mid-call', () => {
    const ended = endLesson(cancelLesson(sharedLesson(), START + min(10)), START + min(11));
    expect(statusText(ended, TZ)).toBe(
      'ended (cancelled during the lesson: event deleted at 10:10)',
    );
  });

  it('tells a deletion after the lesson from one during it', () => {
    const d = decideChange(closedLesson(), change({ cancelled: true }), ctx(END + min(60)));
    expect(d.kind === 'cancelled-after' && statusText(d.lesson, TZ)).toBe(
      'closed (event deleted in Calendar after the lesson, at 11:30)',
    );
  });

  it('records an attempted move and the times kept', () => {
    const moved = noteMove(sharedLesson(), {
      start: START + min(60),
      end: END + min(60),
      at: START - min(5),
    });
    expect(statusText(moved, TZ)).toBe(
      'open (event moved to Mon 23 Nov, 11:00–11:30 after the room opened: kept 10:00–10:30)',
    );
  });

  it('keeps a plain status for an ordinary lesson, and plain "cancelled" for the dashboard', () => {
    expect(statusText(closedLesson(), TZ)).toBe('closed');
    expect(statusText(cancelledLesson(), TZ)).toBe('cancelled');
  });

  it('writes dates as a UK teacher does, and says so when an event has no time', () => {
    expect(ukWhen({ start: START, end: END }, TZ)).toBe('Mon 23 Nov, 10:00–10:30');
    expect(ukWhen({ start: Number.NaN, end: Number.NaN }, TZ)).toBe(
      'no set time (an all-day event)',
    );
  });
});
