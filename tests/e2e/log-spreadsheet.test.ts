// The log spreadsheet SLT open (R18-R20), as setup leaves it: one of each sheet, trigger and
// folder however often setup runs, a health check in plain words, frozen headers, filters,
// flags that stand out, an audit trail only the automation can write (issue 12), dropdowns for
// SLT's own columns, a Dashboard whose figures agree with each other and with the Sessions
// sheet and that is redrawn only when they change, SLT told of scheduled lessons in one list an
// hour, staff entries that belong to their authors (issue 9), and the Sheets calls a lesson
// costs (issue 8).

import { DAY_MS, HOUR_MS } from '../../src/core/time';
import type { ExecutionResult } from '../sim/kernel/execution';
import { DeployedSchool, MIN, monday } from './deployed-school';
import { admit, scheduleFor, teacherJoinsAndShares } from './scenario-kit';
import { Timetable } from './timetable';

function records(school: DeployedSchool, sheet: string): Record<string, unknown>[] {
  const [header, ...rows] = school.ws.sheets.table(school.logId, sheet);
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
}

/** The A1 column letter of a header in a sheet ("Status" in Incidents is L). */
function columnOf(school: DeployedSchool, sheet: string, name: string): string {
  const [header] = school.ws.sheets.table(school.logId, sheet);
  const i = header!.indexOf(name);
  if (i < 0) throw new Error(`no column ${name} in ${sheet}`);
  return String.fromCharCode(65 + i);
}

/** The dashboard block under `title`: its header and rows, up to the blank line after it. */
function block(school: DeployedSchool, title: string): unknown[][] {
  const cells = school.ws.sheets.table(school.logId, 'Dashboard');
  const at = cells.findIndex((r) => r[0] === title || String(r[0]).startsWith(title));
  if (at < 0) throw new Error(`no block ${title}`);
  const end = cells.findIndex((r, i) => i > at && r.every((c) => c === ''));
  return cells.slice(at + 1, end < 0 ? undefined : end);
}

