// R18, R28 through the shipped bundle: the log spreadsheet at size. Google counts every cell of
// every sheet's grid against a spreadsheet's 10 million (https://support.google.com/drive/answer/37603);
// a 100-teacher school adds about 200,000 a school day, so a large school's log fills within a
// term. The log keeps only its own columns; the admin hears, in words, before it is full and when
// it is; a full log is not reported as Google Sheets failing; and setup, run again, keeps the full
// log as the record and starts a new one carrying the settings, the consent register and the
// incidents, where the rows that waited are written.

import type { HealthState } from '../../src/core/health';
import { DeployedSchool, monday } from './deployed-school';
import { postLives } from './in-call-kit';
import { reportRemovedPupil, roomLink, scheduleFor } from './scenario-kit';
import { Timetable } from './timetable';

const LIMIT = 10_000_000;

function health(school: DeployedSchool): HealthState {
  return JSON.parse(school.ws.properties.scriptStore().health ?? 'null') as HealthState;
}

function config(school: DeployedSchool): { logSpreadsheetId?: string } {
  return JSON.parse(school.ws.properties.scriptStore().config ?? '{}') as {
    logSpreadsheetId?: string;
  };
}

function status(school: DeployedSchool): Map<string, { state: string; detail: string }> {
  const [, ...rows] = school.ws.sheets.table(school.logId, 'Status');
  return new Map(rows.map((r) => [String(r[0]), { state: String(r[1]), detail: String(r[2]) }]));
}

function mailWith(school: DeployedSchool, email: string, subject: RegExp) {
  return school.mailTo(email).filter((m) => subject.test(m.subject));
}

/** Months of rows, as the grid counts them: the log left `room` cells short of the limit. */
function fillLog(school: DeployedSchool, room: number): void {
  const sheets = school.ws.sheets;
  const columns = sheets.grid(school.logId, 'Status').columns;
  sheets.growGrid(
    school.logId,
    'Status',
    Math.floor((LIMIT - room - sheets.cellCount(school.logId)) / columns),
  );
}

