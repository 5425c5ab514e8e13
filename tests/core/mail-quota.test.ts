// Issue 9, R28: MailApp's quota is the sending account's, shared with whatever else it runs.
// When it cannot carry an alert nothing is attempted, so nothing fails: the plan names those
// alerts, and the books keep "mail not sent: quota spent" from the first such flush until the
// quota carries them, in words with kinds, lesson ids and times only.

import {
  emptyState,
  type MailState,
  noteQuotaShort,
  quotaBackNote,
  quotaShortNote,
  quotaShortWords,
  waitingAlert,
  waitingRecord,
} from '../../src/core/mail-ledger';
import type { FlushInput, QueuedMail } from '../../src/core/mail-plan';
import { planAt } from './mail-kit';

const NOW = Date.UTC(2026, 10, 23, 10, 5);
const MIN = 60_000;
const TZ = 'Europe/London';

function alert(id: string, p: Partial<QueuedMail> = {}): QueuedMail {
  return {
    id,
    kind: 'outsider',
    urgency: 'now',
    to: ['dsl@school.test', 'slt@school.test'],
    subject: 'Serious: an outside participant joined lesson L-20261123-abc234',
    body: 'Ada Lovelace (pupil) and A Stranger were in the call.',
    queuedAt: NOW - MIN,
    attempts: 0,
    nextTry: NOW - MIN,
    lease: null,
    ...p,
  };
}

const plan = (queue: QueuedMail[], over: Partial<FlushInput> = {}) => planAt(NOW, queue, over);

describe('planning alerts against the account’s quota', () => {
  it('names an alert whose recipients the quota left cannot carry, and plans no email for it', () => {
    const p = plan([alert('a')], { realRemaining: 1 });
    expect(p.emails).toEqual([]);
    expect(p.starved).toEqual(['a']);
  });

  it('sends what the quota carries and names only the alerts it cannot', () => {
    const p = plan([alert('a'), alert('b', { queuedAt: NOW })], { realRemaining: 2 });
    expect(p.emails.map((e) => e.ids)).toEqual([['a']]);
    expect(p.starved).toEqual(['b']);
  });

  it('names no alert while the quota carries them all', () => {
    expect(plan([alert('a')], { realRemaining: 2 }).starved).toEqual([]);
  });

  it('says the quota, not the day’s budget, holds back non-urgent mail when the quota is what is short', () => {
    const soon = alert('s', { urgency: 'soon', kind: 'lesson-scheduled', to: ['slt@school.test'] });
    expect(plan([soon], { realRemaining: 10 }).soonLimit).toBe('quota');
    expect(plan([soon], { usedToday: 500 }).soonLimit).toBe('budget');
  });
});

