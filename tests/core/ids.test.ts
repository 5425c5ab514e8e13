// Lesson ids: readable in the log, safe in a sheet cell, a Drive name and a Calendar property.

import { isLessonId, lessonId } from '../../src/core/ids';
import { safeCell } from '../../src/core/sheet-safe';
import { zonedInstant } from '../../src/core/time';

const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('lessonId', () => {
  it('names the lesson by its London date and six random characters', () => {
    const start = zonedInstant('2026-11-23', '10:00', 'Europe/London');
    expect(lessonId(start, 'Europe/London', sequence(0))).toBe('L-20261123-aaaaaa');
    expect(lessonId(start, 'Europe/London', sequence(0.9999))).toBe('L-20261123-999999');
  });

  it('uses the school’s date, not UTC’s, for a lesson just after midnight in summer', () => {
    const start = zonedInstant('2026-06-29', '00:30', 'Europe/London');
    expect(lessonId(start, 'Europe/London', sequence(0))).toBe('L-20260629-aaaaaa');
  });

  it('leaves out characters that are easily misread (i, l, o, 0, 1)', () => {
    const start = zonedInstant('2026-11-23', '10:00', 'Europe/London');
    const seen = new Set<string>();
    for (let k = 0; k < 31; k++) {
      for (const c of lessonId(start, 'Europe/London', sequence(k / 31)).slice(11)) seen.add(c);
    }
    expect(seen.size).toBe(31);
    for (const c of ['i', 'l', 'o', '0', '1']) expect(seen.has(c)).toBe(false);
  });

  it('makes ids that pass isLessonId and need no escaping in a sheet', () => {
    const id = lessonId(Date.UTC(2026, 10, 23, 10), 'Europe/London', Math.random);
    expect(isLessonId(id)).toBe(true);
    expect(safeCell(id)).toBe(id);
  });
});

describe('isLessonId', () => {
  it('refuses anything that is not a lesson id', () => {
    expect(isLessonId('L-20261123-k3x9ab')).toBe(true);
    expect(isLessonId('L-20261123-k3x9')).toBe(false);
    expect(isLessonId('L-2026112-k3x9ab')).toBe(false);
    expect(isLessonId('L-20261123-K3X9AB')).toBe(false);
    expect(isLessonId(' L-20261123-k3x9ab')).toBe(false);
    expect(isLessonId('=L-20261123-k3x9ab')).toBe(false);
  });
});
