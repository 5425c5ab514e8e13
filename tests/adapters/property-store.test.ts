// The lesson store in script properties: a closed lesson's attendance is kept in chunks
// beside it until logged, and those chunks must not outlive it (the store holds 500 KB).

import { encodeLesson } from '../../src/adapters/lesson-codec';
import { LESSONS_CAP, PropertyLessonStore } from '../../src/adapters/property-store';
import { markLogged } from '../../src/core/lesson';
import type { AttendanceEntry } from '../../src/core/lesson-report';
import {
  closedLesson,
  emptyReport,
  min,
  START,
  scheduledLesson,
  sharedLesson,
} from '../core/lesson-factory';
import { SimKernel } from '../sim/kernel/kernel';
import { SimProperties } from '../sim/services/properties';

function storeOnSim() {
  const kernel = new SimKernel({ start: Date.UTC(2026, 10, 23), domain: 'school.example' });
  const properties = new SimProperties(kernel);
  const store = kernel.runExecution(
    { user: 'automation@school.example', kind: 'trigger', functionName: 't' },
    () => new PropertyLessonStore(properties.global().getScriptProperties(), () => kernel.now()),
  ).value!;
  const run = <T>(fn: () => T): T => {
    const result = kernel.runExecution(
      { user: 'automation@school.example', kind: 'trigger', functionName: 't' },
      fn,
    );
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  return { store, run, keys: () => Object.keys(properties.scriptStore()), properties, kernel };
}

const pupils: AttendanceEntry[] = Array.from({ length: 120 }, (_, i) => ({
  key: `users/${i}`,
  name: `Pupil with a fairly long name number ${i}`,
  role: 'pupil',
  firstJoined: null,
  lastLeft: null,
  minutes: 0,
  consent: 'given',
}));

describe('the lesson store', () => {
  it('keeps a big attendance in chunks and gives it back whole', () => {
    const { store, run, keys } = storeOnSim();
    const lesson = closedLesson({}, emptyReport({ attendance: pupils }));
    run(() => store.put(lesson));
    expect(keys().filter((k) => k.startsWith('att:')).length).toBeGreaterThan(1);
    const back = run(() => store.get(lesson.id));
    expect(back?.status === 'closed' && back.report.attendance).toEqual(pupils);
  });

  it('drops the attendance chunks once the lesson is logged, so they do not fill the store', () => {
    const { store, run, keys } = storeOnSim();
    const lesson = closedLesson({}, emptyReport({ attendance: pupils }));
    run(() => store.put(lesson));
    const logged = markLogged(run(() => store.get(lesson.id))!, lesson.version);
    run(() => store.put(logged));
    expect(keys().filter((k) => k.startsWith('att:'))).toEqual([]);
    expect(run(() => store.get(lesson.id))?.loggedVersion).toBe(lesson.version);
  });

  it('lets closed and logged lessons go once lessons grow past their share of the store, keeping every running one', () => {
    const { store, run, keys } = storeOnSim();
    const lessonKeys = () => keys().filter((k) => k.startsWith('lesson:'));
    const running = Array.from({ length: 150 }, (_, i) =>
      sharedLesson({ id: `L-20261123-run${i}`, title: `Running lesson ${i} ${'x'.repeat(400)}` }),
    );
    run(() => store.putMany(running));
    // A day's lessons close and are logged; each record then grows (its report), which the
    // store lets through, as it must for lessons it already holds.
    const done = Array.from({ length: 250 }, (_, i) => {
      const closed = closedLesson({ id: `L-20261120-done${i}`, title: `Done ${i}` });
      return markLogged(closed, closed.version);
    });
    run(() => store.putMany(done));
    for (const l of done) run(() => store.put({ ...l, title: `${l.title} ${'y'.repeat(600)}` }));
    const sizes = run(() => store.usage());
    expect(sizes.lessons.bytes).toBeLessThanOrEqual(LESSONS_CAP + 2_000);
    // Room is left for the rest (mail queue, leases, incidents): well under the 500 KB.
    expect(sizes.bytes).toBeLessThan(400_000);
    for (const l of running) expect(lessonKeys()).toContain(`lesson:${l.id}`);
  });

  it('removes a lesson with its chunks', () => {
    const { store, run, keys } = storeOnSim();
    const lesson = closedLesson({}, emptyReport({ attendance: pupils }));
    run(() => store.put(lesson));
    run(() => store.remove(lesson.id));
    expect(keys().filter((k) => k.startsWith('att:') || k.startsWith('lesson:'))).toEqual([]);
  });
});

describe('lessons scheduled days ahead (a full-size school plans its week)', () => {
  const DAY = 24 * 60;
  /** One of a 100-teacher school's lessons, `days` from the store's Monday 00:00 start. */
  const ahead = (i: number, days: number) =>
    scheduledLesson({
      id: `L-2026112${days}-${i.toString(36).padStart(6, '0')}`,
      teacher: `teacher${i % 100}@school.example`,
      courseId: String(600_000_000_000 + (i % 100)),
      courseName: `Year ${7 + (i % 5)} Set ${i % 100}`,
      title: `Period ${1 + (i % 6)}`,
      start: START + min(DAY * days + 60 * (i % 6)),
      end: START + min(DAY * days + 60 * (i % 6) + 30),
      calendarEventId: `evt${i.toString(36)}${'0'.repeat(20)}`,
    });
  /**
   * A week of six periods for 100 teachers from tomorrow, put one by one until the store
   * refuses one (as teachers would schedule them): the lessons it admitted.
   */
  function fillWeek(store: PropertyLessonStore, run: <T>(fn: () => T) => T) {
    const week = Array.from({ length: 3_000 }, (_, i) => ahead(i, 1 + Math.floor(i / 600)));
    const admitted: typeof week = [];
    for (const l of week) {
      try {
        run(() => store.put(l));
      } catch (error) {
        expect((error as Error).message).toMatch(/The lesson store is full/);
        break;
      }
      admitted.push(l);
    }
    return admitted;
  }

  it('admits more than three school days ahead (one record each: 745), packing lessons more than a day ahead, and gives every one back', () => {
    const { store, run, keys } = storeOnSim();
    const today = Array.from({ length: 50 }, (_, i) => ahead(10_000 + i, 0));
    for (const l of today) run(() => store.put(l));
    const week = fillWeek(store, run);
    expect(week.length).toBeGreaterThan(3 * 600);
    const all = run(() => store.all());
    expect(all.map((l) => l.id).sort()).toEqual([...today, ...week].map((l) => l.id).sort());
    const last = week.at(-1)!;
    expect(all.find((l) => l.id === last.id)).toEqual(last);
    const usage = run(() => store.usage());
    expect(usage.lessons.count).toBe(today.length + week.length);
    // Checked before each new lesson is written; a packed lesson's change may grow its pack a little.
    expect(usage.lessons.bytes).toBeLessThanOrEqual(LESSONS_CAP + 2_000);
    expect(keys().some((k) => k.startsWith('ahead:'))).toBe(true);
    // Today's lessons (within a day) are never packed: each is stored on its own.
    for (const l of today) expect(keys()).toContain(`lesson:${l.id}`);
  });

  it('reads, changes and removes a packed lesson as any other, and a claimed one leaves its pack', () => {
    const { store, run, keys } = storeOnSim();
    const week = fillWeek(store, run);
    const packedIds = week.filter((l) => !keys().includes(`lesson:${l.id}`)).map((l) => l.id);
    expect(packedIds.length).toBeGreaterThan(1_000);
    const [a, b, c] = packedIds.map((id) => week.find((l) => l.id === id)!);
    expect(run(() => store.get(a!.id))).toEqual(a);
    // Approved, still far ahead: it stays packed, with the change.
    const approved = {
      ...a!,
      approval: { state: 'approved' as const, by: 'head@school.example', at: START },
    };
    run(() => store.put(approved));
    expect(keys()).not.toContain(`lesson:${a!.id}`);
    expect(run(() => store.get(a!.id))).toEqual(approved);
    // Claimed by a run: stored on its own, and no stale copy is left in a pack.
    const leased = { ...b!, lease: { owner: 'run-1', until: START + min(10) } };
    run(() => store.putMany([leased]));
    expect(keys()).toContain(`lesson:${b!.id}`);
    run(() => store.remove(b!.id));
    expect(run(() => store.get(b!.id))).toBeUndefined();
    expect(run(() => store.all()).some((l) => l.id === b!.id)).toBe(false);
    // Removed while packed: gone for good.
    run(() => store.remove(c!.id));
    expect(run(() => store.all()).some((l) => l.id === c!.id)).toBe(false);
    expect(run(() => store.all())).toHaveLength(week.length - 2);
  });

  it('reads a lesson packed and also stored alone (a run killed mid-pack) as the one stored alone', () => {
    const { store, run, keys, properties } = storeOnSim();
    const week = fillWeek(store, run);
    const packed = week.find((l) => !keys().includes(`lesson:${l.id}`))!;
    const newer = { ...packed, title: 'Moved by the teacher', version: packed.version + 1 };
    const props = properties.global().getScriptProperties();
    run(() => props.setProperty(`lesson:${packed.id}`, encodeLesson(newer)));
    expect(run(() => store.get(packed.id))).toEqual(newer);
    expect(run(() => store.all()).filter((l) => l.id === packed.id)).toEqual([newer]);
  });
});
