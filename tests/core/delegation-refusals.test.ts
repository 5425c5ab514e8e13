// R28: Google refusing delegation for the whole school, or for one teacher's account only, told
// apart from its answer; only the first is "delegation failing"; the second names the teacher.

import { isAccountRefused, ServiceFailure } from '../../src/core/errors';
import {
  type AccountSeen,
  type DelegationRefusal,
  emptyHealth,
  type HealthState,
  noteRun,
  type RunObservation,
  refusalScope,
  refusedAccounts,
  teacherKey,
  teacherTrouble,
} from '../../src/core/health';
import {
  type LessonAtRisk,
  resolvedNotice,
  withTeacherLessons,
} from '../../src/core/health-notices';
import {
  accountProblemKey,
  assess,
  LESSONS_MARKER,
  reconcile,
} from '../../src/core/health-problems';
import { statusRows } from '../../src/core/status-rows';
import { ctx, DAY, GONE, HOUR, lessonAtRisk, MIN, monitorRun, T0, TZ } from './health-kit';

const A = 'ann.adams@school.example';
const B = 'bob.brown@school.example';

const exchange = (error: string, description: string, status = 400): DelegationRefusal => ({
  step: 'exchange',
  status,
  error,
  description,
});

const run = (at: number, delegation: RunObservation['delegation']): RunObservation =>
  monitorRun(at, { delegation });

const account = (user: string, over: Partial<AccountSeen>): AccountSeen => ({
  user,
  workedAt: null,
  refusedAt: null,
  detail: null,
  ...over,
});

/** A run in which B's token was issued at `at` and A's refused (one account) a second later. */
function bWorkedThenARefused(at: number): RunObservation {
  return run(at, {
    workedAt: at,
    refusedAt: null,
    detail: null,
    accounts: [account(B, { workedAt: at }), account(A, { refusedAt: at + 1000, detail: GONE })],
  });
}

describe('whose refusal it is, from Google’s answer', () => {
  it('reads "Invalid email or User ID" for the subject as one account’s', () => {
    expect(refusalScope(exchange('invalid_grant', 'Invalid email or User ID'))).toBe('account');
    expect(refusalScope(exchange('invalid_grant', 'Not a valid email.'))).toBe('account');
  });

  it('reads a lost Token Creator role, an unauthorised client and a bad JWT as the whole school’s', () => {
    expect(
      refusalScope({
        step: 'sign',
        status: 403,
        error: null,
        description: "Permission 'iam.serviceAccounts.signJwt' denied",
      }),
    ).toBe('school');
    expect(
      refusalScope(
        exchange(
          'unauthorized_client',
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
          401,
        ),
      ),
    ).toBe('school');
    for (const jwt of [
      'Invalid JWT Signature.',
      'Invalid JWT: Failed audience check.',
      'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.',
      'Invalid grant: account not found',
    ])
      expect(refusalScope(exchange('invalid_grant', jwt))).toBe('school');
    // An answer the product cannot read is not waved through as one teacher's.
    expect(refusalScope({ step: 'exchange', status: 400, error: null, description: '' })).toBe(
      'school',
    );
  });
});

