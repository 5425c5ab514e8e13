// The log spreadsheet SLT open (R18-R20), as setup leaves it: one of each sheet, trigger and
// folder however often setup runs, a health check in plain words, frozen headers, filters,
// flags that stand out, the product's columns protected, a Dashboard with a chart, and a
// daily digest of serious flags.

import { HOUR_MS } from '../../src/core/time';
import { DeployedSchool, monday } from './deployed-school';
import { scheduleFor } from './scenario-kit';

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
    const protections = ws.sheets.protections(school.logId);
    expect(protections.length).toBe(new Set(protections.map((p) => JSON.stringify(p))).size);
    // SLT can close an incident (Status is theirs); the product's columns warn first.
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
