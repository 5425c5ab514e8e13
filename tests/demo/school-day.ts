// `npm run demo`: a school day on the simulated Workspace, end to end through the
// built add-on. Teachers schedule from the sidebar; the automation opens rooms, shares
// links once each teacher is in, withdraws them, ends calls and writes the log. It
// prints each lesson's timeline and the log SLT would open, and says what "Serious" means.

import { FLAG_SEVERITY, type FlagCode } from '../../src/core/flags';
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
// The teacher and the second adult both drop out of Maths at 12:10:05 and never come back.
const dropOut = plan(c, 'Maths', 12, 0);
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

// R21: at 12:10:05 the Maths teacher and the second adult leave the call; the pupils stay.
const dropOutAt = monday(12, 10) + 5_000;
ws.kernel.clock.schedule(dropOutAt, 'Maths staff drop out', () => {
  const room = school.lesson(dropOut.lessonId!).room!;
  ws.meet.leave(c.teacher.email, room.meetingUri);
  ws.meet.leave(c.assistant.email, room.meetingUri);
});

table.runUntil(monday(16, 30));

// ---- What the day left behind, as SLT would read it (presentation only) ----

const tz = 'Europe/London';
const fmt = (value: unknown, pattern: Intl.DateTimeFormatOptions) =>
  value instanceof Date
    ? new Intl.DateTimeFormat('en-GB', { timeZone: tz, ...pattern }).format(value)
    : String(value ?? '');
const hhmm = (value: unknown) =>
  value ? fmt(value, { hour: '2-digit', minute: '2-digit' }) : '  -  ';

/** A column of a fixed-width table; the last column of a table wraps instead of being cut. */
interface Column {
  header: string;
  width: number;
}
const GAP = '  ';
/** Fits text to `width`: padded, or cut with "…" so it never runs into the next column. */
const fitCell = (text: string, width: number) =>
  text.length <= width ? text.padEnd(width) : `${text.slice(0, width - 1)}…`;
/** Splits a comma-separated list into lines of at most `width` characters. */
const wrap = (text: string, width: number): string[] => {
  const lines: string[] = [];
  for (const item of text.split(', ')) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last]!.length + 2 + item.length <= width) lines[last] += `, ${item}`;
    else lines.push(item);
  }
  return lines.length > 0 ? lines : [''];
};
const printTable = (columns: Column[], rows: string[][]) => {
  const fixed = columns.slice(0, -1);
  const last = columns[columns.length - 1]!;
  const indent = ' '.repeat(fixed.reduce((n, c) => n + c.width + GAP.length, 0));
  const line = (cells: string[], lastLines: string[]) => {
    const head = fixed.map((c, i) => fitCell(cells[i] ?? '', c.width)).join(GAP);
    console.log(`${head}${GAP}${lastLines[0] ?? ''}`.trimEnd());
    for (const more of lastLines.slice(1)) console.log(`${indent}${more}`);
  };
  line(
    columns.map((c) => c.header),
    [last.header],
  );
  for (const cells of rows) line(cells, wrap(cells[columns.length - 1] ?? '', last.width));
};

const startOf = (p: (typeof table.lessons)[number]) => {
  const logged = school.sessionRow(p.lessonId ?? '')?.Start;
  return logged instanceof Date ? logged.getTime() : p.start;
};
const staffName = (email: string) => email.replace(`@${school.school.domain}`, '');

// Serious flags are the ones SLT and the DSL must look at; the product's own table says which.
const SERIOUS_MEANS: Partial<Record<FlagCode, string>> = {
  'external-participant': 'an outsider (not on the school domain) joined the call',
  'no-second-staff': 'no second adult (member of staff) was in the call',
  'one-to-one': 'one pupil alone with the staff (a 1:1 lesson)',
  'link-withdraw-late': 'the link was withdrawn late: still on Classroom at the scheduled end',
  'not-recorded': 'no recording when the policy required one',
  incident: 'an incident was reported',
  'staff-absent':
    'pupils were in the call with no member of staff for longer than the school allows',
  'ended-for-safety': 'the product ended the call early (staff gone, or an outsider admitted)',
  'call-not-ended': 'The call could not be ended when it had to be; SLT were told',
  'removed-pupil-joined': 'a pupil removed for behaviour joined before SLT cleared them',
  'one-to-one-in-call': 'one pupil and one adult were alone together in the call',
  'cannot-watch':
    'Google refused the teacher’s account mid-call, so nobody could watch it; the link came down',
};
const seriousCodes = (Object.keys(FLAG_SEVERITY) as FlagCode[]).filter(
  (code) => FLAG_SEVERITY[code] === 'serious',
);

