// Proves the simulated LockService gives real mutual exclusion between executions: a second
// execution arriving mid-call cannot take a held lock (and burns its timeout waiting), locks
// are released when their execution ends, user locks are per user.

import { SimKernel } from './kernel/kernel';
import { LOCK_TIMEOUT_MESSAGE, SimLocks } from './services/lock';
import { SimProperties } from './services/properties';

const TEACHER = 'teacher@school.test';
const HEAD = 'head@school.test';

function setup() {
  const kernel = new SimKernel({
    start: Date.parse('2026-01-05T08:00:00Z'),
    domain: 'school.test',
  });
  const locks = new SimLocks(kernel);
  const LockService = locks.global();
  // Any counted call can host a nested execution; a property read is a convenient one.
  const PropertiesService = new SimProperties(kernel).global();
  const poke = () => PropertiesService.getScriptProperties().getProperty('x');
  const run = <T>(user: string, fn: () => T, kind: 'trigger' | 'card' = 'trigger') =>
    kernel.runExecution({ user, kind, functionName: 'f' }, fn);
  return { kernel, locks, LockService, poke, run };
}

describe('script lock between executions', () => {
  test('a nested execution cannot take the lock its parent holds, and waits out its timeout', () => {
    const { kernel, LockService, poke, run } = setup();
    let child: { got?: boolean; waited?: number } = {};
    const parent = run(TEACHER, () => {
      const lock = LockService.getScriptLock();
      expect(lock.tryLock(1000)).toBe(true);
      kernel.duringCall('properties.getProperty', () => {
        run(HEAD, () => {
          const start = kernel.now();
          const got = LockService.getScriptLock().tryLock(10_000);
          child = { got, waited: kernel.now() - start };
        });
      });
      poke();
      return lock.hasLock();
    });
    expect(parent.ok).toBe(true);
    expect(parent.value).toBe(true);
    expect(child.got).toBe(false);
    expect(child.waited).toBeGreaterThanOrEqual(10_000);
  });

  test('waitLock in the blocked execution throws the Apps Script timeout exception', () => {
    const { kernel, LockService, poke, run } = setup();
    let childError: unknown;
    run(TEACHER, () => {
      LockService.getScriptLock().waitLock(1000);
      kernel.duringCall('properties.getProperty', () => {
        const r = run(HEAD, () => LockService.getScriptLock().waitLock(5000));
        childError = r.error;
      });
      poke();
    });
    expect(childError).toBeInstanceOf(Error);
    expect((childError as Error).message).toBe(LOCK_TIMEOUT_MESSAGE);
    expect((childError as Error).name).toBe('Exception');
  });

  test('after releaseLock the nested execution gets the lock', () => {
    const { kernel, LockService, poke, run } = setup();
    let got: boolean | undefined;
    run(TEACHER, () => {
      const lock = LockService.getScriptLock();
      lock.waitLock(1000);
      lock.releaseLock();
      expect(lock.hasLock()).toBe(false);
      kernel.duringCall('properties.getProperty', () => {
        run(HEAD, () => {
          got = LockService.getScriptLock().tryLock(0);
        });
      });
      poke();
      // The nested execution ended, so its lock is free again.
      expect(lock.tryLock(0)).toBe(true);
    });
    expect(got).toBe(true);
  });

  test('a lock left held is released when its execution ends', () => {
    const { locks, LockService, run } = setup();
    const first = run(TEACHER, () => LockService.getScriptLock().tryLock(0));
    expect(first.value).toBe(true);
    expect(locks.holder('script')).toBeUndefined();
    const second = run(HEAD, () => LockService.getScriptLock().tryLock(0));
    expect(second.value).toBe(true);
  });

  test('a lock is released even when its execution fails', () => {
    const { locks, LockService, run } = setup();
    const failed = run(TEACHER, () => {
      LockService.getScriptLock().waitLock(0);
      throw new Error('boom');
    });
    expect(failed.ok).toBe(false);
    expect(locks.holder('script')).toBeUndefined();
  });

  test('re-acquiring a lock the execution holds succeeds; hasLock is false before trying', () => {
    const { LockService, run } = setup();
    run(TEACHER, () => {
      const a = LockService.getScriptLock();
      expect(a.hasLock()).toBe(false);
      expect(a.tryLock(0)).toBe(true);
      const b = LockService.getScriptLock();
      expect(b.tryLock(0)).toBe(true);
      expect(b.hasLock()).toBe(true);
    });
  });

  test('waiting past a card action’s 30-second limit kills the execution', () => {
    const { kernel, LockService, poke, run } = setup();
    let child: { killed: boolean; ok: boolean } | undefined;
    run(TEACHER, () => {
      LockService.getScriptLock().waitLock(0);
      kernel.duringCall('properties.getProperty', () => {
        const r = run(HEAD, () => LockService.getScriptLock().waitLock(60_000), 'card');
        child = { killed: r.killed, ok: r.ok };
      });
      poke();
    });
    expect(child).toEqual({ killed: true, ok: false });
  });
});

describe('user and document locks', () => {
  test('user locks exclude the same user only', () => {
    const { kernel, LockService, poke, run } = setup();
    const results: Record<string, boolean> = {};
    run(TEACHER, () => {
      LockService.getUserLock().waitLock(0);
      kernel.duringCall('properties.getProperty', () => {
        run(HEAD, () => {
          results.head = LockService.getUserLock().tryLock(0);
        });
        run(TEACHER, () => {
          results.teacher = LockService.getUserLock().tryLock(0);
        });
      });
      poke();
    });
    expect(results).toEqual({ head: true, teacher: false });
  });

  test('getDocumentLock is null outside a containing document', () => {
    const { LockService, run } = setup();
    expect(run(TEACHER, () => LockService.getDocumentLock()).value).toBeNull();
  });

  test('lock calls are counted as lock.<method>', () => {
    const { kernel, LockService, run } = setup();
    run(TEACHER, () => {
      const lock = LockService.getScriptLock();
      lock.tryLock(0);
      lock.releaseLock();
    });
    expect(kernel.calls.count('lock.tryLock')).toBe(1);
    expect(kernel.calls.count('lock.releaseLock')).toBe(1);
  });
});