describe('the log spreadsheet holds a school year, and says so before it cannot (R18, R28)', () => {
  it('keeps only its own columns in the sheets that grow, so a lesson of 25 pupils costs about 320 cells, not 780', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const widths = {
      Sessions: 30,
      Attendance: 10,
      Incidents: 21,
      Consent: 5,
      Recordings: 13,
      Audit: 8,
      Mail: 10,
    };
    for (const [sheet, width] of Object.entries(widths))
      expect([sheet, ws.sheets.grid(school.logId, sheet).columns]).toEqual([sheet, width]);
    const before = ws.sheets.cellCount(school.logId);
    const s = scheduleFor(school);
    school.advanceTo(monday(9, 55));
    expect(ws.meet.join(s.course.teacher.email, roomLink(school, s))).toBe('joined');
    school.advanceTo(monday(11, 30));
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    // The lesson's rows sit inside grids the sheets already had; the one sheet added is the
    // Follow-ups sheet, made on first use with its own 10 columns.
    expect(ws.sheets.cellCount(school.logId)).toBe(before + 1000 * 10);
    expect(school.attendance(s.lessonId).length).toBeGreaterThan(0);
    expect(ws.sheets.grid(school.logId, 'Attendance').columns).toBe(10);
  });

  it('leaves a column that holds anything when setup runs again on a log made before', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const { ws } = school;
    const automation = school.school.automation.email;
    // A log made before this version: 26 columns, and a note the owner typed in column L.
    ws.sheets.growGrid(school.logId, 'Attendance', 0, 16);
    ws.sheets.editAsUser(automation, school.logId, 'Attendance!L1', [['Checked by office']]);
    school.run('setup', {}, automation, 'editor');
    expect(ws.sheets.grid(school.logId, 'Attendance').columns).toBe(12);
    expect(ws.sheets.cell(school.logId, 'Attendance', 'L1')?.value).toBe('Checked by office');
  });

  it('tells the admin once a day when the log has used 80% of its cells, with how fast it grows, and shows it on the Status sheet', () => {
    const school = new DeployedSchool({ start: monday(7, 0) });
    const slt = school.school.slt.email;
    fillLog(school, 1_500_000);
    // Setup (07:00) counted its cells; the hourly housekeeping counts them again once a day.
    school.advanceTo(monday(8, 5));
    expect(mailWith(school, slt, /of the log spreadsheet’s cells/)).toEqual([]);
    school.advanceTo(monday(7) + 22 * 3_600_000 + 5 * 60_000);
    const told = mailWith(school, slt, /of the log spreadsheet’s cells/);
    expect(told).toHaveLength(1);
    expect(told[0]!.subject).toBe(
      'Safe Live Lessons: 85% of the log spreadsheet’s cells (Google allows a spreadsheet 10 million) used',
    );
    expect(told[0]!.body).toMatch(
      /^The log spreadsheet’s cells \(Google allows a spreadsheet 10 million\): 85% used \(8,5\d\d,\d{3} cells at /,
    );
    expect(told[0]!.body).toContain('When it is full, no lesson, attendance, incident');
    expect(told[0]!.body).toContain(
      `run setup again from the script project, signed in as ${school.school.automation.email}`,
    );
    expect(status(school).get('Log spreadsheet’s cells')?.state).toBe('OVER 80%');
    // A day on, it grew: the reminder says by how much a day and when it will be full.
    school.ws.sheets.growGrid(school.logId, 'Status', Math.round(200_000 / 26));
    school.advanceTo(monday(7) + 46 * 3_600_000 + 5 * 60_000);
    const again = mailWith(school, slt, /of the log spreadsheet’s cells/);
    expect(again).toHaveLength(2);
    // Two daily looks, about 21 hours apart (each a day or so after the last, at the hour).
    const looks = health(school).logCells!.looks;
    expect(looks).toHaveLength(2);
    const [a, b] = looks as [{ at: number; cells: number }, { at: number; cells: number }];
    expect(b.cells - a.cells).toBe(Math.round(200_000 / 26) * 26);
    const perDay = Math.round(((b.cells - a.cells) * 86_400_000) / (b.at - a.at));
    expect(again[1]!.body).toContain(
      `it grew by about ${perDay.toLocaleString('en-GB')} a day this past week, so it is full around `,
    );
    expect(again[1]!.body).toMatch(
      /so it is full around (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d+ \w{3}\)/,
    );
  });

  it('when the log is full: the admin is told it is full (not that Google Sheets fails), the lessons still run and wait for the log, and setup keeps it as the record and starts a new one with what was waiting', () => {
    // Recordings kept a day, so that the purge of one registered in the old log is seen here.
    const school = new DeployedSchool({
      teachers: 40,
      pupilsPerCourse: 25,
      start: monday(7, 0),
      settings: { retentionDays: '1' },
    });
    const { ws } = school;
    const slt = school.school.slt.email;
    const dsl = school.school.dsl.email;
    const automation = school.school.automation.email;
    // The office's consent register and an incident the DSL is working on, in the old log.
    const [pupil] = school.school.courses[0]!.pupils;
    ws.sheets.editAsUser(dsl, school.logId, 'Consent!A2:E2', [
      [pupil!.email, pupil!.name, 'yes', '2026-09-07', dsl],
    ]);
    // Two early lessons, recorded: one with an incident (its recording held), one without.
    const first = scheduleFor(school, { title: 'Phonics', start: monday(8, 40), minutes: 15 });
    const plain = scheduleFor(school, {
      title: 'Spelling',
      course: 1,
      start: monday(8, 40),
      minutes: 15,
    });
    school.advanceTo(monday(8, 35));
    expect(ws.meet.join(first.course.teacher.email, roomLink(school, first))).toBe('joined');
    expect(ws.meet.join(plain.course.teacher.email, roomLink(school, plain))).toBe('joined');
    reportRemovedPupil(first, pupil!.email, 'Shouted over others.');
    school.advanceTo(monday(9, 30));
    const incidentsBefore = ws.sheets.table(school.logId, 'Incidents');
    expect(incidentsBefore).toHaveLength(2);
    // Their recordings are collected and registered in the old log.
    const registered = (id: string) =>
      ws.sheets.table(school.logId, 'Recordings').find((r) => r[0] === id);
    const heldRow = registered(first.lessonId);
    const plainRow = registered(plain.lessonId);
    const heldFile = String(heldRow?.[1] ?? '');
    const plainFile = String(plainRow?.[1] ?? '');
    expect(ws.drive.file(heldFile)).toBeDefined();
    expect(ws.drive.file(plainFile)).toBeDefined();

    // Months later (in grid terms): no room left for another block of rows. At 10:00 38 classes
    // of 25 have a lesson: their attendance needs more rows than the sheet has.
    fillLog(school, 1_000);
    const table = new Timetable(school);
    const plans = school.school.courses.slice(2).map((course) =>
      table.add({
        course,
        title: `Maths ${course.id}`,
        start: monday(10),
        minutes: 30,
        teacherJoins: -4,
        pupils: course.pupils,
        intruder: null,
      }),
    );
    const ids = plans.map((p) => p.lessonId!);
    table.runUntil(monday(11, 5));
    // Every lesson ran and ended on time whatever the log: links down, calls over.
    for (const id of ids) expect([id, school.lesson(id)?.status]).toEqual([id, 'closed']);
    for (const plan of plans) {
      const posts = postLives(school, plan.course.id);
      expect(posts.length).toBe(1);
      expect(posts[0]!.deleted).toBeLessThanOrEqual(monday(10, 30));
    }
    expect([...ws.meet.spaces.values()].filter((space) => space.activeConference)).toEqual([]);
    const full = mailWith(school, slt, /log spreadsheet’s cells/);
    expect(full.map((m) => m.subject)).toEqual([
      'Safe Live Lessons: all of the log spreadsheet’s cells (Google allows a spreadsheet 10 million) used',
    ]);
    expect(full[0]!.body).toContain('no room for more rows at');
    expect(mailWith(school, slt, /Google Sheets is failing|housekeeping is failing/)).toEqual([]);
    expect(status(school).get('Log spreadsheet’s cells')?.detail).toMatch(/^FULL: /);
    const waiting = ids.filter((id) => school.attendance(id).length === 0);
    expect(waiting.length).toBeGreaterThan(0);

    // The admin runs setup again.
    const old = school.logId;
    const setup = school.run('setup', {}, automation, 'editor') as {
      spreadsheetId: string;
      lines: string[];
    };
    expect(setup.spreadsheetId).not.toBe(old);
    expect(setup.lines.join('\n')).toMatch(
      /the recorded one has used 9,99\d,\d{3} of the 10,000,000 cells .* renamed "Safe Live Lessons: safeguarding log \(ended 2026-11-23\)"/,
    );
    expect(ws.sheets.spreadsheets().find((d) => d.id === old)?.name).toBe(
      'Safe Live Lessons: safeguarding log (ended 2026-11-23)',
    );
    // The old log stays shared with SLT and the DSL: it is the record.
    expect(ws.sheets.sharing(old).editors).toEqual(expect.arrayContaining([slt, dsl]));
    school.logId = setup.spreadsheetId;
    // The new log: the settings in force, the register, the incident with its columns.
    const settings = new Map(
      ws.sheets.table(school.logId, 'Settings').map((r) => [String(r[0]), String(r[1])]),
    );
    expect(settings.get('sltEmails')).toBe(slt);
    expect(settings.get('dslEmails')).toBe(dsl);
    expect(ws.sheets.table(school.logId, 'Consent')[1]!.slice(0, 3)).toEqual([
      pupil!.email,
      pupil!.name,
      'yes',
    ]);
    expect(ws.sheets.table(school.logId, 'Incidents')).toEqual(incidentsBefore);
    const carried = ws.sheets.table(school.logId, 'Recordings');
    expect(carried).toContainEqual(heldRow);
    expect(carried).toContainEqual(plainRow);

    // Within minutes every lesson that waited is in the new log, once, closed, with its
    // attendance, in rows at the top of a small log (not at the old log's row numbers).
    school.advanceTo(monday(11, 20));
    for (const id of waiting) {
      expect([id, school.sessionRow(id)?.Status]).toEqual([id, 'closed']);
      expect(school.sessions().filter((r) => r[0] === id)).toHaveLength(1);
      expect(school.attendance(id).length).toBeGreaterThan(0);
    }
    expect(ws.sheets.cellCount(school.logId)).toBeLessThan(300_000);
    expect(status(school).get('Log spreadsheet’s cells')?.state).toBe('OK');

    // A recording registered in the old log is purged on its day from the new log's registry
    // (R17, R27); the one its incident holds stays until the DSL releases it.
    school.advanceTo(monday(9, 30) + 24 * 3_600_000);
    expect(ws.drive.file(plainFile)).toBeUndefined();
    expect(ws.drive.file(heldFile)?.trashed).toBe(false);
    const rows = ws.sheets.table(school.logId, 'Recordings');
    expect(String(rows.find((r) => r[1] === plainFile)?.[10])).toMatch(/ deleted$/);
    expect(rows.find((r) => r[1] === heldFile)?.[10]).toBe('');
  });

  it('a log past 90% that nobody replaced is replaced by the product itself at night: SLT and the DSL are told where the new log is, and the next day’s lessons are logged there', () => {
    // Setup at noon counts the log; the daily look after it comes on Tuesday morning.
    const school = new DeployedSchool({ teachers: 3, start: monday(12, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const dsl = school.school.dsl.email;
    const old = school.logId;
    fillLog(school, 500_000);
    const DAY = 24 * 3_600_000;
    // By day nothing is replaced, though the look has found it past 90%: the admin is told to
    // run setup, and that the product will if nobody does.
    school.advanceTo(monday(18, 0) + DAY);
    const wednesday = scheduleFor(school, { title: 'Wednesday', start: monday(10) + 2 * DAY });
    school.advanceTo(monday(23, 30) + DAY);
    expect(health(school).logCells!.cells).toBeGreaterThanOrEqual(9_500_000);
    expect(config(school).logSpreadsheetId).toBe(old);
    const warned = mailWith(school, slt, /of the log spreadsheet’s cells/);
    expect(warned.length).toBeGreaterThan(0);
    expect(warned[0]!.body).toContain(
      'If nobody has by the time it has used 90% (or it is full), the product does it itself the next night, between 01:00 and 05:00',
    );
    expect(mailWith(school, slt, /new log/)).toEqual([]);
    // Tuesday's row for Wednesday's lesson is in the old log.
    expect(school.sessionRow(wednesday.lessonId)?.Status).toBe('scheduled');

    // In the night the hourly job starts a new log, once.
    school.advanceTo(monday(5, 0) + 2 * DAY);
    const fresh = config(school).logSpreadsheetId!;
    expect(fresh).not.toBe(old);
    expect(ws.sheets.spreadsheets().find((d) => d.id === old)?.name).toBe(
      'Safe Live Lessons: safeguarding log (ended 2026-11-25)',
    );
    for (const who of [slt, dsl]) {
      const told = mailWith(school, who, /a new log spreadsheet was started/);
      expect(told).toHaveLength(1);
      expect(told[0]!.body).toContain(`https://docs.google.com/spreadsheets/d/${fresh}/edit`);
      expect(told[0]!.body).toContain(
        'renamed "Safe Live Lessons: safeguarding log (ended 2026-11-25)"',
      );
    }
    expect(ws.sheets.sharing(fresh).editors).toEqual(expect.arrayContaining([slt, dsl]));
    const oldSessions = JSON.stringify(ws.sheets.table(old, 'Sessions'));
    school.logId = fresh;
    expect(status(school).get('Log spreadsheet’s cells')?.state).toBe('OK');

    // Wednesday's lesson runs and is logged in the new log, once; the old log is not written.
    school.advanceTo(monday(9, 55) + 2 * DAY);
    expect(ws.meet.join(wednesday.course.teacher.email, roomLink(school, wednesday))).toBe(
      'joined',
    );
    school.advanceTo(monday(11, 0) + 2 * DAY);
    expect(school.sessions().filter((r) => r[0] === wednesday.lessonId)).toHaveLength(1);
    expect(school.sessionRow(wednesday.lessonId)?.Status).toBe('closed');
    expect(school.attendance(wednesday.lessonId).length).toBeGreaterThan(0);
    expect(JSON.stringify(ws.sheets.table(old, 'Sessions'))).toBe(oldSessions);
    expect(
      ws.sheets.spreadsheets().filter((d) => d.name === 'Safe Live Lessons: safeguarding log'),
    ).toHaveLength(1);
  });

  it('a lesson that ran the day before the product started a new log gets its row there when its teacher writes its log or reports an incident the next morning: nothing is returned to them', () => {
    const school = new DeployedSchool({ teachers: 3, start: monday(12, 0) });
    const { ws } = school;
    const DAY = 24 * 3_600_000;
    fillLog(school, 500_000);
    // Tuesday afternoon's lesson runs and is logged, closed, in the old log.
    school.advanceTo(monday(9, 0) + DAY);
    const s = scheduleFor(school, { title: 'Tuesday', start: monday(14) + DAY });
    school.advanceTo(monday(13, 55) + DAY);
    expect(ws.meet.join(s.course.teacher.email, roomLink(school, s))).toBe('joined');
    school.advanceTo(monday(15, 0) + DAY);
    expect(school.sessionRow(s.lessonId)?.Status).toBe('closed');
    const attendanceThen = school.attendance(s.lessonId);
    expect(attendanceThen.length).toBeGreaterThan(0);
    const old = school.logId;
    // The night's new log.
    school.advanceTo(monday(6, 0) + 2 * DAY);
    school.logId = config(school).logSpreadsheetId!;
    expect(school.logId).not.toBe(old);
    expect(school.sessionRow(s.lessonId)).toBeUndefined();
    // Wednesday morning the teacher writes the lesson's log, and reports an incident.
    const teacher = s.course.teacher.email;
    const sent = school.run(
      'submitLogAction',
      {
        commonEventObject: {
          parameters: { lessonId: s.lessonId },
          formInputs: { shareWithSlt: { stringInputs: { value: ['Two pupils left early'] } } },
        },
      },
      teacher,
    );
    expect(JSON.stringify(sent)).toMatch(/sent to SLT/);
    // Within minutes the lesson's row is in the new log, once, closed, with the entry.
    school.advanceTo(monday(6, 5) + 2 * DAY);
    expect(school.sessions().filter((r) => r[0] === s.lessonId)).toHaveLength(1);
    const row = school.sessionRow(s.lessonId)!;
    expect(row.Status).toBe('closed');
    expect(String(row['Anything To Share With SLT?'])).toMatch(/\] Two pupils left early$/);
    // The incident reported after it goes beside it; nothing came back to the teacher.
    reportRemovedPupil(s, s.course.pupils[0]!.email, 'Used the chat to insult a classmate.');
    school.advanceTo(monday(6, 10) + 2 * DAY);
    expect(school.sessions().filter((r) => r[0] === s.lessonId)).toHaveLength(1);
    // Its attendance stays in the old log, the record (the store keeps only counts once a
    // lesson's attendance is logged); the new log does not get an empty block of it.
    expect(school.attendance(s.lessonId)).toEqual([]);
    school.logId = old;
    expect(school.attendance(s.lessonId)).toEqual(attendanceThen);
    school.logId = config(school).logSpreadsheetId!;
    expect(
      ws.sheets.table(school.logId, 'Incidents').filter((r) => r.includes(s.lessonId)),
    ).toHaveLength(1);
    expect(mailWith(school, teacher, /was not recorded/)).toEqual([]);
    expect(mailWith(school, school.school.dsl.email, /was NOT added/)).toEqual([]);
  });

  it('tells the admin when it cannot start the new log, keeps the old one as the log under its own name, and tries once a night', () => {
    const school = new DeployedSchool({ teachers: 2, start: monday(12, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const old = school.logId;
    fillLog(school, 500_000);
    const DAY = 24 * 3_600_000;
    school.advanceTo(monday(23, 30) + DAY);
    ws.kernel.faults.inject({ match: 'sheets.SpreadsheetApp.create', kind: 500 });
    school.advanceTo(monday(12, 0) + 2 * DAY);
    const failed = mailWith(school, slt, /a new one could not be started/);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.body).toContain(
      `Please run setup yourself from the script project, signed in as ${school.school.automation.email}`,
    );
    expect(config(school).logSpreadsheetId).toBe(old);
    expect(ws.sheets.spreadsheets().find((d) => d.id === old)?.name).toBe(
      'Safe Live Lessons: safeguarding log',
    );
    // The next night it tries again, and now it can.
    ws.kernel.faults.clear();
    school.advanceTo(monday(5, 0) + 3 * DAY);
    expect(mailWith(school, slt, /a new one could not be started/)).toHaveLength(1);
    expect(config(school).logSpreadsheetId).not.toBe(old);
    expect(mailWith(school, slt, /a new log spreadsheet was started/)).toHaveLength(1);
  });

  it('puts a new log it could not finish in the bin, so no copy of the consent register is left beside the log in use', () => {
    const school = new DeployedSchool({ teachers: 2, start: monday(12, 0) });
    const { ws } = school;
    const slt = school.school.slt.email;
    const old = school.logId;
    ws.sheets.editAsUser(school.school.dsl.email, old, 'Consent!A2:E2', [
      [school.school.courses[0]!.pupils[0]!.email, 'A Pupil', 'yes', '2026-09-07', 'office'],
    ]);
    fillLog(school, 500_000);
    const DAY = 24 * 3_600_000;
    school.advanceTo(monday(23, 30) + DAY);
    const before = new Set(ws.sheets.spreadsheets().map((d) => d.id));
    // Setup makes the new log, then Google fails it while it adds the log's sheets.
    ws.kernel.faults.inject({ match: 'sheets.Spreadsheet.insertSheet', kind: 500 });
    school.advanceTo(monday(12, 0) + 2 * DAY);
    ws.kernel.faults.clear();
    expect(mailWith(school, slt, /a new one could not be started/)).toHaveLength(1);
    expect(config(school).logSpreadsheetId).toBe(old);
    expect(ws.sheets.spreadsheets().find((d) => d.id === old)?.name).toBe(
      'Safe Live Lessons: safeguarding log',
    );
    const made = ws.sheets.spreadsheets().filter((d) => !before.has(d.id));
    expect(made).toHaveLength(1);
    expect(ws.drive.file(made[0]!.id)?.trashed).toBe(true);
  });

  it('a new log never puts a lesson logged in the old one over another lesson’s row: a lesson scheduled ahead, logged in the old log, finds its own row in the new', () => {
    const school = new DeployedSchool({ teachers: 3, start: monday(7, 0) });
    const { ws } = school;
    const automation = school.school.automation.email;
    // Tomorrow's lesson takes row 2 of the old log at the next hour.
    const ahead = scheduleFor(school, { title: 'Ahead', start: monday(10) + 24 * 3_600_000 });
    school.advanceTo(monday(8, 5));
    expect(school.sessions().findIndex((r) => r[0] === ahead.lessonId)).toBe(1);
    // The log is deleted for good; setup makes a new one.
    ws.drive.deleteForever(school.logId);
    const setup = school.run('setup', {}, automation, 'editor') as { spreadsheetId: string };
    school.logId = setup.spreadsheetId;
    // Today's lessons take the new log's first rows.
    const today = [
      scheduleFor(school, { title: 'Today one', course: 1 }),
      scheduleFor(school, { title: 'Today two', course: 2 }),
    ];
    school.advanceTo(monday(9, 5));
    const rowsBefore = new Map(school.sessions().map((r) => [String(r[0]), r.join('|')]));
    for (const t of today) expect(rowsBefore.has(t.lessonId)).toBe(true);
    // Tomorrow the lesson scheduled ahead opens, runs and closes: its rows go below, once.
    school.advanceTo(monday(9, 55) + 24 * 3_600_000);
    expect(ws.meet.join(ahead.course.teacher.email, roomLink(school, ahead))).toBe('joined');
    school.advanceTo(monday(11, 0) + 24 * 3_600_000);
    const rows = school.sessions();
    expect(rows.filter((r) => r[0] === ahead.lessonId)).toHaveLength(1);
    expect(school.sessionRow(ahead.lessonId)?.Status).toBe('closed');
    for (const t of today) {
      expect(rows.filter((r) => r[0] === t.lessonId)).toHaveLength(1);
      expect(String(school.sessionRow(t.lessonId)?.Session)).toMatch(
        t === today[0] ? /^Today one / : /^Today two /,
      );
    }
    expect(school.attendance(ahead.lessonId).length).toBeGreaterThan(0);
  });
});