describe('delegation as a whole fails only on a school-wide refusal', () => {
  it('does not mark delegation failing when teacher A is refused (one account) after teacher B worked', () => {
    const s = noteRun(emptyHealth(T0), bWorkedThenARefused(T0));
    expect(s.delegation).toEqual({ state: 'ok', at: T0 });
    expect(teacherTrouble(s, T0 + MIN)).toBeNull();
    expect(assess(s, T0 + MIN, ctx).map((p) => p.key)).toEqual([accountProblemKey(A)]);
    expect(refusedAccounts(s, T0 + MIN)).toEqual([
      { teacher: A, since: T0 + 1000, at: T0 + 1000, detail: GONE, clearedAt: null },
    ]);
  });

  it('does not either when A is refused before B worked, or when A is the only teacher asked', () => {
    const first = run(T0, {
      workedAt: T0 + 1000,
      refusedAt: null,
      detail: null,
      accounts: [account(A, { refusedAt: T0, detail: GONE }), account(B, { workedAt: T0 + 1000 })],
    });
    expect(noteRun(emptyHealth(T0), first).delegation.state).toBe('ok');
    const alone = run(T0, {
      workedAt: null,
      refusedAt: null,
      detail: null,
      accounts: [account(A, { refusedAt: T0, detail: GONE })],
    });
    expect(noteRun(emptyHealth(T0), alone).delegation.state).toBe('unknown');
    expect(assess(noteRun(emptyHealth(T0), alone), T0 + MIN, ctx).map((p) => p.key)).toEqual([
      accountProblemKey(A),
    ]);
  });

  it('still marks delegation failing on a school-wide refusal after a teacher worked', () => {
    const s = noteRun(
      emptyHealth(T0),
      run(T0, {
        workedAt: T0,
        refusedAt: T0 + 1000,
        detail: 'HTTP 401: unauthorized_client: Client is unauthorized',
        accounts: [account(B, { workedAt: T0 })],
      }),
    );
    expect(s.delegation).toMatchObject({ state: 'failing', since: T0 + 1000 });
    expect(teacherTrouble(s, T0 + MIN)).toEqual({ why: 'delegation', since: T0 + 1000 });
    expect(assess(s, T0 + MIN, ctx).map((p) => p.key)).toEqual(['delegation']);
  });
});

describe('one refused account: told once, again a day later, cleared when it works', () => {
  const refusedAgain = (at: number) =>
    run(at, {
      workedAt: at,
      refusedAt: null,
      detail: null,
      accounts: [account(A, { refusedAt: at, detail: GONE })],
    });

  it('tells the admin and SLT by name, with the teacher’s lessons, once and then daily while still refused', () => {
    let s: HealthState = noteRun(emptyHealth(T0), bWorkedThenARefused(T0));
    const first = reconcile(s.open, assess(s, T0 + MIN, ctx), T0 + MIN);
    expect(first.tell).toHaveLength(1);
    const p = first.tell[0]!;
    expect(p).toMatchObject({
      key: `account:${teacherKey(A)}`,
      urgent: true,
      toSlt: true,
      lessonsOf: A,
      subject: `Safe Live Lessons: the automation cannot act as ${A}`,
    });
    expect(p.body).toContain(LESSONS_MARKER);
    expect(p.body).toContain('Other teachers’ lessons are unaffected');
    s = { ...s, open: first.open };
    // Refused every minute for the next hours: nothing more is told.
    for (let m = 2; m < 120; m += 30) {
      s = noteRun(s, refusedAgain(T0 + m * MIN));
      const again = reconcile(s.open, assess(s, T0 + m * MIN, ctx), T0 + m * MIN);
      expect(again.tell).toEqual([]);
      s = { ...s, open: again.open };
    }
    // A day later, still refused: told again.
    s = noteRun(s, refusedAgain(T0 + DAY + 2 * MIN));
    const reminder = reconcile(s.open, assess(s, T0 + DAY + 2 * MIN, ctx), T0 + DAY + 2 * MIN);
    expect(reminder.tell.map((x) => x.key)).toEqual([accountProblemKey(A)]);
  });

  it('clears when a token is issued for the teacher again, and says so by name', () => {
    let s: HealthState = noteRun(emptyHealth(T0), bWorkedThenARefused(T0));
    const told = reconcile(s.open, assess(s, T0 + MIN, ctx), T0 + MIN);
    s = noteRun(
      { ...s, open: told.open },
      run(T0 + HOUR, {
        workedAt: T0 + HOUR,
        refusedAt: null,
        detail: null,
        accounts: [account(A, { workedAt: T0 + HOUR })],
      }),
    );
    expect(refusedAccounts(s, T0 + HOUR)).toEqual([]);
    const over = reconcile(s.open, assess(s, T0 + HOUR, ctx), T0 + HOUR);
    expect(over.resolved).toEqual([{ key: accountProblemKey(A), since: T0 + 1000 }]);
    expect(resolvedNotice(accountProblemKey(A), T0 + 1000, T0 + HOUR, TZ, s)).toEqual({
      subject: `Safe Live Lessons: working again: acting as ${A}`,
      body: `Google lets the automation act as ${A} again (a token was issued at 10:00; the refusals began at 09:00). Their lessons are run by the automation again.`,
    });
    expect(statusRows(s, T0 + HOUR, TZ).some((r) => r[0] === `Acting as ${A}`)).toBe(false);
  });

  it('goes quiet, without claiming it works, when nobody has asked for the account for a day', () => {
    let s: HealthState = noteRun(emptyHealth(T0), bWorkedThenARefused(T0));
    const told = reconcile(s.open, assess(s, T0 + MIN, ctx), T0 + MIN);
    s = { ...s, open: told.open };
    const later = T0 + DAY + HOUR;
    const over = reconcile(s.open, assess(s, later, ctx), later);
    expect(over.resolved.map((r) => r.key)).toEqual([accountProblemKey(A)]);
    expect(resolvedNotice(accountProblemKey(A), T0, later, TZ, s)).toBeNull();
  });

  it('draws a Status row naming the teacher, beside delegation that works', () => {
    const s = noteRun(emptyHealth(T0), bWorkedThenARefused(T0));
    const rows = statusRows(s, T0 + MIN, TZ);
    expect(rows.find((r) => r[0] === 'Delegation (acting as teachers)')?.[1]).toBe('OK');
    expect(rows.find((r) => r[0] === `Acting as ${A}`)).toEqual([
      `Acting as ${A}`,
      'REFUSED',
      `Google refuses the automation this account since 09:00 (last at 09:00: ${GONE}); it may have been deleted, suspended or renamed. Its lessons need a cover teacher or the account restored; other teachers are unaffected.`,
    ]);
  });
});

