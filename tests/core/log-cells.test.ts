// R18, R28: how full the log spreadsheet is (Google's 10 million cells, every sheet's grid), in
// the health record, and what the admin is told: at 80%, with how fast it grows and when it will
// be full, and at once when a write was refused for want of cells.

import {
  emptyHealth,
  LOG_CELL_LIMIT,
  LOG_CELLS_EVERY_MS,
  LOG_CELLS_KEPT,
  type LogCells,
  logCellsDue,
  logCellsPerDay,
  newLogDue,
  noteLogCells,
  noteRun,
} from '../../src/core/health';
import { assess } from '../../src/core/health-problems';
import { statusRows } from '../../src/core/status-rows';
import { ctx, DAY, HOUR, MIN, monitorRun, T0, TZ } from './health-kit';

const logProblem = (s: ReturnType<typeof emptyHealth>, now: number) =>
  assess(s, now, ctx).filter((p) => p.key === 'quota:log');

describe('the log spreadsheet’s cells', () => {
  it('is looked at once a day, and every hour while a write was refused', () => {
    let s = emptyHealth(T0);
    expect(logCellsDue(s, T0)).toBe(true);
    s = noteRun(s, monitorRun(T0, { logCells: 1_000_000 }));
    expect(logCellsDue(s, T0 + HOUR)).toBe(false);
    expect(logCellsDue(s, T0 + LOG_CELLS_EVERY_MS + MIN)).toBe(true);
    s = noteRun(s, monitorRun(T0 + HOUR, { logCells: 'full' }));
    expect(logCellsDue(s, T0 + 2 * HOUR)).toBe(true);
    expect(s.logCells).toMatchObject({ full: true, cells: LOG_CELL_LIMIT });
  });

  it('takes the rate from the daily looks of the past week, not from setup’s count', () => {
    let c = noteLogCells(null, 2_000_000, T0, false);
    expect(c.looks).toEqual([]);
    expect(logCellsPerDay(c)).toBeNull();
    c = noteLogCells(c, 2_000_000, T0 + HOUR);
    expect(logCellsPerDay(c)).toBeNull();
    c = noteLogCells(c, 2_300_000, T0 + HOUR + 2 * DAY);
    expect(logCellsPerDay(c)).toBe(150_000);
    for (let d = 3; d < 20; d++) c = noteLogCells(c, 2_000_000 + d * 100_000, T0 + HOUR + d * DAY);
    expect(c.looks).toHaveLength(LOG_CELLS_KEPT);
    expect(logCellsPerDay(c)).toBe(100_000);
  });

  it('a count with less room than a block of rows needs is full', () => {
    expect(noteLogCells(null, LOG_CELL_LIMIT - 14_000, T0).full).toBe(true);
    expect(noteLogCells(null, LOG_CELL_LIMIT - 16_000, T0).full).toBe(false);
  });

  it('tells the admin from 80%, with the rate and the day it is full, until it is under 70% again', () => {
    let s = noteRun(emptyHealth(T0), monitorRun(T0, { logCells: 7_900_000 }));
    expect(logProblem(s, T0 + MIN)).toEqual([]);
    s = noteRun(s, monitorRun(T0 + DAY, { logCells: 8_100_000 }));
    const [p] = logProblem(s, T0 + DAY + MIN);
    expect(p).toMatchObject({
      urgent: false,
      subject:
        'Safe Live Lessons: 81% of the log spreadsheet’s cells (Google allows a spreadsheet 10 million) used',
    });
    // 1,900,000 cells left at 200,000 a day: 9.5 days after Monday 23 November 09:00.
    expect(p!.body).toContain(
      '81% used (8,100,000 cells at 09:00; it grew by about 200,000 a day this past week, so it is full around Thu 3 Dec).',
    );
    expect(p!.body).toContain(`signed in as ${ctx.automationAccount}`);
    const warned = { ...s, open: { 'quota:log': { since: T0, toldAt: T0 } } };
    expect(
      logProblem({ ...warned, logCells: { ...s.logCells!, cells: 7_100_000 } }, T0 + DAY),
    ).toHaveLength(1);
    expect(
      logProblem({ ...warned, logCells: { ...s.logCells!, cells: 6_900_000 } }, T0 + DAY),
    ).toEqual([]);
  });

  it('says at once, and on the Status sheet, that a full log refuses rows', () => {
    let s = noteRun(emptyHealth(T0), monitorRun(T0, { logCells: 9_000_000 }));
    s = noteRun(s, monitorRun(T0 + 2 * HOUR, { logCells: 'full' }));
    const [p] = logProblem(s, T0 + 2 * HOUR + MIN);
    expect(p).toMatchObject({
      urgent: true,
      subject:
        'Safe Live Lessons: all of the log spreadsheet’s cells (Google allows a spreadsheet 10 million) used',
    });
    expect(p!.body).toContain('all used (it had no room for more rows at 11:00).');
    const row = statusRows(s, T0 + 2 * HOUR + MIN, TZ).find(
      (r) => r[0] === 'Log spreadsheet’s cells',
    );
    expect(row?.slice(1)).toEqual([
      'OVER 80%',
      'FULL: no room for more rows at 11:00; rows wait in the script’s store. Run setup again to start a new log.',
    ]);
  });

  it('does not report the housekeeping the full log stops as a failing job of its own', () => {
    let s = noteRun(emptyHealth(T0), monitorRun(T0, { logCells: 'full' }));
    s = noteRun(s, {
      ...monitorRun(T0 + HOUR, {}),
      job: 'housekeeping',
      error: 'the log spreadsheet could not be read or written',
    });
    const keys = assess(s, T0 + HOUR + MIN, ctx).map((p) => p.key);
    expect(keys).toContain('quota:log');
    expect(keys).not.toContain('job:housekeeping');
  });
});