describe('setup and the log spreadsheet', () => {
  it('is idempotent: running setup again leaves one of each sheet, trigger and folder, and says what it checked', () => {
    const school = new DeployedSchool({ delegation: false });
    const { ws } = school;
    const again = school.run('setup', {}, school.school.automation.email, 'editor') as {
      ok: boolean;
      lines: string[];
      spreadsheetId: string;
    };
    expect(again.spreadsheetId).toBe(school.logId);
    expect(ws.sheets.spreadsheets()).toHaveLength(1);
    const names = ws.sheets.sheetNames(school.logId);
    expect(names[0]).toBe('Dashboard');
    expect([...names].sort()).toEqual(
      [
        'Attendance',
        'Audit',
        'Consent',
        'Dashboard',
        'Incidents',
        'Mail',
        'Recordings',
        'Sessions',
        'Settings',
        'Status',
      ].sort(),
    );
    const handlers = ws.scriptApp
      .triggers()
      .filter((t) => t.owner === school.school.automation.email)
      .map((t) => t.handlerFunction)
      .sort();
    expect(handlers).toEqual(
      [
        'collectRecordings',
        'dailyDigest',
        'hourlyHousekeeping',
        'monitorTick',
        'purgeRecordings',
      ].sort(),
    );
    const report = again.lines.join('\n');
    expect(report).toMatch(/Log spreadsheet: adopted the existing one/);
    expect(report).toMatch(/Settings: valid/);
    expect(report).toMatch(/Log sharing: only SLT\/DSL/);
    expect(report).toMatch(/Recordings: adopted the existing safeguarding shared drive/);
    expect(report).toMatch(/Triggers: .* one of each/);
    expect(report).toMatch(/Delegation: NOT configured/);
    expect(again.ok).toBe(false);

    // Frozen headers, filters, Serious = yes highlighted, the product's columns protected.
    for (const sheet of ['Sessions', 'Attendance', 'Incidents', 'Recordings', 'Audit'])
      expect(ws.sheets.frozenRows(school.logId, sheet)).toBe(1);
    expect(ws.sheets.filter(school.logId, 'Sessions')).toMatch(/^A1:/);
    expect(ws.sheets.filter(school.logId, 'Incidents')).toMatch(/^A1:/);
    const [serious] = ws.sheets.conditionalFormats(school.logId, 'Sessions');
    expect(serious).toMatchObject({ criteria: 'CUSTOM_FORMULA', values: ['=$AA2="yes"'] });
    expect(ws.sheets.conditionalFormats(school.logId, 'Sessions')).toHaveLength(1);
    // Every sheet the automation writes is protected, with the automation as its only editor
    // (no warning to click through); Incidents has holes for SLT's and the DSL's own columns.
    const protections = ws.sheets.protections(school.logId);
    expect(protections.map((p) => p.sheet).sort()).toEqual(
      [
        'Attendance',
        'Audit',
        'Dashboard',
        'Incidents',
        'Mail',
        'Recordings',
        'Sessions',
        'Status',
      ].sort(),
    );
    for (const p of protections) {
      expect(p).toMatchObject({
        type: 'SHEET',
        warningOnly: false,
        domainEdit: false,
        mirrorsSpreadsheet: false,
        editors: [school.school.automation.email],
      });
    }
    expect(protections.find((p) => p.sheet === 'Incidents')!.unprotected).toEqual([
      'L2:L1000',
      'M2:M1000',
      'R2:R1000',
      'S2:S1000',
      'T2:T1000',
      'U2:U1000',
    ]);
    const [header] = ws.sheets.table(school.logId, 'Incidents');
    expect(header!.slice(0, 5)).toEqual([
      'Date & time',
      'Name of pupil or staff member (T = target, O = offender)',
      'Nature of incident(s)',
      'Details of incident (including evidence)',
      'Outcome including action taken',
    ]);
    expect(ws.sheets.sharing(school.logId).editors.sort()).toEqual(
      [school.school.slt.email, school.school.dsl.email].sort(),
    );
  });

  it('keeps a Dashboard with this week, flags, incidents, follow-ups, a termly summary and a chart', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    scheduleFor(school, { title: 'Phonics' });
    scheduleFor(school, { course: 1, title: 'Alone', start: monday(11), secondStaff: null });
    school.advanceTo(monday(12));
    school.advance(HOUR_MS);
    const cells = ws.sheets.table(school.logId, 'Dashboard');
    const text = cells.flat().map(String);
    for (const heading of [
      "This week's lessons (week of 2026-11-23)",
      'Open incidents (close one by setting its Status in the Incidents sheet)',
      'Pupils to follow up before they join a live lesson again',
      'Termly summary for governors',
      'Weekly summary, Autumn 2026',
    ])
      expect(text).toContain(heading);
    expect(text).toContain('Phonics (Year 3 Class A)');
    const term = cells.find((r) => r[0] === 'Autumn 2026');
    expect(term?.slice(1, 4)).toEqual([2, 2, 1]);
    const charts = ws.sheets.charts(school.logId, 'Dashboard');
    expect(charts).toHaveLength(1);
    expect(charts[0]!.chartType).toBe('COLUMN');
    // Refreshed again: still one chart.
    school.advance(HOUR_MS);
    expect(ws.sheets.charts(school.logId, 'Dashboard')).toHaveLength(1);
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
  });

  it('sends SLT and the DSL a daily digest of serious flags', () => {
    const school = new DeployedSchool();
    scheduleFor(school, { title: 'Alone', secondStaff: null });
    school.advanceTo(Date.UTC(2026, 10, 24, 7, 30));
    const digest = school
      .mailTo(school.school.slt.email)
      .filter((m) => /daily digest/.test(m.subject));
    expect(digest).toHaveLength(1);
    expect(digest[0]!.to).toContain(school.school.dsl.email);
    expect(digest[0]!.body).toMatch(/Alone .*\n.*No second member of staff/);
  });
});

/** A lesson that ran with the TA and a pupil, then an incident the teacher reported in it. */
function lessonWithIncident(school: DeployedSchool) {
  const s = scheduleFor(school);
  school.advanceTo(monday(9, 55));
  const link = teacherJoinsAndShares(school, s);
  admit(school, s, link, [s.course.assistant.email, s.course.pupils[0]!.email]);
  school.advanceTo(monday(10, 10));
  const form = s.teacher.next(
    s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
  );
  s.teacher.click(form, 'Send to the DSL', {
    person: s.course.pupils[0]!.email,
    role: 'O',
    nature: 'Inappropriate language or behaviour in the lesson',
    where: 'outside',
    details: 'Swore in the chat.',
    action: 'warned',
  });
  school.advanceTo(monday(10, 40));
  return s;
}

