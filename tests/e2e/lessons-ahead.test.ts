// A full-size school plans its week (issue 8: "a school whose every teacher schedules the next
// week at once"): 3,000 lessons, three times what the script-properties store holds one record
// each. Lessons more than a day ahead are packed many to a property once lessons pass 70% of
// their share, so teachers are not refused and the admin is not warned; a packed lesson is
// changed in Calendar and runs on its day as any other. (How many the store admits is measured
// by `npm run bench`; the packing itself by tests/adapters/property-store.test.ts.)

import { decodeLesson } from '../../src/adapters/lesson-codec';
import { unpackRecords } from '../../src/adapters/lesson-packs';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { postLives } from './in-call-kit';
import { roomLink, scheduleFor, teacherJoinsAndShares } from './scenario-kit';

const DAY = 24 * 60 * MIN;

/** Where the store keeps a lesson now: on its own, in a pack, or nowhere. */
function keptAs(school: DeployedSchool, id: string): 'alone' | 'packed' | 'missing' {
  const store = school.ws.properties.scriptStore();
  if (store[`lesson:${id}`]) return 'alone';
  const packed = Object.entries(store)
    .filter(([k]) => k.startsWith('ahead:'))
    .flatMap(([, v]) => unpackRecords(v))
    .some((r) => decodeLesson<{ id: string }>(r).id === id);
  return packed ? 'packed' : 'missing';
}

describe('a school that schedules days ahead (issue 8)', () => {
  it('admits lessons past the store’s one-record-each size, warns nobody, and runs a packed lesson on its day', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    // Tuesday 10:00, 27 hours ahead: the teacher's real lesson.
    const tuesday = scheduleFor(school, { title: 'Phonics', start: monday(10) + DAY });
    school.advanceTo(monday(8, 5)); // logged and told to SLT
    // The rest of the school has scheduled next week: records of the store's plain-JSON form
    // (copies of that lesson, with long titles: fewer than are packed at once), until lessons fill
    // 80% of their share.
    const template = school.lesson(tuesday.lessonId);
    const ahead: Record<string, string> = {};
    let bytes = 0;
    for (let i = 0; bytes < 290_000; i++) {
      const id = `L-ahead-${String(i).padStart(4, '0')}`;
      const start = monday(9) + 7 * DAY + (i % 5) * DAY + Math.floor(i / 5) * MIN;
      const title = `Next week ${i} ${'revision of the whole unit '.repeat(70)}`;
      const value = JSON.stringify({ ...template, id, title, start, end: start + 30 * MIN });
      ahead[`lesson:${id}`] = value;
      bytes += `lesson:${id}`.length + value.length;
    }
    ws.properties.seedScript(ahead);
    expect(keptAs(school, tuesday.lessonId)).toBe('alone');

    // Another teacher schedules: admitted, and the lessons furthest ahead are packed.
    const other = scheduleFor(school, { course: 1, title: 'Fractions', start: monday(15) });
    expect(other.lessonId).toBeTruthy();
    expect(keptAs(school, tuesday.lessonId)).toBe('packed');
    expect(keptAs(school, 'L-ahead-0000')).toBe('packed');
    expect(keptAs(school, other.lessonId)).toBe('alone');
    const lessonBytes = Object.entries(ws.properties.scriptStore())
      .filter(([k]) => /^(lesson|ahead|att):/.test(k))
      .reduce((n, [k, v]) => n + k.length + v.length, 0);
    expect(lessonBytes).toBeLessThan(0.7 * 360_000);

    // The teacher moves the packed lesson by 30 minutes in Calendar: the move is followed.
    const teacher = tuesday.course.teacher.email;
    const event = ws.calendar.events(teacher).find((e) => e.summary?.includes('Phonics'))!;
    const moved = ws.kernel.runExecution(
      { user: teacher, kind: 'editor', functionName: 'calendarUi' },
      () =>
        ws.calendar.advancedService().Events.patch(
          {
            start: { dateTime: new Date(monday(10, 30) + DAY).toISOString() },
            end: { dateTime: new Date(monday(11) + DAY).toISOString() },
          },
          'primary',
          event.id!,
        ),
    );
    expect(moved.ok).toBe(true);
    school.advanceTo(monday(9) + DAY);
    expect(String(school.sessionRow(tuesday.lessonId)?.Start)).toContain('10:30');

    // On its day it runs as any other: room, link once the teacher is in, withdrawn, closed.
    school.advanceTo(monday(10, 25) + DAY);
    expect(roomLink(school, tuesday)).toMatch(/^https:\/\/meet\.google\.com\//);
    teacherJoinsAndShares(school, tuesday);
    expect(postLives(school, tuesday.course.id)).toHaveLength(1);
    school.advanceTo(monday(11, 45) + DAY);
    expect(postLives(school, tuesday.course.id)[0]!.deleted).not.toBeNull();
    expect(school.sessionRow(tuesday.lessonId)?.Status).toBe('closed');
    // Nobody was told the store is filling.
    expect(school.mailTo(slt).filter((m) => /store/.test(m.subject))).toEqual([]);
  });
});
