// What leaves the mail queue when (issue 9, issue 8): alerts first and always within the
// real quota; everything else grouped per recipient, paced, and kept within the day's budget.

import {
  ALERT_RESERVE,
  ALERT_SHARE,
  ALERTS_GROUPED_OVER,
  combine,
  type FlushInput,
  fitNotice,
  fitsQueue,
  foldInto,
  GROUPED_BODY_MAX_BYTES,
  judgeLostAnswer,
  kindOf,
  MAX_RECIPIENTS_PER_EMAIL,
  MAYBE_REPEAT,
  NOTICE_MAX_BYTES,
  newNotice,
  noticeBytes,
  noticesIn,
  QUEUE_MAX_BYTES,
  type QueuedMail,
  RELEASE_HOLDS_AT,
  retryAt,
  SHORTENED,
  soonSpacingMs,
  utf8Bytes,
} from '../../src/core/mail-plan';
import { planAt } from './mail-kit';

const NOW = Date.UTC(2026, 10, 23, 10, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;

let serial = 0;
function notice(p: Partial<QueuedMail> & { to: string[] }): QueuedMail {
  serial += 1;
  return {
    id: p.id ?? `n${serial}`,
    kind: 'notice',
    urgency: 'soon',
    subject: `Subject ${serial}`,
    body: `Body ${serial}`,
    queuedAt: NOW - (100 - serial) * 1000,
    attempts: 0,
    nextTry: NOW,
    lease: null,
    ...p,
  };
}

const plan = (queue: QueuedMail[], over: Partial<FlushInput> = {}) => planAt(NOW, queue, over);

describe('planFlush', () => {
  it('sends every alert first, each as its own email with its own words', () => {
    const soon = notice({ to: ['slt@s'], queuedAt: NOW - HOUR });
    const a1 = notice({ to: ['dsl@s', 'slt@s'], urgency: 'now', subject: 'Outsider' });
    const a2 = notice({ to: ['t@s'], urgency: 'now', subject: 'Action needed' });
    const p = plan([soon, a1, a2]);
    expect(p.emails.map((e) => [e.urgency, e.subject, e.to])).toEqual([
      ['now', 'Outsider', ['dsl@s', 'slt@s']],
      ['now', 'Action needed', ['t@s']],
      ['soon', soon.subject, ['slt@s']],
    ]);
  });

  it('groups a recipient’s waiting notices into one email, so the recipient counts once', () => {
    const a = notice({ to: ['slt@s'], subject: 'Live lesson scheduled: A' });
    const b = notice({ to: ['slt@s'], subject: 'Live lesson scheduled: B' });
    const p = plan([a, b]);
    expect(p.emails).toHaveLength(1);
    expect(p.emails[0]!.to).toEqual(['slt@s']);
    expect(p.emails[0]!.ids).toEqual([a.id, b.id]);
    expect(p.emails[0]!.subject).toBe('Safe Live Lessons: 2 notices');
    // Each notice keeps its own subject and words inside, and can be read back out.
    expect(noticesIn(p.emails[0]!)).toEqual([
      { subject: a.subject, body: a.body },
      { subject: b.subject, body: b.body },
    ]);
  });

  it('keeps one email for recipients waiting for exactly the same notices', () => {
    const digest = notice({ to: ['slt@s', 'dsl@s'], subject: 'digest' });
    const extra = notice({ to: ['slt@s'], subject: 'only SLT' });
    const p = plan([digest, extra]);
    expect(p.emails.map((e) => [e.to, e.ids])).toEqual([
      [['slt@s'], [digest.id, extra.id]],
      [['dsl@s'], [digest.id]],
    ]);
    expect(p.emails[1]!.subject).toBe('digest');
    const two = plan([notice({ to: ['slt@s', 'dsl@s'], subject: 'both' })]);
    expect(two.emails.map((e) => e.to)).toEqual([['slt@s', 'dsl@s']]);
  });

  it('never puts more than 50 recipients in one email', () => {
    const many = Array.from({ length: 120 }, (_, i) => `p${i}@s`);
    const p = plan([notice({ to: many, urgency: 'now' })]);
    expect(p.emails.map((e) => e.to.length)).toEqual([50, 50, 20]);
    expect(MAX_RECIPIENTS_PER_EMAIL).toBe(50);
  });

  it('holds non-urgent mail for tomorrow once the day’s budget is spent, but never an alert', () => {
    const soon = notice({ to: ['slt@s'] });
    const alert = notice({ to: ['dsl@s'], urgency: 'now' });
    const p = plan([soon, alert], { usedToday: 500 });
    expect(p.emails.map((e) => e.ids)).toEqual([[alert.id]]);
    expect(p.overBudget).toEqual([soon.id]);
  });

  it('spends what is left of the budget oldest first, leaving the alerts’ share', () => {
    const older = notice({ to: ['a@s', 'b@s'], queuedAt: NOW - 2 * MIN });
    const newer = notice({ to: ['c@s'], queuedAt: NOW - MIN });
    const p = plan([newer, older], { usedToday: 500 - ALERT_SHARE - 2 });
    expect(p.emails.map((e) => e.to)).toEqual([['a@s', 'b@s']]);
    expect(p.overBudget).toEqual([newer.id]);
    // The alerts' share is theirs: an alert still goes, and the day stays under 500.
    const alert = notice({ to: ['d@s'], urgency: 'now' });
    expect(plan([alert, newer], { usedToday: 500 - ALERT_SHARE }).emails.map((e) => e.ids)).toEqual(
      [[alert.id]],
    );
  });

  it('lets held notices go when they fill the queue, rather than cutting them short', () => {
    const waiting = notice({ to: ['slt@s'] });
    const lastSoon = { 'slt@s': NOW - 30 * MIN };
    expect(plan([waiting], { usedToday: 300, lastSoon }).emails).toEqual([]);
    expect(
      plan([waiting], { usedToday: 300, lastSoon, queueBytes: QUEUE_MAX_BYTES * RELEASE_HOLDS_AT })
        .emails,
    ).toHaveLength(1);
  });

  it('sends alerts only within MailApp’s real quota, and leaves the alerts’ reserve to them', () => {
    const alert = notice({ to: ['a@s', 'b@s', 'c@s'], urgency: 'now' });
    expect(plan([alert], { realRemaining: 2 }).emails).toEqual([]);
    const soon = notice({ to: ['slt@s'] });
    expect(plan([soon], { realRemaining: ALERT_RESERVE }).emails).toEqual([]);
    expect(plan([soon], { realRemaining: ALERT_RESERVE + 1 }).emails).toHaveLength(1);
  });

  it('paces non-urgent mail as the day fills: at once, then hourly, then every three hours', () => {
    expect(soonSpacingMs(0, 500)).toBe(0);
    expect(soonSpacingMs(249, 500)).toBe(0);
    expect(soonSpacingMs(250, 500)).toBe(HOUR);
    expect(soonSpacingMs(400, 500)).toBe(3 * HOUR);
    const waiting = notice({ to: ['slt@s'] });
    const lastSoon = { 'slt@s': NOW - 30 * MIN };
    expect(plan([waiting], { usedToday: 100, lastSoon }).emails).toHaveLength(1);
    const held = plan([waiting], { usedToday: 300, lastSoon });
    expect(held.emails).toEqual([]);
    expect(held.held).toEqual([waiting.id]);
    expect(
      plan([waiting], { usedToday: 300, lastSoon: { 'slt@s': NOW - HOUR } }).emails,
    ).toHaveLength(1);
  });

  it('leaves notices another execution is sending, and those backing off', () => {
    const theirs = notice({ to: ['a@s'], lease: { owner: 'other', until: NOW + MIN } });
    const expired = notice({ to: ['b@s'], lease: { owner: 'other', until: NOW - 1 } });
    const mine = notice({ to: ['c@s'], lease: { owner: 'me', until: NOW + MIN } });
    const later = notice({ to: ['d@s'], nextTry: NOW + MIN });
    const p = plan([theirs, expired, mine, later]);
    expect(p.emails.flatMap((e) => e.ids).sort()).toEqual([expired.id, mine.id].sort());
    expect(plan([later], { ignoreBackoff: 'all' }).emails).toHaveLength(1);
    // While mail has been failing, every waiting alert is tried first, backing off or not.
    const alert = notice({ to: ['e@s'], urgency: 'now', nextTry: NOW + MIN });
    expect(plan([later, alert], { ignoreBackoff: 'alerts' }).emails.map((e) => e.ids)).toEqual([
      [alert.id],
    ]);
  });

  it('sends only the notices asked for (a teacher’s execution sends what it queued)', () => {
    const mine = notice({ to: ['a@s'] });
    const other = notice({ to: ['b@s'] });
    expect(plan([mine, other], { only: new Set([mine.id]) }).emails.map((e) => e.ids)).toEqual([
      [mine.id],
    ]);
  });
});

describe('a mass event: many alerts for the same people in one flush', () => {
  const lessonAlone = (i: number, extra: Partial<QueuedMail> = {}) =>
    notice({
      to: [`teacher${i}@s`, 'dsl@s', 'slt@s'],
      urgency: 'now',
      subject: `Pupils alone: Lesson ${i}`,
      body: `The pupils of lesson ${i} are in the call with no member of staff.`,
      ...extra,
    });

  it('sends the DSL and SLT one email listing thirty lessons left alone at once, and each teacher their own', () => {
    const alerts = Array.from({ length: 30 }, (_, i) => lessonAlone(i));
    const p = plan(alerts);
    const toDsl = p.emails.filter((e) => e.to.includes('dsl@s'));
    expect(toDsl).toHaveLength(1);
    expect(toDsl[0]!.to).toEqual(['dsl@s', 'slt@s']);
    expect(toDsl[0]!.urgency).toBe('now');
    expect(toDsl[0]!.subject).toBe('Safe Live Lessons: 30 urgent notices');
    expect(toDsl[0]!.ids).toEqual(alerts.map((a) => a.id));
    // Each alert is in it with its own subject and words, and the list at the top names each.
    expect(noticesIn(toDsl[0]!)).toEqual(alerts.map((a) => ({ subject: a.subject, body: a.body })));
    expect(toDsl[0]!.body.split('----------')[0]).toContain('30. Pupils alone: Lesson 29');
    // Each teacher still has their own alert, as it was written.
    for (const [i, a] of alerts.entries()) {
      const own = p.emails.filter((e) => e.to.includes(`teacher${i}@s`));
      expect(own).toEqual([
        { to: [`teacher${i}@s`], subject: a.subject, body: a.body, urgency: 'now', ids: [a.id] },
      ]);
    }
    // 30 teachers + the DSL and SLT once: 32 recipients, not 90.
    expect(p.emails.reduce((n, e) => n + e.to.length, 0)).toBe(32);
    expect(p.starved).toEqual([]);
  });

  it(`keeps each alert in its own email while a recipient has ${ALERTS_GROUPED_OVER} or fewer at once`, () => {
    const alerts = Array.from({ length: ALERTS_GROUPED_OVER }, (_, i) => lessonAlone(i));
    const p = plan(alerts);
    expect(p.emails.map((e) => [e.subject, e.to])).toEqual(
      alerts.map((a, i) => [a.subject, [`teacher${i}@s`, 'dsl@s', 'slt@s']]),
    );
  });

  it('splits the DSL’s list so no email passes the body size MailApp takes, and loses no alert', () => {
    const long = 'x'.repeat(8_000);
    const alerts = Array.from({ length: 40 }, (_, i) => lessonAlone(i, { body: long }));
    const p = plan(alerts);
    const toDsl = p.emails.filter((e) => e.to.includes('dsl@s'));
    expect(toDsl.length).toBeGreaterThan(1);
    for (const e of toDsl) expect(utf8Bytes(e.body)).toBeLessThanOrEqual(GROUPED_BODY_MAX_BYTES);
    expect(toDsl.flatMap((e) => e.ids)).toEqual(alerts.map((a) => a.id));
  });

  it('still sends the alerts only within MailApp’s real quota, counting the DSL once for the list', () => {
    const alerts = Array.from({ length: 10 }, (_, i) => lessonAlone(i));
    // Room for the ten teachers and the shared list (12), not for 30 recipients.
    const p = plan(alerts, { realRemaining: 12 });
    expect(p.starved).toEqual([]);
    expect(p.emails.reduce((n, e) => n + e.to.length, 0)).toBe(12);
    const short = plan(alerts, { realRemaining: 11 });
    expect(short.starved.length).toBeGreaterThan(0);
  });
});

describe('retries', () => {
  it('back off from a minute, doubling, to five minutes for alerts and thirty for the rest', () => {
    const waits = (urgency: 'now' | 'soon') =>
      [1, 2, 3, 4, 5, 6, 7].map((n) => (retryAt(n, urgency, NOW) - NOW) / MIN);
    expect(waits('now')).toEqual([1, 2, 4, 5, 5, 5, 5]);
    expect(waits('soon')).toEqual([1, 2, 4, 8, 16, 30, 30]);
  });
});

describe('judgeLostAnswer', () => {
  it('knows the email left when the quota fell by exactly its recipients', () => {
    expect(judgeLostAnswer({ before: 100, after: 98, recipients: 2, othersSending: false })).toBe(
      'left',
    );
  });
  it('knows it did not leave when the quota did not move', () => {
    expect(judgeLostAnswer({ before: 100, after: 100, recipients: 2, othersSending: false })).toBe(
      'not-sent',
    );
  });
  it('cannot tell when the quota is unreadable, moved otherwise, or someone else was sending', () => {
    expect(judgeLostAnswer({ before: null, after: 98, recipients: 2, othersSending: false })).toBe(
      'unknown',
    );
    expect(judgeLostAnswer({ before: 100, after: null, recipients: 2, othersSending: false })).toBe(
      'unknown',
    );
    expect(judgeLostAnswer({ before: 100, after: 97, recipients: 2, othersSending: false })).toBe(
      'unknown',
    );
    expect(judgeLostAnswer({ before: 100, after: 98, recipients: 2, othersSending: true })).toBe(
      'unknown',
    );
  });
});

describe('notices as stored', () => {
  it('names the kind from the subject when the caller did not', () => {
    expect(kindOf('Live lesson scheduled: Phonics (2026-11-23 10:00-10:30)')).toBe(
      'lesson-scheduled',
    );
    expect(kindOf('Serious: an outside participant joined lesson L1')).toBe('outsider');
    expect(kindOf('Lesson L1 needs attention')).toBe('lesson-flagged');
    expect(kindOf('Lesson L1: no recording')).toBe('recording');
    expect(kindOf('Approved: Phonics')).toBe('approval-decided');
    expect(kindOf('Live lesson moved: Phonics (now Tue)')).toBe('calendar-change');
    expect(kindOf('Something new')).toBe('notice');
    const n = newNotice({
      id: 'x',
      to: [' SLT@School.test ', 'slt@school.test', ''],
      subject: 'Approved:\nPhonics',
      body: 'b',
      urgency: 'soon',
      now: NOW,
      lease: null,
    });
    expect(n).toMatchObject({ to: ['slt@school.test'], subject: 'Approved: Phonics' });
    expect(n.kind).toBe('approval-decided');
    expect(newNotice({ ...n, to: ['a@s'], kind: 'digest', lease: null, now: NOW }).kind).toBe(
      'digest',
    );
  });

  it('shortens a body too long for one script property, and says so', () => {
    const long = notice({ to: ['a@s'], body: '’'.repeat(9000) });
    const fitted = fitNotice(long);
    expect(noticeBytes(fitted)).toBeLessThanOrEqual(NOTICE_MAX_BYTES);
    expect(fitted.body.endsWith(SHORTENED)).toBe(true);
    const short = notice({ to: ['a@s'] });
    expect(fitNotice(short)).toBe(short);
    expect(utf8Bytes('a’😀')).toBe(1 + 3 + 4);
  });

  it('folds non-urgent notices beyond the queue’s share into one short digest per recipient', () => {
    const big = notice({ to: ['a@s'], body: 'x'.repeat(5000) });
    expect(fitsQueue(QUEUE_MAX_BYTES - noticeBytes(big), big)).toBe(true);
    expect(fitsQueue(QUEUE_MAX_BYTES - noticeBytes(big) + 1, big)).toBe(false);
    expect(fitsQueue(QUEUE_MAX_BYTES, { ...big, urgency: 'now' })).toBe(true);
    let folded: QueuedMail | null = null;
    for (let i = 1; i <= 10; i++)
      folded = foldInto(
        folded,
        notice({ to: ['a@s'], subject: `Live lesson scheduled: L${i}`, kind: 'lesson-scheduled' }),
        'a@s',
        'fold-a@s',
        NOW,
      );
    expect(folded).toMatchObject({
      id: 'fold-a@s',
      to: ['a@s'],
      urgency: 'soon',
      notices: 10,
      folded: { kinds: { 'lesson-scheduled': 10 } },
    });
    expect(folded!.body).toContain('- Live lesson scheduled: L8');
    expect(folded!.body).not.toContain('L9');
    expect(folded!.body).toContain('- and 2 more');
  });

  it('says in the email itself that a notice sent again after an unclear answer may arrive twice, and only then', () => {
    const again = notice({
      to: ['t@s'],
      urgency: 'now',
      subject: 'Outsider',
      unclear: true,
      attempts: 1,
    });
    const first = notice({ to: ['d@s'], urgency: 'now', subject: 'Outsider' });
    const soonAgain = notice({ to: ['slt@s'], unclear: true, attempts: 1 });
    const soon = notice({ to: ['slt@s'] });
    const p = plan([again, first, soonAgain, soon]);
    const to = (who: string) => p.emails.find((e) => e.to.includes(who))!;
    expect(to('t@s').body).toBe(`${again.body}\n\n${MAYBE_REPEAT}`);
    expect(to('d@s').body).toBe(first.body);
    // In an email carrying several notices, only the one sent again says so.
    const parts = noticesIn(to('slt@s'));
    expect(parts.map((n) => n.body)).toEqual([`${soonAgain.body}\n\n${MAYBE_REPEAT}`, soon.body]);
  });

  it('sends a single notice exactly as written', () => {
    expect(combine([{ subject: 'S', body: 'B' }])).toEqual({ subject: 'S', body: 'B' });
    expect(noticesIn({ subject: 'S', body: 'B' })).toEqual([{ subject: 'S', body: 'B' }]);
  });
});
