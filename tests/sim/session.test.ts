// Proves the simulated Session reports the execution's user, the manifest's time zone and a
// temporary user key that is stable per user and script but hides the identity.

import { SimKernel } from './kernel/kernel';
import { SimSession } from './services/session';

const TEACHER = 'teacher@school.test';
const HEAD = 'head@school.test';

function setup() {
  const kernel = new SimKernel({
    start: Date.parse('2026-01-05T08:00:00Z'),
    domain: 'school.test',
  });
  const Session = new SimSession(kernel).global();
  const as = <T>(user: string, fn: () => T): T => {
    const result = kernel.runExecution({ user, kind: 'card', functionName: 'f' }, fn);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  return { kernel, Session, as };
}

test('active and effective user are the execution’s user', () => {
  const { Session, as } = setup();
  expect(
    as(TEACHER, () => [Session.getActiveUser().getEmail(), Session.getEffectiveUser().getEmail()]),
  ).toEqual([TEACHER, TEACHER]);
  expect(as(HEAD, () => Session.getEffectiveUser().getEmail())).toBe(HEAD);
});

test('the script time zone is the manifest’s; the locale is a language code', () => {
  const { Session, as } = setup();
  expect(as(TEACHER, () => Session.getScriptTimeZone())).toBe('Europe/London');
  expect(as(TEACHER, () => Session.getActiveUserLocale())).toBe('en');
});

test('the temporary active user key is stable per user, differs between users, hides the email', () => {
  const { Session, as } = setup();
  const a1 = as(TEACHER, () => Session.getTemporaryActiveUserKey());
  const a2 = as(TEACHER, () => Session.getTemporaryActiveUserKey());
  const b = as(HEAD, () => Session.getTemporaryActiveUserKey());
  expect(a1).toBe(a2);
  expect(a1).not.toBe(b);
  expect(a1).not.toContain('teacher');
});
