// `npm run demo`: a school day on the simulated Workspace, end to end through the
// built add-on. Teachers schedule from the sidebar; the automation opens rooms, shares
// links once each teacher is in, withdraws them, ends calls and writes the log. It
// prints each lesson's timeline and the log SLT would open.

import { DeployedSchool, monday } from '../e2e/deployed-school';
import { Timetable } from '../e2e/timetable';

const school = new DeployedSchool({ teachers: 4, pupilsPerCourse: 8, start: monday(7, 30) });
const { ws } = school;
const [a, b, c, d] = school.school.courses as [
  (typeof school.school.courses)[0],
  (typeof school.school.courses)[0],
  (typeof school.school.courses)[0],
  (typeof school.school.courses)[0],
];
const table = new Timetable(school);
const plan = (
  course: typeof a,
  title: string,
  hh: number,
  mm: number,
  extra: Partial<Parameters<Timetable['add']>[0]> = {},
) =>
  table.add({
    course,
    title,
    start: monday(hh, mm),
    minutes: 30,
    teacherJoins: -3,
    pupils: course.pupils.slice(0, 6),
    intruder: null,
    ...extra,
  });

// The office's consent register: every pupil but two has a parent's written consent.
const everyone = school.school.courses.flatMap((course) => course.pupils);
const register = everyone
  .slice(2)
  .map((p) => [p.email, p.name, 'yes', '2026-09-07', school.school.head.email]);
ws.sheets.editAsUser(
  school.school.automation.email,
  school.logId,
  `Consent!A2:E${register.length + 1}`,
  register,
);

plan(a, 'Phonics', 9, 0);
plan(b, 'Times tables', 9, 30, { teacherJoins: 4 });
plan(c, 'Reading circle', 10, 0, { teacherJoins: null });
plan(d, 'Science', 10, 30, { intruder: { anonymous: 'Zoom Bomber' } });
plan(a, 'Spelling catch-up', 11, 0, { pupils: a.pupils.slice(0, 1) });
const moved = plan(b, 'Art', 13, 0);
const cancelled = plan(c, 'Music', 13, 30);
plan(d, 'History', 14, 0, { pupils: d.pupils.slice(0, 7) });

// Morning changes in Calendar: Art moves to 14:30, Music is cancelled.
const eventOf = (lessonId: string | null, teacher: string) =>
  ws.calendar.events(teacher).find((e) => e.extendedProperties?.private?.sllLessonId === lessonId)!;
table.runUntil(monday(8, 0));
const art = eventOf(moved.lessonId, b.teacher.email);
ws.calendar.moveEvent(b.teacher.email, art.id!, new Date(monday(14, 30)), new Date(monday(15, 0)));
moved.start = monday(14, 30);
ws.calendar.cancelEvent(c.teacher.email, eventOf(cancelled.lessonId, c.teacher.email).id!);

table.runUntil(monday(16, 30));

const tz = 'Europe/London';
const fmt = (value: unknown, pattern: Intl.DateTimeFormatOptions) =>
  value instanceof Date
    ? new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...pattern }).format(value)
    : String(value ?? '');
const hhmm = (value: unknown) =>
  value ? fmt(value, { hour: '2-digit', minute: '2-digit' }) : '  -  ';
console.log(
  `\nSafe Live Lessons: a school day at ${school.school.domain} (simulated ${new Date(monday(7, 30)).toDateString()}, ${tz})\n`,
);
console.log('Timeline of each lesson (times from the log):');
console.log(
  'lesson              teacher                      start  opened shared withdrawn ended  status     flags',
);
for (const p of table.lessons) {
  const row = school.sessionRow(p.lessonId ?? '') ?? {};
  const flags = String(row.Flags ?? '')
    .split('\n')
    .filter(Boolean)
    .map((f) => f.split(':')[0])
    .join(', ');
  console.log(
    `${p.title.padEnd(20)}${p.course.teacher.email.padEnd(29)}${hhmm(row.Start)}  ${hhmm(row['Room Opened'])}  ${hhmm(row['Link Shared'])}  ${hhmm(row['Link Withdrawn'])}     ${hhmm(row['Call Ended'])}  ${String(row.Status ?? '?').padEnd(10)} ${flags || '-'}`,
  );
}

console.log('\nThe Sessions sheet SLT open (Appendix A of policy 000, then what the system saw):');
const [header, ...rows] = school.sessions();
const show = [
  'Lesson ID',
  'Session',
  'Date',
  'Other Staff Member Present',
  'Status',
  'Pupils Present',
  'Pupils Absent',
  'Uninvited',
  'External',
  'Serious',
];
const idx = show.map((h) => header!.indexOf(h));
console.log(show.join(' | '));
for (const r of rows) console.log(idx.map((i) => fmt(r[i], { dateStyle: 'medium' })).join(' | '));

const attendance = ws.sheets.table(school.logId, 'Attendance');
const followUps = attendance.filter((r) => String(r[9] ?? '').startsWith('absent')).length;
console.log(
  `\nAttendance sheet: ${attendance.length - 1} rows; ${followUps} absent pupils marked for sensitive follow-up.`,
);
const live = table.lessons.filter(
  (p) =>
    p.lessonId && ws.classroom.allAnnouncements(p.course.id).some((x) => x.state === 'PUBLISHED'),
);
console.log(`Links still on Classroom after the day: ${live.length}.`);
console.log(
  `Emails sent to SLT/DSL: ${ws.mail.outbox().filter((m) => m.to.some((t) => t === school.school.slt.email || t === school.school.dsl.email)).length}.`,
);
console.log(
  `Google calls made by the product: ${ws.kernel.calls.googleCalls()} (${Object.entries(
    ws.kernel.calls.snapshot(),
  )
    .filter(([k]) => k.startsWith('meet.'))
    .reduce((n, [, v]) => n + v, 0)} to Meet).`,
);
