// Records waiting for the safeguarding log in script properties: a teacher's lesson-log
// entries and removed pupils to follow up (R15, R23). Nothing is lost or written twice.

import { PropertyFollowUps, PropertyTeacherLogQueue } from '../../src/adapters/property-queues';
import { SimKernel } from '../sim/kernel/kernel';
import { SimProperties } from '../sim/services/properties';

function onSim() {
  const kernel = new SimKernel({ start: Date.UTC(2026, 10, 23), domain: 'school.example' });
  const properties = new SimProperties(kernel);
  const run = <T>(fn: (props: GoogleAppsScript.Properties.Properties) => T): T => {
    const result = kernel.runExecution(
      { user: 'automation@school.example', kind: 'trigger', functionName: 't' },
      () => fn(properties.global().getScriptProperties()),
    );
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  return { run, keys: () => Object.keys(properties.scriptStore()) };
}

describe('teachers’ lesson-log entries waiting for the log', () => {
  const entry = (lessonId: string, at: number) => ({
    lessonId,
    teacher: 'ms.teacher@school.example',
    technologyIssues: '',
    inappropriateBehaviour: '',
    shareWithSlt: 'Went well',
    at,
  });

  it('keeps two entries for one lesson, gives them oldest first, and lets go only those written', () => {
    const { run, keys } = onSim();
    const later = entry('L-1', Date.UTC(2026, 10, 23, 11));
    const earlier = entry('L-1', Date.UTC(2026, 10, 23, 10));
    const other = entry('L-2', Date.UTC(2026, 10, 23, 12));
    run((p) => {
      const queue = new PropertyTeacherLogQueue(p);
      for (const e of [later, earlier, other]) queue.enqueue(e);
    });
    expect(run((p) => new PropertyTeacherLogQueue(p).pending())).toEqual([earlier, later, other]);
    run((p) => new PropertyTeacherLogQueue(p).done([earlier, other]));
    expect(run((p) => new PropertyTeacherLogQueue(p).pending())).toEqual([later]);
    expect(keys().filter((k) => k.startsWith('tlog:'))).toHaveLength(1);
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
    const { run, keys } = onSim();
    const followUps = (fn: (f: PropertyFollowUps) => unknown) =>
      run((p) => fn(new PropertyFollowUps(p)));
    followUps((f) => f.add(mark));
    const at = Date.UTC(2026, 10, 24, 9, 0);
    expect(followUps((f) => f.clear('L-1-I1', 'SLT@school.example', at, 'sidebar'))).toBe(true);
    expect(followUps((f) => f.open())).toEqual([]);
    expect(followUps((f) => f.cleared())).toEqual([
      { ...mark, clearedBy: 'slt@school.example', clearedAt: at, how: 'sidebar' },
    ]);
    expect(followUps((f) => f.clear('L-1-I1', 'slt@school.example', at, 'sheet'))).toBe(false);
    followUps((f) => f.clearedLogged(['L-1-I1']));
    expect(followUps((f) => f.cleared())).toEqual([]);
    expect(keys().filter((k) => k.startsWith('follow'))).toEqual([]);
  });

  it('closes only the marks still open, and says how many', () => {
    const { run } = onSim();
    run((p) => new PropertyFollowUps(p).add(mark));
    expect(run((p) => new PropertyFollowUps(p).close(['L-1-I1', 'L-9-I9']))).toBe(1);
    expect(run((p) => new PropertyFollowUps(p).open())).toEqual([]);
  });
});
