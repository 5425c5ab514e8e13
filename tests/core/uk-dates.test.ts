// Dates and times on cards as a UK teacher writes them ("Mon 23 Nov, 10:00–10:30"), in the
// school's zone across GMT and BST, and the days that make "the next seven days".

import {
  localDate,
  localDayStart,
  localDayStartAfter,
  ukDate,
  ukDateTime,
  ukTimeRange,
} from '../../src/core/time';

const LONDON = 'Europe/London';

describe('dates as a UK teacher writes them', () => {
  it('writes a lesson as "Mon 23 Nov, 10:00–10:30" in winter (GMT)', () => {
    const start = Date.UTC(2026, 10, 23, 10, 0);
    expect(ukTimeRange(start, start + 30 * 60_000, LONDON)).toBe('Mon 23 Nov, 10:00–10:30');
    expect(ukDate(start, LONDON)).toBe('Mon 23 Nov');
  });

  it('writes London wall-clock time in summer (BST), not UTC', () => {
    const start = Date.UTC(2026, 5, 15, 9, 0); // 10:00 in London
    expect(ukTimeRange(start, start + 30 * 60_000, LONDON)).toBe('Mon 15 Jun, 10:00–10:30');
  });

  it('follows the clocks on the days they change', () => {
    // Sunday 29 March 2026: 01:00 GMT becomes 02:00 BST.
    expect(ukDateTime(Date.UTC(2026, 2, 29, 0, 30), LONDON)).toBe('Sun 29 Mar, 00:30');
    expect(ukDateTime(Date.UTC(2026, 2, 29, 1, 30), LONDON)).toBe('Sun 29 Mar, 02:30');
    // Sunday 25 October 2026: 02:00 BST goes back to 01:00 GMT.
    expect(ukDateTime(Date.UTC(2026, 9, 25, 0, 30), LONDON)).toBe('Sun 25 Oct, 01:30');
    expect(ukDateTime(Date.UTC(2026, 9, 25, 1, 30), LONDON)).toBe('Sun 25 Oct, 01:30');
  });

  it('uses the school’s zone, whatever the server’s', () => {
    const start = Date.UTC(2026, 10, 23, 23, 30);
    expect(ukDateTime(start, LONDON)).toBe('Mon 23 Nov, 23:30');
    expect(ukDateTime(start, 'Asia/Tokyo')).toBe('Tue 24 Nov, 08:30');
  });

  it('names both days for a lesson that runs past midnight', () => {
    const start = Date.UTC(2026, 10, 23, 23, 30);
    expect(ukTimeRange(start, start + 45 * 60_000, LONDON)).toBe(
      'Mon 23 Nov, 23:30 – Tue 24 Nov, 00:15',
    );
  });

  it('adds the year only when it is not this year', () => {
    const now = Date.UTC(2026, 11, 14, 9, 0);
    expect(ukDate(Date.UTC(2027, 0, 4, 10, 0), LONDON, now)).toBe('Mon 4 Jan 2027');
    expect(ukDate(Date.UTC(2026, 11, 15, 10, 0), LONDON, now)).toBe('Tue 15 Dec');
  });

  it('writes every month and weekday in short English, without locale data', () => {
    const months = Array.from(
      { length: 12 },
      (_, m) => ukDate(Date.UTC(2026, m, 1, 12, 0), LONDON).split(' ')[2],
    );
    expect(months).toEqual([
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
    ]);
    const days = Array.from(
      { length: 7 },
      (_, d) => ukDate(Date.UTC(2026, 10, 23 + d, 12, 0), LONDON).split(' ')[0],
    );
    expect(days).toEqual(['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']);
  });
});

describe('school days for "the next seven days"', () => {
  it('starts a day at local midnight, in BST too', () => {
    expect(localDayStart(Date.UTC(2026, 5, 15, 12, 0), LONDON)).toBe(Date.UTC(2026, 5, 14, 23, 0));
    expect(localDayStart(Date.UTC(2026, 10, 23, 12, 0), LONDON)).toBe(Date.UTC(2026, 10, 23, 0, 0));
  });

  it('counts calendar days across the clock change (a 25-hour Sunday)', () => {
    const saturday = Date.UTC(2026, 9, 24, 18, 0);
    const monday = localDayStartAfter(saturday, 2, LONDON);
    expect(monday).toBe(Date.UTC(2026, 9, 26, 0, 0));
    expect(localDate(monday, LONDON)).toBe('2026-10-26');
  });

  it('from a Sunday evening, tomorrow is Monday and a week on is the next Monday', () => {
    const sunday = Date.UTC(2026, 10, 22, 18, 0);
    expect(localDayStartAfter(sunday, 1, LONDON)).toBe(Date.UTC(2026, 10, 23, 0, 0));
    expect(localDayStartAfter(sunday, 8, LONDON)).toBe(Date.UTC(2026, 10, 30, 0, 0));
  });
});