describe('an audit trail nobody can edit (issue 12)', () => {
  it('blocks an SLT editor from changing the Sessions sheet but lets them set an incident’s status from the dropdown', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const s = lessonWithIncident(school);
    const slt = school.school.slt.email;
    const dsl = school.school.dsl.email;
    school.advanceTo(monday(11, 30)); // the recording collected: an Audit row exists
    expect(records(school, 'Audit').length).toBeGreaterThan(0);
    const before = JSON.stringify(ws.sheets.table(school.logId, 'Sessions'));

    // SLT and the DSL are editors of the spreadsheet, yet no cell of the record is theirs.
    for (const [sheet, a1] of [
      ['Sessions', 'B2'],
      ['Sessions', 'AA2'],
      ['Audit', 'A2'],
      ['Attendance', 'D2'],
      ['Recordings', 'J2'],
      ['Incidents', 'D2'],
      ['Incidents', 'H2'],
      ['Dashboard', 'A5'],
    ] as const) {
      expect(() =>
        ws.sheets.editAsUser(slt, school.logId, `${sheet}!${a1}`, [['changed']]),
      ).toThrow(/protected cell/);
      expect(() =>
        ws.sheets.editAsUser(dsl, school.logId, `${sheet}!${a1}`, [['changed']]),
      ).toThrow(/protected cell/);
    }
    expect(JSON.stringify(ws.sheets.table(school.logId, 'Sessions'))).toBe(before);

    // They read it and narrow it with a filter view of their own.
    const mine = ws.sheets.filterViewAsUser(
      slt,
      school.logId,
      'Sessions',
      'Teacher',
      s.course.teacher.email,
    );
    expect(mine.slice(1).map((r) => r[0])).toEqual([s.lessonId]);

    // Their own incident columns take only what the dropdowns offer.
    const status = columnOf(school, 'Incidents', 'Status');
    expect(ws.sheets.validation(school.logId, 'Incidents', `${status}2`)).toMatchObject({
      values: ['open', 'in progress', 'closed'],
      showDropdown: true,
      allowInvalid: false,
    });
    expect(() =>
      ws.sheets.editAsUser(slt, school.logId, `Incidents!${status}2`, [['sorted']]),
    ).toThrow(/item on the specified list/);
    ws.sheets.editAsUser(slt, school.logId, `Incidents!${status}2`, [['closed']]);
    ws.sheets.editAsUser(
      slt,
      school.logId,
      `Incidents!${columnOf(school, 'Incidents', 'SLT Notes')}2`,
      [['Parents spoken to']],
    );
    const police = columnOf(school, 'Incidents', 'Reported To Police/CEOP');
    expect(() =>
      ws.sheets.editAsUser(dsl, school.logId, `Incidents!${police}2`, [['maybe']]),
    ).toThrow(/item on the specified list/);
    ws.sheets.editAsUser(dsl, school.logId, `Incidents!${police}2`, [['no']]);
    ws.sheets.editAsUser(
      dsl,
      school.logId,
      `Incidents!${columnOf(school, 'Incidents', 'Outcome (DSL)')}2`,
      [['Pupil and parents met the head; no further action.']],
    );
    expect(records(school, 'Incidents')[0]).toMatchObject({
      Status: 'closed',
      'SLT Notes': 'Parents spoken to',
      'Reported To Police/CEOP': 'no',
      'Outcome (DSL)': 'Pupil and parents met the head; no further action.',
      'Lesson ID': s.lessonId,
    });

    // Consent has a yes/no dropdown too.
    expect(() => ws.sheets.editAsUser(slt, school.logId, 'Consent!C2', [['probably']])).toThrow(
      /item on the specified list/,
    );
    ws.sheets.editAsUser(slt, school.logId, 'Consent!A2:C2', [['pupil@x.test', 'A Pupil', 'yes']]);

    // Setup again changes none of it, and SLT's choices stay.
    school.run('setup', {}, school.school.automation.email, 'editor');
    expect(records(school, 'Incidents')[0]!.Status).toBe('closed');
    expect(ws.sheets.protections(school.logId)).toHaveLength(8);
  });

  it('keeps SLT’s incident columns editable, from their dropdowns, on rows added as the sheet grows', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    // An Incidents sheet with room for one more row: the second incident makes it grow.
    ws.kernel.runExecution(
      { user: school.school.automation.email, kind: 'editor', functionName: 'shrink' },
      () =>
        ws.sheets.global().openById(school.logId).getSheetByName('Incidents')!.deleteRows(3, 998),
    );
    const s = lessonWithIncident(school);
    const form = s.teacher.next(
      s.teacher.click(s.teacher.lessonCard(s.lessonId), 'Report an incident'),
    );
    s.teacher.click(form, 'Send to the DSL', {
      person: s.course.pupils[0]!.email,
      role: 'T',
      nature: 'Online bullying or harassment (cyber bullying)',
      where: 'outside',
      details: 'Was mocked in the chat after the lesson.',
      action: 'noted',
    });
    school.advance(2 * MIN);
    expect(records(school, 'Incidents')).toHaveLength(2);
    const status = columnOf(school, 'Incidents', 'Status');
    const slt = school.school.slt.email;
    expect(() =>
      ws.sheets.editAsUser(slt, school.logId, `Incidents!${status}3`, [['sorted']]),
    ).toThrow(/item on the specified list/);
    ws.sheets.editAsUser(slt, school.logId, `Incidents!${status}3`, [['in progress']]);
    expect(() => ws.sheets.editAsUser(slt, school.logId, 'Incidents!D3', [['x']])).toThrow(
      /protected cell/,
    );
    expect(records(school, 'Incidents')[1]!.Status).toBe('in progress');
  });

  it('turns an earlier log’s click-through warnings into protections and extends its Incidents header', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    const me = school.school.automation.email;
    // A log as an earlier version left it: warning-only protections, Appendix K's columns only.
    const asAutomation = (fn: () => void) =>
      ws.kernel.runExecution({ user: me, kind: 'editor', functionName: 'earlier' }, fn);
    asAutomation(() => {
      const app = ws.sheets.global();
      const book = app.openById(school.logId);
      for (const p of book.getProtections(app.ProtectionType.SHEET)) p.remove();
      book
        .getSheetByName('Sessions')!
        .protect()
        .setDescription('Written by Safe Live Lessons')
        .setWarningOnly(true);
      book
        .getSheetByName('Incidents')!
        .getRange('A1:K1000')
        .protect()
        .setDescription('Written by Safe Live Lessons')
        .setWarningOnly(true);
      book.getSheetByName('Incidents')!.getRange('N1:U1').clearContent();
    });
    expect(ws.sheets.protections(school.logId).filter((p) => p.warningOnly)).toHaveLength(2);
    // With warnings only, an editor can click through and change the record.
    ws.sheets.editAsUser(school.school.slt.email, school.logId, 'Sessions!B1', [['Session']]);

    school.run('setup', {}, me, 'editor');
    const after = ws.sheets.protections(school.logId);
    expect(after.filter((p) => p.warningOnly || p.type === 'RANGE')).toEqual([]);
    expect(() =>
      ws.sheets.editAsUser(school.school.slt.email, school.logId, 'Sessions!B1', [['x']]),
    ).toThrow(/protected cell/);
    const [header] = ws.sheets.table(school.logId, 'Incidents');
    expect(header).toContain('Reported To Police/CEOP');
  });
});

