import { DeployedSchool, MIN } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';

const at = (hh: number, mm = 0) => Date.UTC(2026, 10, 23) + (hh * 60 + mm) * MIN;
const school = new DeployedSchool({ teachers: 3, pupilsPerCourse: 25, start: at(7) });
const table = new Timetable(school);
for (const course of school.school.courses)
  table.add({
    course,
    title: 'L',
    start: at(10),
    minutes: 30,
    teacherJoins: -5,
    pupils: course.pupils,
    intruder: null,
  });
table.runUntil(at(10, 20));
const store = school.ws.properties.scriptStore();
let total = 0;
for (const [k, v] of Object.entries(store)) {
  total += k.length + v.length;
  if (k.startsWith('lesson:')) console.log(k, v.length);
}
console.log('total', total);
const one = Object.entries(store).find(([k]) => k.startsWith('lesson:'))![1];
console.log(one);
