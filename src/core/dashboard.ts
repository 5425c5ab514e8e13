// R19: what SLT see first when they open the log: this week's lessons, flagged lessons,
// open incidents, pupils to follow up, and the weekly and termly summary for governors.
// Computed from the rows of the Sessions and Incidents sheets (the record SLT trust), so
// it covers every lesson ever logged, not only those still in the store.

import type { FollowUp } from './incident';
import { isClosedStatus } from './incident';
import { localDate, localTime, weekKey, zonedInstant } from './time';

export type SheetRecord = Record<string, unknown>;
export type DashCell = string | number;

export interface DashboardBlock {
  title: string;
  header: string[];
  rows: DashCell[][];
  /** Shown instead of rows when there are none. */
  empty: string;
  /** The block the chart draws (weeks of this term). */
  chart?: boolean;
}

export interface DashboardInput {
  sessions: readonly SheetRecord[];
  incidents: readonly SheetRecord[];
  followUps: readonly FollowUp[];
  now: number;
  timeZone: string;
}

/** Longest list shown; the sheets behind it have the rest (a dashboard is read at a glance). */
export const MAX_ROWS = 40;
/** How far back flagged lessons stay on the dashboard (SLT review at least weekly). */
export const FLAGGED_DAYS = 30;

/** A Date read from a sheet (checked by tag: the Date may come from another realm). */
function isDate(value: unknown): value is Date {
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** 'YYYY-MM-DD' of a cell Sheets may have turned into a date. */
export function dayOf(value: unknown, timeZone: string): string {
  if (isDate(value)) return localDate(value.getTime(), timeZone);
  const m = /^(\d{4}-\d{2}-\d{2})/.exec(String(value ?? '').trim());
  return m ? m[1]! : '';
}

function timeOf(value: unknown, timeZone: string): string {
  if (isDate(value)) return localTime(value.getTime(), timeZone);
  return /(\d{2}:\d{2})/.exec(String(value ?? ''))?.[1] ?? '';
}

/** English school terms: Autumn (Sep-Dec), Spring (Jan-Mar), Summer (Apr-Aug). */
export function termOf(day: string): { label: string; order: number } {
  const [y, m] = day.split('-').map(Number) as [number, number];
  if (m >= 9) return { label: `Autumn ${y}`, order: y * 3 };
  if (m <= 3) return { label: `Spring ${y}`, order: (y - 1) * 3 + 1 };
  return { label: `Summer ${y}`, order: (y - 1) * 3 + 2 };
}

const text = (v: unknown) => (isDate(v) ? v.toISOString() : String(v ?? '')).trim();
const capped = (rows: DashCell[][], more: string): DashCell[][] =>
  rows.length > MAX_ROWS
    ? [...rows.slice(0, MAX_ROWS), [`… and ${rows.length - MAX_ROWS} more: ${more}`]]
    : rows;

export function dashboardBlocks(input: DashboardInput): DashboardBlock[] {
  const tz = input.timeZone;
  const today = localDate(input.now, tz);
  const noon = (day: string) => zonedInstant(day, '12:00', tz);
  const thisWeek = weekKey(input.now, tz);
  const sessions = input.sessions
    .filter((s) => text(s['Lesson ID']) !== '')
    .map((s) => ({
      id: text(s['Lesson ID']),
      day: dayOf(s.Date, tz),
      start: timeOf(s.Start, tz),
      title: text(s.Session),
      teacher: text(s.Teacher),
      status: text(s.Status),
      serious: /^yes$/i.test(text(s.Serious)),
      flags: text(s.Flags),
      ran: text(s['Room Opened']) !== '',
    }))
    .filter((s) => s.day !== '')
    .sort((a, b) => `${a.day} ${a.start}`.localeCompare(`${b.day} ${b.start}`));
  const incidents = input.incidents
    .filter((i) => text(i['Incident ID']) !== '')
    .map((i) => ({
      id: text(i['Incident ID']),
      at: `${dayOf(i['Date & time'], tz)} ${timeOf(i['Date & time'], tz)}`.trim(),
      day: dayOf(i['Date & time'], tz),
      who: text(i['Name of pupil or staff member (T = target, O = offender)']),
      nature: text(i['Nature of incident(s)']),
      outcome: text(i['Outcome including action taken']),
      lessonId: text(i['Lesson ID']),
      removed: text(i['SLT Follow-up']) !== '',
      open: !isClosedStatus(i.Status),
    }));

  const week = sessions.filter((s) => s.day && weekKey(noon(s.day), tz) === thisWeek);
  const since = localDate(input.now - FLAGGED_DAYS * 24 * 3_600_000, tz);
  const flagged = sessions.filter((s) => s.serious && s.day >= since);
  const open = incidents.filter((i) => i.open);

  const terms = new Map<string, { order: number; row: number[] }>();
  const termRow = (day: string) => {
    const term = termOf(day);
    let entry = terms.get(term.label);
    if (!entry) {
      entry = { order: term.order, row: [0, 0, 0, 0, 0] };
      terms.set(term.label, entry);
    }
    return entry.row;
  };
  // "With serious flags" counts lessons that ran, in the termly and the weekly rows alike, so
  // the weeks of a term add up to its termly row (a flag on a lesson that never ran is on the
  // flagged list above, not in a count of lessons run).
  for (const s of sessions) {
    if (s.status === 'cancelled') continue;
    const row = termRow(s.day);
    row[0]! += 1;
    if (s.ran) row[1]! += 1;
    if (s.ran && s.serious) row[2]! += 1;
  }
  for (const i of incidents) {
    if (!i.day) continue;
    const row = termRow(i.day);
    row[3]! += 1;
    if (i.removed) row[4]! += 1;
  }

  const current = termOf(today);
  const weeks = new Map<string, number[]>();
  const weekRow = (day: string) => {
    const key = weekKey(noon(day), tz);
    if (!weeks.has(key)) weeks.set(key, [0, 0, 0]);
    return weeks.get(key)!;
  };
  for (const s of sessions) {
    if (termOf(s.day).label !== current.label || s.day > today || !s.ran) continue;
    const row = weekRow(s.day);
    row[0]! += 1;
    if (s.serious) row[1]! += 1;
  }
  for (const i of incidents) {
    if (i.day && termOf(i.day).label === current.label) weekRow(i.day)[2]! += 1;
  }

  return [
    {
      title: `This week's lessons (week of ${thisWeek})`,
      header: ['Date', 'Start', 'Session', 'Teacher', 'Status', 'Serious flag'],
      rows: capped(
        week.map((s) => [s.day, s.start, s.title, s.teacher, s.status, s.serious ? 'yes' : '']),
        'see the Sessions sheet',
      ),
      empty: 'No live lessons this week.',
    },
    {
      title: `Lessons with serious flags (since ${since})`,
      header: ['Date', 'Session', 'Teacher', 'Flags'],
      rows: capped(
        flagged.map((s) => [s.day, s.title, s.teacher, s.flags]),
        'filter the Sessions sheet on Serious = yes',
      ),
      empty: 'No serious flags.',
    },
    {
      title: 'Open incidents (close one by setting its Status in the Incidents sheet)',
      header: ['Date & time', 'Who (T/O)', 'Nature', 'Outcome', 'Lesson ID', 'Incident ID'],
      rows: capped(
        open.map((i) => [i.at, i.who, i.nature, i.outcome, i.lessonId, i.id]),
        'see the Incidents sheet',
      ),
      empty: 'No open incidents.',
    },
    {
      title: 'Pupils to follow up before they join a live lesson again',
      header: ['Pupil', 'Removed on', 'Lesson ID', 'Incident ID', 'Reported by'],
      rows: capped(
        input.followUps.map((f) => [
          f.personName,
          localDate(f.at, tz),
          f.lessonId,
          f.incidentId,
          f.by,
        ]),
        'see the Incidents sheet',
      ),
      empty: 'Nobody to follow up.',
    },
    {
      title: 'Termly summary for governors',
      header: [
        'Term',
        'Lessons scheduled',
        'Lessons run',
        'Run with serious flags',
        'Incidents',
        'Pupils removed',
      ],
      rows: [...terms.entries()]
        .sort((a, b) => a[1].order - b[1].order)
        .map(([label, t]) => [label, ...t.row]),
      empty: 'No lessons yet.',
    },
    {
      title: `Weekly summary, ${current.label}`,
      header: ['Week of', 'Lessons run', 'Run with serious flags', 'Incidents'],
      rows: [...weeks.entries()]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([k, r]) => [k, ...r]),
      empty: 'No lessons have run this term yet.',
      chart: true,
    },
  ];
}
