// The lesson store in script properties: a closed lesson's attendance is kept in chunks
// beside it until logged, and those chunks must not outlive it (the store holds 500 KB).

import { PropertyLessonStore } from '../../src/adapters/property-store';
import { markLogged } from '../../src/core/lesson';
import type { AttendanceEntry } from '../../src/core/lesson-report';
import { closedLesson, emptyReport } from '../core/lesson-factory';
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

  it('removes a lesson with its chunks', () => {
    const { store, run, keys } = storeOnSim();
    const lesson = closedLesson({}, emptyReport({ attendance: pupils }));
    run(() => store.put(lesson));
    run(() => store.remove(lesson.id));
    expect(keys().filter((k) => k.startsWith('att:') || k.startsWith('lesson:'))).toEqual([]);
  });
});