describe('a dashboard that agrees with itself and with the Sessions sheet', () => {
  it('counts serious flags only on lessons that ran, so the weeks of the term add up to the termly row', () => {
    const school = new DeployedSchool({ teachers: 3 });
    const { ws } = school;
    // Ran with a serious flag (no second adult), ran clean, and next week's with no second
    // adult (a serious flag on a lesson that has not run).
    scheduleFor(school, { title: 'Alone', secondStaff: null });
    scheduleFor(school, { course: 1, title: 'Clean' });
    scheduleFor(school, {
      course: 2,
      title: 'Next week alone',
      start: monday(10) + 7 * DAY_MS,
      secondStaff: null,
    });
    school.advanceTo(monday(12));
    school.advance(HOUR_MS);

    // Worked out from the Sessions sheet itself.
    const sessions = records(school, 'Sessions');
    const ran = sessions.filter((r) => r['Room Opened'] !== '');
    expect(ran).toHaveLength(2);
    const ranSerious = ran.filter((r) => r.Serious === 'yes');
    expect(ranSerious).toHaveLength(1);
    expect(sessions.filter((r) => r.Serious === 'yes')).toHaveLength(2);

    const term = block(school, 'Termly summary for governors');
    expect(term[0]).toEqual([
      'Term',
      'Lessons scheduled',
      'Lessons run',
      'Run with serious flags',
      'Incidents',
      'Pupils removed',
    ]);
    const autumn = term.find((r) => r[0] === 'Autumn 2026')!;
    expect(autumn.slice(1, 4)).toEqual([sessions.length, ran.length, ranSerious.length]);
    const weeks = block(school, 'Weekly summary, Autumn 2026').slice(1);
    const sum = (i: number) => weeks.reduce((n, r) => n + Number(r[i]), 0);
    expect([sum(1), sum(2), sum(3)]).toEqual([autumn[2], autumn[3], autumn[4]]);
    // The flagged list still shows next week's lesson: it needs attention before it runs.
    expect(block(school, 'Lessons with serious flags').map((r) => r[1])).toEqual(
      expect.arrayContaining(['Alone (Year 3 Class A)', expect.stringMatching(/^Next week alone/)]),
    );
    expect(ws.sheets.formulaCells(school.logId)).toEqual([]);
  });

  it('is redrawn only when its figures change, and keeps its chart', () => {
    const school = new DeployedSchool();
    const { ws } = school;
    scheduleFor(school, { title: 'Phonics' });
    school.advanceTo(monday(12));
    school.advance(HOUR_MS);
    const [chart] = ws.sheets.charts(school.logId, 'Dashboard');
    expect(chart).toBeDefined();
    const writes: Record<string, number>[] = [];
    const hour = () =>
      school.advance(HOUR_MS, (name, result) => {
        if (name === 'hourlyHousekeeping') writes.push(sheetsCalls(result));
      });
    // Nothing changed: the hourly run reads the figures and draws nothing (a drawing always
    // sets the headings' weights in one call and says when the figures last changed).
    const drawnLine = () => String(ws.sheets.table(school.logId, 'Dashboard')[1]![0]);
    const drawnAt = drawnLine();
    hour();
    expect(writes).toHaveLength(1);
    const quiet = writes[0]!;
    expect(quiet['sheets.Range.setFontWeights'] ?? 0).toBe(0);
    expect(Object.keys(quiet).filter((k) => /Chart/.test(k))).toEqual([]);
    expect(drawnLine()).toBe(drawnAt);
    // A lesson runs: the figures change, the sheet is rewritten, the same chart is updated.
    scheduleFor(school, { course: 1, title: 'Maths', start: monday(16) });
    school.advanceTo(monday(17));
    hour();
    const busy = writes.at(-1)!;
    expect(busy['sheets.Range.setFontWeights']).toBe(1);
    expect(drawnLine()).not.toBe(drawnAt);
    expect(busy['sheets.Sheet.insertChart'] ?? 0).toBe(0);
    const charts = ws.sheets.charts(school.logId, 'Dashboard');
    expect(charts).toHaveLength(1);
    expect(charts[0]!.chartId).toBe(chart!.chartId);
    expect(
      block(school, 'Termly summary')
        .find((r) => r[0] === 'Autumn 2026')!
        .slice(1, 3),
    ).toEqual([2, 2]);
  });
});

