// The lesson store in script properties: a closed lesson's attendance is kept in chunks
// beside it until logged, and those chunks must not outlive it (the store holds 500 KB).

import { LESSONS_CAP, PropertyLessonStore } from '../../src/adapters/property-store';
import { markLogged } from '../../src/core/lesson';
import type { AttendanceEntry } from '../../src/core/lesson-report';
import { closedLesson, emptyReport, sharedLesson } from '../core/lesson-factory';
import { SimKernel } from '../sim/kernel/kernel';
import { SimProperties } from '../sim/services/properties';

function storeOnSim() {
  const kernel = new SimKernel({ start: Date.UTC(2026, 10, 23), domain: 'school.example' });
  const properties = new SimProperties(kernel);
  const store = kernel.runExecution(
    { user: 'automation@school.example', kind: 'trigger', functionName: 't' },
    () => new PropertyLessonStore(properties.global().getScriptProperties()),
  ).value!;
  const run = <T>(fn: () => T) =>
    kernel.runExecution(
      { user: 'automation@school.example', kind: 'trigger', functionName: 't' },
      fn,
    ).value as T;
  return { store, run, keys: () => Object.keys(properties.scriptStore()) };
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

describe('removed pupils to follow up (R23)', () => {
  const mark = {
    incidentId: 'L-1-I1',
    lessonId: 'L-1',
    courseId: 'c1',
    personKey: 'ben@school.example',
    personName: 'Ben Jones',
    at: Date.UTC(2026, 10, 23, 10, 10),
    by: 'ms.teacher@school.example',
  };

  it('clears a mark with who and when, keeps it until the log has it, and clears nothing twice', () => {
    const { store, run, keys } = storeOnSim();
    run(() => store.add(mark));
    const at = Date.UTC(2026, 10, 24, 9, 0);
    expect(run(() => store.clear('L-1-I1', 'SLT@school.example', at, 'sidebar'))).toBe(true);
    expect(run(() => store.open())).toEqual([]);
    expect(run(() => store.cleared())).toEqual([
      { ...mark, clearedBy: 'slt@school.example', clearedAt: at, how: 'sidebar' },
    ]);
    expect(run(() => store.clear('L-1-I1', 'slt@school.example', at, 'sheet'))).toBe(false);
    run(() => store.clearedLogged(['L-1-I1']));
    expect(run(() => store.cleared())).toEqual([]);
    expect(keys().filter((k) => k.startsWith('follow'))).toEqual([]);
  });
});
