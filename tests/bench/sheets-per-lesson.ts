import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';

const MONDAY = Date.UTC(2026, 10, 23);
const at = (hh: number, mm = 0) => MONDAY + (hh * 60 + mm) * MIN;
const school = new DeployedSchool({ teachers: 1, pupilsPerCourse: 25, start: at(7) });
const { ws } = school;
const table = new Timetable(school);
const byExec: Record<string, Record<string, number>> = {};
const add = (name: string, snap: Record<string, number>) => {
  for (const [k, v] of Object.entries(snap))
    if (k.startsWith('sheets.')) {
      byExec[name] ??= {};
      byExec[name][k] = (byExec[name][k] ?? 0) + v;
    }
};
const advance = school.advance.bind(school);
school.advance = (ms, onRun) =>
  advance(ms, (name, result) => {
    add(name, result.execution.calls.snapshot());
    const n = result.execution.calls.count('sheets');
    if (n > 0 && name !== 'hourlyHousekeeping' && name !== 'purgeRecordings') {
      const l = school.lessons()[0] as any;
      console.log(
        new Date(ws.now()).toISOString(),
        name,
        n,
        l?.status,
        l?.version,
        l?.loggedVersion,
        l?.logMark,
        JSON.stringify(l?.flags?.map((f: any) => f.code)),
      );
    }
    onRun?.(name, result);
  });
const before = ws.kernel.calls.snapshot();
table.add({
  course: school.school.courses[0]!,
  title: 'Bench',
  start: at(10),
  minutes: 30,
  teacherJoins: -3,
  pupils: school.school.courses[0]!.pupils,
  intruder: null,
});
const after = ws.kernel.calls.snapshot();
add(
  'scheduling',
  Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)])),
);
table.runUntil(at(11, 30));
for (const [n, m] of Object.entries(byExec))
  console.log(
    n,
    Object.values(m).reduce((a, b) => a + b, 0),
    JSON.stringify(m),
  );
