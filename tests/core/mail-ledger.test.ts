// The mail queue's books (issue 9): the day's counts, the budget booked before sending and
// settled after, "mail failing since", and the Mail sheet's rows (no body, no formulas).

import {
  addTally,
  compactRecords,
  emptyState,
  emptyTally,
  MAIL_COLUMNS,
  MAX_PENDING_RECORDS,
  mailRow,
  mergeTally,
  noteRecord,
  onDay,
  reserve,
  sentRecord,
  settle,
} from '../../src/core/mail-ledger';
import type { QueuedMail } from '../../src/core/mail-plan';

const NOW = Date.UTC(2026, 10, 23, 10, 0);
const HOUR = 3_600_000;

const mail: QueuedMail = {
  id: 'n1',
  kind: 'lesson-scheduled',
  urgency: 'soon',
  to: ['slt@s'],
  subject: '=IMPORTRANGE("x")',
  body: 'Pupil names would be here',
  queuedAt: NOW - HOUR,
  attempts: 0,
  nextTry: NOW,
  lease: null,
};

describe('the day’s counts', () => {
  it('start again on a new school day and forget old pacing marks', () => {
    const state = {
      ...emptyState('2026-11-23'),
      lastSoon: { 'old@s': NOW - 4 * HOUR, 'new@s': NOW - HOUR },
    };
    const busy = addTally(state, { ...emptyTally(), recipients: 7, emails: 2, notices: 3 }, NOW);
    expect(onDay(busy, '2026-11-23', NOW).today.recipients).toBe(7);
    const next = onDay(busy, '2026-11-24', NOW);
    expect(next.today).toMatchObject({ day: '2026-11-24', recipients: 0, notices: 0 });
    expect(next.totals).toEqual({ recipients: 7, emails: 2, notices: 3 });
    expect(Object.keys(next.lastSoon)).toEqual(['new@s']);
  });

  it('mark mail failing from the first failure after a working spell, and clear it when mail works', () => {
    let state = emptyState('2026-11-23');
    state = addTally(state, { ...emptyTally(), failed: true, failedAttempts: 1 }, NOW);
    expect(state.failingSince).toBe(NOW);
    state = { ...state, failingReported: true };
    state = addTally(state, { ...emptyTally(), failed: true }, NOW + HOUR);
    expect(state.failingSince).toBe(NOW);
    state = addTally(state, { ...emptyTally(), worked: true, recipients: 1 }, NOW + 2 * HOUR);
    expect(state).toMatchObject({ failingSince: null, failingReported: false });
  });

  it('count a notice folded while queueing and an email sent later in the same run once each', () => {
    const queued = { ...emptyTally(), folded: 1, failed: true };
    const sent = {
      ...emptyTally(),
      recipients: 2,
      emails: 1,
      notices: 1,
      soonTo: ['a@s'],
      worked: true,
    };
    const state = addTally(emptyState('2026-11-23'), mergeTally(sent, queued), NOW);
    expect(state.today).toMatchObject({ recipients: 2, emails: 1, notices: 1, folded: 1 });
    expect(state.lastSoon).toEqual({ 'a@s': NOW });
    // Anything accepted means mail works, though something failed earlier in the run.
    expect(state.failingSince).toBeNull();
  });

  it('book the planned recipients before sending and keep only what really went', () => {
    const before = { ...emptyState('2026-11-23'), lastSoon: { 'b@s': NOW - HOUR } };
    const booked = reserve(before, 3, ['a@s', 'b@s'], NOW);
    expect(booked.today.recipients).toBe(3);
    expect(booked.lastSoon).toEqual({ 'a@s': NOW, 'b@s': NOW });
    // Only a@s's email (1 recipient) went; b@s's did not.
    const settled = settle(
      booked,
      {
        reserved: 3,
        tally: { ...emptyTally(), recipients: 1, emails: 1, notices: 1, worked: true },
        unsentSoon: { 'b@s': NOW - HOUR },
      },
      NOW,
    );
    expect(settled.today.recipients).toBe(1);
    expect(settled.totals.recipients).toBe(1);
    expect(settled.lastSoon).toEqual({ 'a@s': NOW, 'b@s': NOW - HOUR });
  });
});

describe('the Mail sheet', () => {
  it('records when, what kind, the subject and how many recipients, never the body', () => {
    const record = sentRecord(mail, { at: NOW, recipients: 1, sharedWith: 2, how: 'sent' });
    const row = mailRow(record, 'Europe/London');
    expect(row).toHaveLength(MAIL_COLUMNS.length);
    expect(row).toEqual([
      '2026-11-23',
      '10:00',
      'lesson-scheduled',
      `'=IMPORTRANGE("x")`,
      1,
      'sent, in one email with 2 other notices',
      '2026-11-23 09:00',
      1,
      1,
      'n1',
    ]);
    expect(row.join(' ')).not.toContain('Pupil');
  });

  it('says how a notice whose answer was lost was judged', () => {
    expect(
      sentRecord(mail, { at: NOW, recipients: 1, sharedWith: 0, how: 'left-unclear' }).status,
    ).toMatch(/its quota shows the email left, so it was not sent again/);
    expect(
      sentRecord(
        { ...mail, attempts: 2, unclear: true },
        { at: NOW, recipients: 1, sharedWith: 0, how: 'sent' },
      ).status,
    ).toBe(
      'sent after 2 failed attempt(s); an earlier attempt had no clear answer, so it may have arrived twice',
    );
  });

  it('sums the oldest waiting records into one row when the log has been down long', () => {
    const records = Array.from({ length: MAX_PENDING_RECORDS + 10 }, (_, i) => ({
      ...noteRecord(`r${i}`, 'x', NOW + i, 'sent'),
      recipients: 2,
      notices: 1,
    }));
    const { drop, summary } = compactRecords(records, NOW);
    expect(drop).toHaveLength(11);
    expect(summary).toMatchObject({ notices: 11, recipients: 22 });
    expect(compactRecords(records.slice(0, 5), NOW)).toEqual({ drop: [], summary: null });
  });
});
