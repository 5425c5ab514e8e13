// Many lesson records in one script property: what goes into a pack comes back as it was, and
// no pack outgrows what a property may hold.

import { decodeLesson, encodeLesson } from '../../src/adapters/lesson-codec';
import {
  MAX_PACK_CHARS,
  packRecords,
  packsOf,
  unpackRecords,
} from '../../src/adapters/lesson-packs';
import { flag } from '../../src/core/flags';
import { min, START, scheduledLesson } from '../core/lesson-factory';

const DAY = 24 * 60;

/** A week of one school's lessons, as they differ: teachers, classes, titles, flags, approvals. */
function week(count: number) {
  return Array.from({ length: count }, (_, i) =>
    scheduledLesson({
      id: `L-2026113${i % 5}-${i.toString(36).padStart(6, '0')}`,
      courseId: String(600_000_000_000 + (i % 100)),
      courseName: `Year ${7 + (i % 5)} Set ${i % 100}`,
      teacher: `teacher${i % 100}@school.example`,
      teacherUserId: String(100_000 + (i % 100)),
      title: i % 7 === 0 ? `=IMPORTRANGE("x","y") ${i}` : `Period ${1 + (i % 6)}: “quotes” ${i}`,
      start: START + min(DAY * (1 + (i % 5)) + 60 * (i % 6)),
      end: START + min(DAY * (1 + (i % 5)) + 60 * (i % 6) + 30),
      calendarEventId: `evt${i.toString(36)}${'0'.repeat(20)}`,
      approval: i % 3 === 0 ? { state: 'pending' } : { state: 'auto' },
      flags: i % 4 === 0 ? [flag('outside-hours' as never, 'Starts before lesson hours.')] : [],
    }),
  );
}

describe('a pack of lessons', () => {
  it('gives back every record exactly as the codec wrote it, absent and null fields included', () => {
    const lessons = week(40);
    lessons[3] = { ...lessons[3]!, secondStaff: null, secondStaffUserId: null, coTeachers: [] };
    const { coTeachers: _dropped, ...withoutCoTeachers } = lessons[5]!;
    const records = [...lessons.map((l) => encodeLesson(l)), encodeLesson(withoutCoTeachers)];
    const back = unpackRecords(packRecords(records));
    expect(back.map((r) => decodeLesson(r))).toEqual(records.map((r) => decodeLesson(r)));
  });

  it('splits a week of a school’s lessons into packs that each fit a property', () => {
    const records = week(600).map((l) => encodeLesson(l));
    const packs = packsOf(records).map((p) => p.value);
    for (const p of packs) expect(p.length).toBeLessThanOrEqual(MAX_PACK_CHARS);
    expect(packs.flatMap(unpackRecords)).toEqual(records.map((r) => encodeLesson(decodeLesson(r))));
    // Packed, a lesson takes about half the room its record takes alone on this week, whose
    // every title differs (53% when written); timetable-like titles pack to about a third
    // (tests/adapters/property-store.test.ts: 2,169 lessons where 745 fitted alone).
    const alone = records.reduce((n, r) => n + r.length, 0);
    const packed = packs.reduce((n, p) => n + p.length, 0);
    expect(packed).toBeLessThan(0.6 * alone);
  });

  it('refuses what it could not give back, and says a damaged pack cannot be read', () => {
    expect(() => packRecords(['1[1,2]'])).toThrow(/objects/);
    expect(() => packRecords(['1{}', '2{}'])).toThrow(/versions/);
    expect(() => unpackRecords('not a pack')).toThrow(/not a pack/);
    expect(() => unpackRecords('P1:{"v":')).toThrow();
  });
});