function sheetsCalls(result: ExecutionResult<unknown>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(result.execution.calls.snapshot()).filter(
      ([k, v]) => k.startsWith('sheets.') && v > 0,
    ),
  );
}

describe('what a lesson costs in Sheets calls (issue 8)', () => {
  it('counts a standard lesson’s log at no more than 10 Sheets calls', () => {
    const school = new DeployedSchool({ teachers: 1, pupilsPerCourse: 25 });
    const { ws } = school;
    const course = school.school.courses[0]!;
    const table = new Timetable(school);
    // Every Sheets call of every execution of the lesson's life, from scheduling in the
    // sidebar to its recording linked in its row. The hourly jobs (dashboard, settings,
    // purge query) cost the same whatever the lessons and are counted apart below.
    const perJob: Record<string, number> = {};
    const hourly = new Set(['hourlyHousekeeping', 'purgeRecordings', 'dailyDigest']);
    const count = (name: string, result: ExecutionResult<unknown>) => {
      const calls = result.execution.calls.count('sheets');
      if (hourly.has(name) || calls === 0) return;
      perJob[name] = (perJob[name] ?? 0) + calls;
    };
    const advance = school.advance.bind(school);
    school.advance = (ms, onRun) =>
      advance(ms, (name, result) => {
        count(name, result);
        onRun?.(name, result);
      });
    const before = ws.kernel.calls.count('sheets');
    const plan = table.add({
      course,
      title: 'Standard lesson',
      start: monday(10),
      minutes: 30,
      teacherJoins: -3,
      pupils: course.pupils,
      intruder: null,
    });
    perJob.scheduling = ws.kernel.calls.count('sheets') - before;
    table.runUntil(monday(11, 30));
    const row = school.sessionRow(plan.lessonId!)!;
    // The whole life is in the log: every time, attendance, and the recording.
    expect(row.Status).toBe('closed');
    for (const cell of ['Room Opened', 'Link Shared', 'Link Withdrawn', 'Call Ended', 'Recording'])
      expect(row[cell]).not.toBe('');
    expect(row['Pupils Present']).toBe(25);
    expect(school.attendance(plan.lessonId!).length).toBeGreaterThanOrEqual(26);
    const total = Object.values(perJob).reduce((n, v) => n + v, 0);
    // Measured: 2 when scheduled (open + the row), 3 at close (open + row + attendance),
    // 5 when the recording is linked (open, registry read, registry row, audit row, the link).
    expect(perJob).toEqual({ scheduling: 0, monitorTick: 5, collectRecordings: 5 });
    expect(total).toBeLessThanOrEqual(10);
  });

  it('writes a school’s new lessons in one block and does not rewrite a lesson as it opens, shares and ends', () => {
    const school = new DeployedSchool({ teachers: 6, pupilsPerCourse: 2 });
    for (const i of school.school.courses.keys())
      scheduleFor(school, { course: i, title: `Lesson ${i}`, start: monday(10) });
    let first: Record<string, number> = {};
    school.advance(MIN, (name, result) => {
      if (name === 'monitorTick') first = sheetsCalls(result);
    });
    // Six new rows: one open, one write.
    expect(first).toEqual({ 'sheets.SpreadsheetApp.openById': 1, 'sheets.Range.setValues': 1 });
    expect(records(school, 'Sessions')).toHaveLength(6);
    // Opening the rooms at 09:50 changes nothing SLT must see at once: no Sheets call.
    let opening = -1;
    school.advanceTo(monday(9, 49));
    school.advance(2 * MIN, (name, result) => {
      if (name === 'monitorTick' && opening < 0 && result.execution.calls.count('meet') > 0)
        opening = result.execution.calls.count('sheets');
    });
    expect(opening).toBe(0);
    expect(school.lessons().every((l) => l.status === 'open')).toBe(true);
    expect(records(school, 'Sessions').every((r) => r.Status === 'scheduled')).toBe(true);
  });
});