describe('the books while the quota holds alerts back', () => {
  const none = { carried: new Set<string>(), queued: null };

  function short(
    state: MailState,
    starved: QueuedMail[],
    over: Partial<Parameters<typeof noteQuotaShort>[1]> = {},
    now = NOW,
  ) {
    return noteQuotaShort(
      state,
      { ...none, starved: starved.map(waitingAlert), left: 0, ...over },
      now,
    );
  }

  it('count mail as not working from the first flush that could not carry an alert, and keep that start', () => {
    const first = short(emptyState('2026-11-23'), [alert('a')]);
    expect(first.quotaShort).toEqual({
      since: NOW,
      left: 0,
      alerts: [{ id: 'a', kind: 'outsider', lessons: ['L-20261123-abc234'], queuedAt: NOW - MIN }],
      count: 1,
      reported: false,
      listed: [],
    });
    const later = short(first, [alert('a'), alert('b', { queuedAt: NOW })], {}, NOW + 5 * MIN);
    expect(later.quotaShort?.since).toBe(NOW);
    expect(later.quotaShort?.alerts.map((a) => a.id)).toEqual(['a', 'b']);
    expect(later.quotaShort?.count).toBe(2);
  });

  it('keep an alert another execution holds, and let go of one that left the queue', () => {
    const state = short(emptyState('2026-11-23'), [alert('a'), alert('b')]);
    const held = short(state, [], { queued: new Set(['a', 'b']) });
    expect(held.quotaShort?.alerts.map((a) => a.id)).toEqual(['a', 'b']);
    const gone = short(state, [alert('b')], { queued: new Set(['b']) });
    expect(gone.quotaShort?.alerts.map((a) => a.id)).toEqual(['b']);
  });

  it('end the spell once the quota carries every waiting alert', () => {
    const state = short(emptyState('2026-11-23'), [alert('a')]);
    const back = short(state, [], { carried: new Set(['a']), queued: new Set(['a']) });
    expect(back.quotaShort).toBeNull();
  });

  it('say why, since when, what waits and what to do, with no name in it', () => {
    const state = short(emptyState('2026-11-23'), [
      alert('a'),
      alert('b', {
        kind: 'incident',
        subject: 'Safeguarding incident in lesson L-20261123-xyz789',
        queuedAt: NOW,
      }),
      alert('c', { kind: 'link-live', subject: 'Link still live: Phonics', queuedAt: NOW + MIN }),
    ]);
    const words = quotaShortWords(state.quotaShort!, TZ);
    expect(words).toBe(
      "NOT being sent since 2026-11-23 10:05: the automation account's daily email quota is spent (0 left); it comes back within 24 hours of the first sends. 3 urgent notices wait: outsider (lesson L-20261123-abc234) since 10:04; incident (lesson L-20261123-xyz789) since 10:05; link-live since 10:06. Tell the DSL and SLT in person now; check what else sends mail as the automation account. They go, once, when the quota allows.",
    );
    expect(words.length).toBeLessThanOrEqual(500);
    // A bad morning: as many as fit in a Status cell are named, the rest counted.
    const many = Array.from({ length: 9 }, (_, i) => alert(`m${i}`, { queuedAt: NOW + i * MIN }));
    const crowded = quotaShortWords(short(emptyState('2026-11-23'), many).quotaShort!, TZ);
    expect(crowded.length).toBeLessThanOrEqual(500);
    expect(crowded).toMatch(
      /^NOT being sent since .* 9 urgent notices wait: outsider \(lesson L-20261123-abc234\) since 10:05; .*; \d more \(Mail sheet\)\. Tell the DSL and SLT in person now/,
    );
    expect(quotaShortNote(state.quotaShort!, NOW, TZ).status).toBe(`MAIL ${words}`);
    expect(words).not.toMatch(/Ada|Stranger/);
  });

  it('give each waiting alert its own Mail sheet row, apart from the row it gets when it leaves', () => {
    const row = waitingRecord(alert('a'), 0, NOW);
    expect(row.id).toBe('wait-a');
    expect(row.status).toBe(
      "WAITING, NOT SENT: the automation account's daily email quota is spent (0 left); it comes back within 24 hours of the first sends. It leaves, once, as soon as the quota allows; tell its readers in person meanwhile.",
    );
    expect(quotaBackNote(NOW, NOW + 22 * 60 * MIN, TZ).kind).toBe('mail-quota-back');
  });
});

describe('300 alerts waiting for the quota (a full-size school)', () => {
  it('keeps the books within a script property (9 KB) and still counts every alert waiting', () => {
    const starved = Array.from({ length: 300 }, (_, i) =>
      waitingAlert(
        alert(`n${String(i).padStart(4, '0')}-${'x'.repeat(20)}`, {
          subject: `Serious: an outside participant joined lesson L-20261123-a${String(i).padStart(5, '0')}`,
          queuedAt: NOW - MIN + i,
        }),
      ),
    );
    const state = noteQuotaShort(
      emptyState('2026-11-23'),
      { starved, carried: new Set(), queued: null, left: 0 },
      NOW,
    );
    expect(JSON.stringify(state).length).toBeLessThan(4_000);
    const words = quotaShortWords(state.quotaShort!, TZ);
    expect(words).toMatch(/300 urgent notices wait/);
    expect(words).toMatch(/more \(Mail sheet\)/);
    expect(words.length).toBeLessThanOrEqual(500);
    // The oldest are the ones named.
    expect(words).toMatch(/L-20261123-a00000/);
  });
});
