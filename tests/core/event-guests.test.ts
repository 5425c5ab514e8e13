// R5, R7: a lesson's Calendar event with guests who are not its staff keeps the room link off it.

import { noteEventGuests, outsideGuests } from '../../src/core/event-guests';
import { dueActions } from '../../src/core/lifecycle-plan';
import { openLesson, SECOND, SETTINGS, START, scheduledLesson, TEACHER } from './lesson-factory';

describe('guests of a lesson’s event who are not its staff (R5, R7)', () => {
  const lesson = {
    ...scheduledLesson(),
    coTeachers: [{ userId: 'u-co', name: 'Co Teacher', email: 'co.teacher@school.example' }],
  };
  const leads = ['head@school.example'];

  it('counts everyone but the teacher, the second adult, the co-teachers and the school’s leads, once each and whatever the case', () => {
    expect(
      outsideGuests(
        lesson,
        [TEACHER, SECOND.toUpperCase(), 'co.teacher@school.example', 'head@school.example'],
        leads,
      ),
    ).toBe(0);
    expect(
      outsideGuests(
        lesson,
        [SECOND, 'pupil@school.example', 'PUPIL@school.example', 'class-7b@school.example'],
        leads,
      ),
    ).toBe(2);
  });

  it('flags the lesson once guests come, keeps the flag when they go, and changes nothing when nothing changed', () => {
    const flagged = noteEventGuests(lesson, 2);
    expect(flagged.eventGuests).toBe(2);
    expect(flagged.version).toBe(lesson.version + 1);
    expect(flagged.flags.filter((f) => f.code === 'event-guests')).toHaveLength(1);
    expect(noteEventGuests(flagged, 2)).toBe(flagged);
    const gone = noteEventGuests(flagged, 0);
    expect(gone.eventGuests).toBeUndefined();
    expect(gone.flags.map((f) => f.code)).toContain('event-guests');
    expect(noteEventGuests(lesson, 0)).toBe(lesson);
  });

  it('has the monitor take a link already on the event off it, and put none on while the guests stay', () => {
    const open = openLesson();
    const at = START - 5 * 60_000;
    const shown = { ...open, roomShownAt: at - 60_000 };
    expect(dueActions({ ...shown, eventGuests: 1 }, at, SETTINGS)).toContain('show-room-link');
    expect(dueActions(shown, at, SETTINGS)).not.toContain('show-room-link');
    expect(dueActions({ ...open, roomShownAt: null, eventGuests: 1 }, at, SETTINGS)).not.toContain(
      'show-room-link',
    );
    expect(dueActions({ ...open, roomShownAt: null }, at, SETTINGS)).toContain('show-room-link');
  });
});