describe('SLT and approvers hear of scheduled lessons (R2, R3)', () => {
  it('lists newly scheduled lessons for SLT in one email an hour, and tells approvers at once in one email', () => {
    const school = new DeployedSchool({ teachers: 3, approvalRequired: true });
    const slt = school.school.slt.email;
    const head = school.school.head.email;
    const lists = () =>
      school.mailTo(slt).filter((m) => /live lessons? scheduled/i.test(m.subject));
    const approvals = () =>
      school.mailTo(head).filter((m) => m.subject.startsWith('Approval needed'));

    // Three lessons scheduled before the next run: approvers get one email listing all three.
    const first = [0, 1, 2].map((i) =>
      scheduleFor(school, { course: i, title: `Early ${i}`, start: monday(14) }),
    );
    school.advance(MIN);
    expect(approvals()).toHaveLength(1);
    for (const s of first) expect(approvals()[0]!.body).toContain(s.lessonId);
    // SLT had no list yet: this one goes at once.
    expect(lists()).toHaveLength(1);
    for (const s of first) expect(lists()[0]!.body).toContain(s.lessonId);
    const listedAt = school.ws.now();

    // Two more over the next half hour: nothing to SLT until an hour after the last list.
    school.advance(10 * MIN);
    const later = [0, 1].map((i) =>
      scheduleFor(school, { course: i, title: `Later ${i}`, start: monday(15) }),
    );
    const scheduledAt = school.ws.now();
    school.advance(20 * MIN);
    expect(lists()).toHaveLength(1);
    expect(approvals()).toHaveLength(2);
    school.advanceTo(listedAt + HOUR_MS);
    expect(lists()).toHaveLength(2);
    const second = lists()[1]!;
    expect(second.subject).toBe('2 live lessons scheduled: Later 0, Later 1');
    for (const s of later) expect(second.body).toContain(s.lessonId);
    for (const s of first) expect(second.body).not.toContain(s.lessonId);
    // R3: within the hour of being scheduled.
    expect(second.at - scheduledAt).toBeLessThan(HOUR_MS);
    school.advance(3 * HOUR_MS);
    expect(lists()).toHaveLength(2);
  });
});
