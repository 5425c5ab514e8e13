// Proves the simulated MailApp keeps Apps Script's contracts: every sendEmail overload, the
// daily recipient quota (Workspace and consumer; to, cc and bcc all count, reset 24 h after
// first use), the per-message limits, the script.send_mail scope, a lost answer (the email left
// but sendEmail threw), and an outbox tests can read.

import { DAY } from './kernel/clock';
import { SimKernel } from './kernel/kernel';
import {
  CONSUMER_MAIL_RECIPIENTS_PER_DAY,
  MAIL_QUOTA_MESSAGE,
  MAIL_RECIPIENTS_PER_DAY,
  MAIL_RECIPIENTS_PER_MESSAGE,
  MAIL_TOO_MANY_RECIPIENTS_MESSAGE,
  SEND_MAIL_SCOPE,
  SimMail,
} from './services/mail';

const TEACHER = 'teacher@school.test';

function setup(scopes = [SEND_MAIL_SCOPE]) {
  const kernel = new SimKernel({
    start: Date.parse('2026-01-05T08:00:00Z'),
    domain: 'school.test',
    manifestScopes: scopes,
  });
  const mail = new SimMail(kernel);
  const MailApp = mail.global();
  const run = <T>(fn: () => T) =>
    kernel.runExecution({ user: TEACHER, kind: 'trigger', functionName: 'f' }, fn);
  return { kernel, mail, MailApp, run };
}

test('every sendEmail overload lands in the outbox, sent as the effective user', () => {
  const { kernel, mail, MailApp, run } = setup();
  const result = run(() => {
    MailApp.sendEmail('a@school.test', 'S1', 'B1');
    MailApp.sendEmail('b@school.test, c@school.test', 'S2', 'B2', {
      cc: 'd@school.test',
      htmlBody: '<b>B2</b>',
      name: 'Safe Live Lessons',
    });
    MailApp.sendEmail('e@school.test', 'reply@school.test', 'S3', 'B3');
    MailApp.sendEmail({
      to: 'f@school.test',
      bcc: 'g@school.test',
      subject: 'S4',
      body: 'B4',
      noReply: true,
    });
  });
  expect(result.ok).toBe(true);
  const outbox = mail.outbox();
  expect(outbox.map((m) => [m.from, m.to, m.subject, m.body])).toEqual([
    [TEACHER, ['a@school.test'], 'S1', 'B1'],
    [TEACHER, ['b@school.test', 'c@school.test'], 'S2', 'B2'],
    [TEACHER, ['e@school.test'], 'S3', 'B3'],
    [TEACHER, ['f@school.test'], 'S4', 'B4'],
  ]);
  expect(outbox[1]).toMatchObject({
    cc: ['d@school.test'],
    htmlBody: '<b>B2</b>',
    name: 'Safe Live Lessons',
  });
  expect(outbox[2]!.replyTo).toBe('reply@school.test');
  expect(outbox[3]).toMatchObject({ bcc: ['g@school.test'], noReply: true });
  expect(kernel.calls.count('mail.sendEmail')).toBe(4);
});

test('the daily quota counts recipients and resets 24 hours after the first send', () => {
  const { kernel, MailApp, run } = setup();
  expect(run(() => MailApp.getRemainingDailyQuota()).value).toBe(MAIL_RECIPIENTS_PER_DAY);
  run(() =>
    MailApp.sendEmail({
      to: 'a@school.test,b@school.test',
      cc: 'c@school.test',
      subject: 's',
      body: 'b',
    }),
  );
  expect(run(() => MailApp.getRemainingDailyQuota()).value).toBe(MAIL_RECIPIENTS_PER_DAY - 3);
  const many = Array.from({ length: MAIL_RECIPIENTS_PER_DAY - 3 }, (_, i) => `p${i}@school.test`);
  for (let i = 0; i < many.length; i += MAIL_RECIPIENTS_PER_MESSAGE) {
    const to = many.slice(i, i + MAIL_RECIPIENTS_PER_MESSAGE).join(',');
    expect(run(() => MailApp.sendEmail(to, 's', 'b')).ok).toBe(true);
  }
  const over = run(() => MailApp.sendEmail('late@school.test', 's', 'b'));
  expect((over.error as Error).message).toBe(MAIL_QUOTA_MESSAGE);
  kernel.clock.advance(DAY);
  expect(run(() => MailApp.getRemainingDailyQuota()).value).toBe(MAIL_RECIPIENTS_PER_DAY);
});

