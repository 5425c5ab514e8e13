// Time arithmetic and wall-clock parts in the school's time zone, for policy checks
// such as "lessons take place in normal lesson hours" (policy 000, 002).

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  /** 1 = Monday ... 7 = Sunday (ISO). */
  weekday: number;
  hour: number;
  minute: number;
}

const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock date and time at `ms` in `timeZone` (an IANA name such as Europe/London). */
export function localParts(ms: number, timeZone: string): LocalParts {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      weekday: 'short',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  const parts: Record<string, string> = {};
  for (const part of format.formatToParts(new Date(ms))) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS[parts.weekday ?? ''] ?? 0,
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

/** Minutes since local midnight. */
export function minuteOfDay(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  return p.hour * 60 + p.minute;
}

/** 'YYYY-MM-DD' in the school's zone. */
export function localDate(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** 'HH:MM' in the school's zone. */
export function localTime(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * The instant at which the wall clock in `timeZone` reads `date` `time`. Two guesses
 * around the zone offset settle it; a time that does not exist (clocks going forward)
 * resolves to the later offset, which is what a teacher would mean.
 */
export function zonedInstant(date: string, time: string, timeZone: string): number {
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const naive = Date.UTC(y, mo - 1, d, h, mi);
  let guess = naive;
  for (let i = 0; i < 3; i++) {
    const p = localParts(guess, timeZone);
    const shown = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute);
    const next = guess + (naive - shown);
    if (next === guess) break;
    guess = next;
  }
  return guess;
}

/** Monday 00:00 (local) of the ISO week holding `ms`, as 'YYYY-MM-DD'. */
export function weekKey(ms: number, timeZone: string): string {
  const p = localParts(ms, timeZone);
  const monday = Date.UTC(p.year, p.month - 1, p.day) - (p.weekday - 1) * DAY_MS;
  const m = new Date(monday);
  return `${m.getUTCFullYear()}-${pad(m.getUTCMonth() + 1)}-${pad(m.getUTCDate())}`;
}

/** 'HH:MM' → minutes since midnight, or undefined when malformed. */
export function parseClockTime(value: string): number | undefined {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value.trim());
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTH_NAMES = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
];

/**
 * A day as a UK teacher writes it: 'Mon 23 Nov' (the year added when it is not the year of
 * `now`). Built from the zone's wall clock, so GMT and BST are both right; no locale data needed.
 */
export function ukDate(ms: number, timeZone: string, now?: number): string {
  const p = localParts(ms, timeZone);
  const year = now !== undefined && localParts(now, timeZone).year !== p.year ? ` ${p.year}` : '';
  return `${DAY_NAMES[p.weekday]} ${p.day} ${MONTH_NAMES[p.month - 1]}${year}`;
}

/** 'Mon 23 Nov, 10:00' in the school's zone. */
export function ukDateTime(ms: number, timeZone: string, now?: number): string {
  return `${ukDate(ms, timeZone, now)}, ${localTime(ms, timeZone)}`;
}

/**
 * A lesson's time as a UK teacher writes it: 'Mon 23 Nov, 10:00–10:30'; a lesson that runs
 * past midnight names both days ('Mon 23 Nov, 23:30 – Tue 24 Nov, 00:15').
 */
export function ukTimeRange(start: number, end: number, timeZone: string, now?: number): string {
  if (localDate(start, timeZone) === localDate(end, timeZone))
    return `${ukDateTime(start, timeZone, now)}–${localTime(end, timeZone)}`;
  return `${ukDateTime(start, timeZone, now)} – ${ukDateTime(end, timeZone, now)}`;
}

/** The instant the school's day holding `ms` begins (local midnight; GMT/BST aware). */
export function localDayStart(ms: number, timeZone: string): number {
  return zonedInstant(localDate(ms, timeZone), '00:00', timeZone);
}

/** The instant the school's day `days` after the one holding `ms` begins (a calendar day, 23 to 25 hours). */
export function localDayStartAfter(ms: number, days: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return zonedInstant(date, '00:00', timeZone);
}

export function isoString(ms: number): string {
  return new Date(ms).toISOString();
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}
