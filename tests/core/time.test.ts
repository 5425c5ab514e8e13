// Wall-clock time in the school's zone, for "normal lesson hours" (policy 000, 002), across
// the clock changes.

import {
  isoString,
  localDate,
  localParts,
  localTime,
  minuteOfDay,
  parseClockTime,
  weekKey,
  zonedInstant,
} from '../../src/core/time';

const LONDON = 'Europe/London';

describe('localParts and zonedInstant across British Summer Time', () => {
  it('reads London as UTC on the Saturday before the clocks go forward', () => {
    const ms = Date.UTC(2026, 2, 28, 9, 0);
    expect(localParts(ms, LONDON)).toEqual({
      year: 2026,
      month: 3,
      day: 28,
      weekday: 6,
      hour: 9,
      minute: 0,
    });
  });

  it('reads London an hour ahead of UTC once the clocks go forward on 29 March 2026', () => {
    expect(localTime(Date.UTC(2026, 2, 29, 0, 59), LONDON)).toBe('00:59');
    expect(localTime(Date.UTC(2026, 2, 29, 1, 0), LONDON)).toBe('02:00');
    expect(localTime(Date.UTC(2026, 2, 30, 8, 30), LONDON)).toBe('09:30');
  });

  it('reads London as UTC again once the clocks go back on 25 October 2026', () => {
    expect(localTime(Date.UTC(2026, 9, 25, 0, 59), LONDON)).toBe('01:59');
    expect(localTime(Date.UTC(2026, 9, 25, 1, 0), LONDON)).toBe('01:00');
    expect(localTime(Date.UTC(2026, 9, 26, 9, 30), LONDON)).toBe('09:30');
  });

  it('turns a London lesson time into the right instant either side of each change', () => {
    expect(isoString(zonedInstant('2026-03-27', '09:00', LONDON))).toBe('2026-03-27T09:00:00.000Z');
    expect(isoString(zonedInstant('2026-03-30', '09:00', LONDON))).toBe('2026-03-30T08:00:00.000Z');
    expect(isoString(zonedInstant('2026-03-29', '03:00', LONDON))).toBe('2026-03-29T02:00:00.000Z');
    expect(isoString(zonedInstant('2026-10-23', '09:00', LONDON))).toBe('2026-10-23T08:00:00.000Z');
    expect(isoString(zonedInstant('2026-10-26', '09:00', LONDON))).toBe('2026-10-26T09:00:00.000Z');
    expect(isoString(zonedInstant('2026-10-25', '00:30', LONDON))).toBe('2026-10-24T23:30:00.000Z');
    expect(isoString(zonedInstant('2026-10-25', '02:30', LONDON))).toBe('2026-10-25T02:30:00.000Z');
  });

  it('round-trips every quarter hour of the change days that exists once on the clock', () => {
    for (const date of ['2026-03-29', '2026-10-25']) {
      for (let m = 0; m < 24 * 60; m += 15) {
        const time = `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        if (time.startsWith('01:')) continue; // missing (March) or twice over (October)
        const ms = zonedInstant(date, time, LONDON);
        expect(`${localDate(ms, LONDON)} ${localTime(ms, LONDON)}`).toBe(`${date} ${time}`);
      }
    }
  });

  it('works for a school outside the UK', () => {
    const ms = zonedInstant('2026-07-01', '09:00', 'America/New_York');
    expect(isoString(ms)).toBe('2026-07-01T13:00:00.000Z');
    expect(minuteOfDay(ms, 'America/New_York')).toBe(9 * 60);
  });
});

describe('weekKey: the ISO week a lesson falls in (R4)', () => {
  it('names the week by its Monday', () => {
    expect(weekKey(zonedInstant('2026-11-23', '00:00', LONDON), LONDON)).toBe('2026-11-23');
    expect(weekKey(zonedInstant('2026-11-25', '12:00', LONDON), LONDON)).toBe('2026-11-23');
    expect(weekKey(zonedInstant('2026-11-29', '23:59', LONDON), LONDON)).toBe('2026-11-23');
    expect(weekKey(zonedInstant('2026-11-30', '00:00', LONDON), LONDON)).toBe('2026-11-30');
  });

  it('uses the London date, not the UTC one, in summer time', () => {
    // 00:30 BST on Monday 29 June is still Sunday 28 June in UTC.
    const ms = zonedInstant('2026-06-29', '00:30', LONDON);
    expect(new Date(ms).getUTCDay()).toBe(0);
    expect(weekKey(ms, LONDON)).toBe('2026-06-29');
  });

  it('crosses months and years', () => {
    expect(weekKey(zonedInstant('2027-01-01', '10:00', LONDON), LONDON)).toBe('2026-12-28');
  });

  it('keeps the week across the clocks going back', () => {
    expect(weekKey(zonedInstant('2026-10-25', '12:00', LONDON), LONDON)).toBe('2026-10-19');
    expect(weekKey(zonedInstant('2026-10-26', '09:00', LONDON), LONDON)).toBe('2026-10-26');
  });
});

describe('parseClockTime', () => {
  it('reads HH:MM and refuses anything else', () => {
    expect(parseClockTime(' 08:30 ')).toBe(510);
    expect(parseClockTime('9:05')).toBe(545);
    expect(parseClockTime('23:59')).toBe(1439);
    expect(parseClockTime('24:00')).toBeUndefined();
    expect(parseClockTime('8.30')).toBeUndefined();
    expect(parseClockTime('')).toBeUndefined();
  });
});