console.log(
  `\nSafe Live Lessons: a school day at ${school.school.domain} (simulated ${new Date(monday(7, 30)).toDateString()}, ${tz})\n`,
);
console.log(
  `Timeline of each lesson, by start time (times from the log; "-" = did not happen; teachers @${school.school.domain}):`,
);
const timeline = [...table.lessons]
  .sort((x, y) => startOf(x) - startOf(y) || x.title.localeCompare(y.title))
  .map((p) => {
    const row = school.sessionRow(p.lessonId ?? '') ?? {};
    const flags = String(row.Flags ?? '')
      .split('\n')
      .filter(Boolean)
      .map((f) => f.split(':')[0]!)
      .map((code) => (FLAG_SEVERITY[code as FlagCode] === 'serious' ? `*${code}` : code))
      .join(', ');
    return [
      p.title,
      staffName(p.course.teacher.email),
      hhmm(row.Start),
      hhmm(row['Room Opened']),
      hhmm(row['Link Shared']),
      hhmm(row['Link Withdrawn']),
      hhmm(row['Call Ended']),
      String(row.Status ?? '?'),
      flags || '-',
    ];
  });
printTable(
  [
    { header: 'lesson', width: 18 },
    { header: 'teacher', width: 14 },
    { header: 'start', width: 5 },
    { header: 'opened', width: 6 },
    { header: 'shared', width: 6 },
    { header: 'withdrawn', width: 9 },
    { header: 'ended', width: 5 },
    { header: 'status', width: 9 },
    { header: 'flags (* = serious)', width: 30 },
  ],
  timeline,
);

console.log(
  '\nThe Sessions sheet SLT open (Appendix A of policy 000, then what the system saw), by start time:',
);
const [header, ...rows] = school.sessions();
const col = (name: string) => header!.indexOf(name);
const sheetRows = [...rows]
  .sort((x, y) => {
    const t = (r: unknown[]) => (r[col('Start')] instanceof Date ? +(r[col('Start')] as Date) : 0);
    return t(x) - t(y);
  })
  .map((r) => [
    String(r[col('Lesson ID')] ?? ''),
    String(r[col('Session')] ?? ''),
    fmt(r[col('Date')], { day: 'numeric', month: 'short' }),
    String(r[col('Other Staff Member Present')] ?? ''),
    String(r[col('Status')] ?? ''),
    String(r[col('Pupils Present')] ?? ''),
    String(r[col('Pupils Absent')] ?? ''),
    String(r[col('Uninvited')] ?? ''),
    String(r[col('External')] ?? ''),
    String(r[col('Serious')] ?? ''),
  ]);
printTable(
  [
    { header: 'Lesson ID', width: 17 },
    { header: 'Session', width: 26 },
    { header: 'Date', width: 6 },
    { header: 'Other staff present', width: 20 },
    { header: 'Status', width: 9 },
    { header: 'Present', width: 7 },
    { header: 'Absent', width: 6 },
    { header: 'Uninvited', width: 9 },
    { header: 'External', width: 8 },
    { header: 'Serious', width: 7 },
  ],
  sheetRows,
);

console.log(
  '\nSerious = yes: the lesson has a flag SLT and the DSL must look at. Its row is highlighted in the log,' +
    '\nSLT are emailed (the DSL too for an outsider or a 1:1) and the next morning digest lists it.' +
    '\nA flag is serious when:',
);
for (const code of seriousCodes) console.log(`  * ${code}: ${SERIOUS_MEANS[code] ?? code}`);
console.log(
  'Other flags (no-consent, host-never-joined, uninvited-participant, ...) are warnings for the log;' +
    '\nthey do not make a lesson Serious.',
);

// What the product did inside the calls (R21, R22): from the log's Flags and the emails sent.
console.log(
  '\nInside the calls: what the product saw and did (times are the school’s, to the second):',
);
const inCallCodes = ['staff-absent', 'ended-for-safety', 'external-participant'];
for (const p of [...table.lessons].sort((x, y) => startOf(x) - startOf(y))) {
  const row = school.sessionRow(p.lessonId ?? '') ?? {};
  const lines = String(row.Flags ?? '')
    .split('\n')
    .filter((f) => inCallCodes.includes(f.split(':')[0]!));
  if (lines.length === 0) continue;
  console.log(`  ${p.title} (${staffName(p.course.teacher.email)}):`);
  for (const a of school.attendance(p.lessonId ?? ''))
    if (a.Role === 'external' || a.Role === 'anonymous')
      console.log(
        `    "${a.Name}" (${a.Role === 'anonymous' ? 'not signed in' : 'outside the school'}) admitted at ${a.Joined}`,
      );
  for (const line of lines) console.log(`    ${line}`);
  const mails = ws.mail
    .outbox()
    .filter(
      (m) =>
        (m.subject.includes(p.title) || m.body.includes(p.lessonId ?? '-')) &&
        /alone|ended|outside|outsider/i.test(m.subject),
    );
  for (const m of mails)
    console.log(
      `    ${fmt(new Date(m.at), { hour: '2-digit', minute: '2-digit', second: '2-digit' })} email "${m.subject}" to ${m.to.map(staffName).join(', ')}`,
    );
}
console.log(
  `  Maths: the teacher and the second adult left at ${fmt(new Date(dropOutAt), { hour: '2-digit', minute: '2-digit', second: '2-digit' })}.`,
);

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