describe('a new log started by the product itself (R18, R28)', () => {
  // Tuesday 24 November 2026, local midnight in London (GMT): the night's hours from here.
  const MIDNIGHT = Date.UTC(2026, 10, 24);
  const withCells = (cells: number, extra: Partial<LogCells> = {}) => ({
    ...emptyHealth(MIDNIGHT - DAY),
    logCells: { cells, at: MIDNIGHT - 10 * HOUR, full: false, looks: [], ...extra },
  });

  it('is due only at night (01:00 to 05:00 where the school is), once the log is past 90% or full', () => {
    const nearlyFull = withCells(0.9 * LOG_CELL_LIMIT);
    expect(newLogDue(nearlyFull, MIDNIGHT + 1 * HOUR, TZ)).toBe(true);
    expect(newLogDue(nearlyFull, MIDNIGHT + 4 * HOUR + 59 * MIN, TZ)).toBe(true);
    expect(newLogDue(nearlyFull, MIDNIGHT + 59 * MIN, TZ)).toBe(false);
    expect(newLogDue(nearlyFull, MIDNIGHT + 5 * HOUR, TZ)).toBe(false);
    expect(newLogDue(nearlyFull, MIDNIGHT + 14 * HOUR, TZ)).toBe(false);
    expect(newLogDue(withCells(0.9 * LOG_CELL_LIMIT - 1), MIDNIGHT + 2 * HOUR, TZ)).toBe(false);
    expect(newLogDue(withCells(5_000_000, { full: true }), MIDNIGHT + 2 * HOUR, TZ)).toBe(true);
    expect(newLogDue(withCells(5_000_000, { full: true }), MIDNIGHT + 12 * HOUR, TZ)).toBe(false);
    expect(newLogDue(emptyHealth(MIDNIGHT), MIDNIGHT + 2 * HOUR, TZ)).toBe(false);
    expect(newLogDue(null, MIDNIGHT + 2 * HOUR, TZ)).toBe(false);
  });

  it('follows the school’s clock: in summer time 01:00 in London is 00:00 UTC', () => {
    const july = Date.UTC(2026, 6, 15);
    const s = withCells(LOG_CELL_LIMIT * 0.95);
    expect(newLogDue(s, july + 0 * HOUR + 30 * MIN, TZ)).toBe(true);
    expect(newLogDue(s, july + 4 * HOUR + 30 * MIN, TZ)).toBe(false);
  });

  it('is tried once a night: not again within 12 hours of a try, and the try is kept across the daily looks', () => {
    const tried = MIDNIGHT + 1 * HOUR;
    const s = withCells(0.95 * LOG_CELL_LIMIT, { newLogTried: tried });
    expect(newLogDue(s, MIDNIGHT + 2 * HOUR, TZ)).toBe(false);
    expect(newLogDue(s, MIDNIGHT + DAY + 1 * HOUR, TZ)).toBe(true);
    const looked = noteLogCells(s.logCells, 9_600_000, MIDNIGHT + 3 * HOUR);
    expect(looked.newLogTried).toBe(tried);
    expect(noteLogCells(s.logCells, 'full', MIDNIGHT + 3 * HOUR).newLogTried).toBe(tried);
    // Setup's count of a new log starts afresh.
    expect(noteLogCells(null, 40_000, MIDNIGHT + 3 * HOUR, false).newLogTried).toBeUndefined();
  });

  it('is named in the admin’s warning from 80%, with the hours it is done in', () => {
    const s = withCells(0.85 * LOG_CELL_LIMIT);
    const [problem] = logProblem(s, MIDNIGHT + 10 * HOUR);
    expect(problem).toBeDefined();
    expect(JSON.stringify(problem)).toContain(
      'If nobody has by the time it has used 90% (or it is full), the product does it itself the next night, between 01:00 and 05:00',
    );
  });
});