describe('the refused teacher’s lessons in the alert', () => {
  const lesson = (over: Partial<LessonAtRisk>): LessonAtRisk =>
    lessonAtRisk({ teacher: A, ...over });

  it('lists only that teacher’s lessons: within the hour, then the rest of today', () => {
    const lessons = [
      lesson({ title: 'Soon' }),
      lesson({ title: 'Later', start: T0 + 5 * HOUR, end: T0 + 5 * HOUR + 30 * MIN }),
      lesson({ title: 'Tomorrow', start: T0 + DAY, end: T0 + DAY + 30 * MIN }),
      lesson({ title: 'Bob’s', teacher: B }),
    ];
    const body = withTeacherLessons(`x\n${LESSONS_MARKER}\ny`, lessons, A, TZ, T0 + 5 * MIN);
    expect(body).toBe(
      `x\nTheir lessons open or starting within the hour:\n- Mon 23 Nov, 10:00–10:30 Soon (Year 2, ${A}): room not made yet; nothing on Classroom.\nTheir other lessons today:\n- Mon 23 Nov, 14:00–14:30 Later (Year 2, ${A}): room not made yet; nothing on Classroom.\ny`,
    );
    expect(withTeacherLessons(LESSONS_MARKER, [], A, TZ, T0)).toBe(
      `${A} has no lesson open or starting within the hour.\nNo other lesson of theirs today.`,
    );
  });
});

describe('a refusal of one account, as the steps see it', () => {
  it('tells one refused account from delegation refused for everyone, so the alert names the right fix', () => {
    expect(
      isAccountRefused(
        new ServiceFailure('cannot-act-as', 'auth', 'invalid_grant', 400, 'account'),
      ),
    ).toBe(true);
    expect(
      isAccountRefused(new ServiceFailure('cannot-act-as', 'auth', 'unauthorized_client', 401)),
    ).toBe(false);
    expect(isAccountRefused(new ServiceFailure('transient', 'meet', 'HTTP 503', 503))).toBe(false);
  });
});