test('a message with no recipient is refused', () => {
  const { mail, MailApp, run } = setup();
  const r = run(() => MailApp.sendEmail({ subject: 's', body: 'b' }));
  expect((r.error as Error).message).toBe('Failed to send email: no recipient');
  expect(mail.outbox()).toEqual([]);
});

test('sending needs the script.send_mail scope', () => {
  const { MailApp, run } = setup([]);
  const r = run(() => MailApp.sendEmail('a@school.test', 's', 'b'));
  expect((r.error as Error).message).toBe(
    `You do not have permission to call MailApp.sendEmail. Required permissions: ${SEND_MAIL_SCOPE}`,
  );
});

test('an injected mail back-end failure surfaces as an Apps Script exception', () => {
  const { kernel, mail, MailApp, run } = setup();
  kernel.faults.inject({ match: 'mail.sendEmail', kind: 503, times: 1 });
  const r = run(() => MailApp.sendEmail('a@school.test', 's', 'b'));
  expect((r.error as Error).name).toBe('Exception');
  expect(mail.outbox()).toEqual([]);
});

test('a consumer account has 100 recipients a day', () => {
  const { mail, MailApp, run } = setup();
  mail.useConsumerQuota();
  expect(run(() => MailApp.getRemainingDailyQuota()).value).toBe(CONSUMER_MAIL_RECIPIENTS_PER_DAY);
  const hundred = Array.from({ length: 50 }, (_, i) => `p${i}@school.test`).join(',');
  expect(run(() => MailApp.sendEmail(hundred, 's', 'b')).ok).toBe(true);
  expect(run(() => MailApp.sendEmail(hundred, 's', 'b')).ok).toBe(true);
  const over = run(() => MailApp.sendEmail('one@school.test', 's', 'b'));
  expect((over.error as Error).message).toBe(MAIL_QUOTA_MESSAGE);
  expect(run(() => MailApp.getRemainingDailyQuota()).value).toBe(0);
});

test('one message takes at most 50 recipients, and an address it cannot read is refused', () => {
  const { mail, MailApp, run } = setup();
  const many = Array.from(
    { length: MAIL_RECIPIENTS_PER_MESSAGE + 1 },
    (_, i) => `p${i}@school.test`,
  ).join(',');
  const tooMany = run(() => MailApp.sendEmail(many, 's', 'b'));
  expect((tooMany.error as Error).message).toBe(MAIL_TOO_MANY_RECIPIENTS_MESSAGE);
  const bad = run(() => MailApp.sendEmail('not an address', 's', 'b'));
  expect((bad.error as Error).message).toBe('Invalid email: not an address');
  expect(mail.outbox()).toEqual([]);
  // Refused messages spend none of the quota.
  expect(run(() => MailApp.getRemainingDailyQuota()).value).toBe(MAIL_RECIPIENTS_PER_DAY);
});

test('a lost answer: the email left and its recipients are spent, yet sendEmail threw', () => {
  const { kernel, mail, MailApp, run } = setup();
  kernel.faults.inject({ match: 'mail.sendEmail', kind: 'lost-response', times: 1 });
  const result = run(() => {
    const before = MailApp.getRemainingDailyQuota();
    let threw = '';
    try {
      MailApp.sendEmail('a@school.test,b@school.test', 's', 'b');
    } catch (error) {
      threw = (error as Error).message;
    }
    return { before, threw, after: MailApp.getRemainingDailyQuota() };
  });
  expect(result.value).toEqual({
    before: MAIL_RECIPIENTS_PER_DAY,
    threw: 'Empty response',
    after: MAIL_RECIPIENTS_PER_DAY - 2,
  });
  expect(mail.outbox().map((m) => m.to)).toEqual([['a@school.test', 'b@school.test']]);
  expect(mail.recipientsUsed(TEACHER)).toBe(2);
});
