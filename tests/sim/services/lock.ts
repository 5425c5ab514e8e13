// LockService: real mutual exclusion between simulated executions. Executions are
// single-threaded and nest (a trigger arriving in the middle of another's call), so a lock
// held by another live execution can never be released while the caller waits: the wait
// simply burns its timeout on the clock and fails, as it would in Apps Script.
// doc: https://developers.google.com/apps-script/reference/lock/lock-service
// doc: https://developers.google.com/apps-script/reference/lock/lock

import { appsScriptException, ExecutionTimeLimitError } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';

type Lock = GoogleAppsScript.Lock.Lock;

/**
 * Lock#waitLock's failure. The reference says only that it throws when the timeout passes;
 * this is the message Apps Script gives (widely reported, e.g. in public issue trackers).
 */
export const LOCK_TIMEOUT_MESSAGE =
  'Lock timeout: another process was holding the lock for too long.';

/** Holder id used when a test calls LockService outside any execution. */
const NO_EXECUTION = 0;

export class SimLocks {
  /** Lock scope ('script', 'user:<email>') → holding execution id. */
  private holders = new Map<string, number>();
  /** Every acquisition, for tests: who held what, from when to when. */
  readonly history: { scope: string; execution: number; from: number; to?: number }[] = [];

  constructor(private readonly kernel: SimKernel) {
    // doc: gsuite-developers.googleblog.com/2011/10/concurrency-and-google-apps-script.html
    // "any locks you hold will be released at the end of script execution".
    kernel.onExecutionEnd((execution) => {
      for (const [scope, holder] of [...this.holders]) {
        if (holder === execution.id) this.release(scope);
      }
    });
  }

  global(): Pick<
    GoogleAppsScript.Lock.LockService,
    'getScriptLock' | 'getUserLock' | 'getDocumentLock'
  > {
    return {
      // doc: lock-service#getScriptLock "cannot be executed simultaneously regardless of the
      // identity of the user".
      getScriptLock: () => this.lock('script'),
      // doc: lock-service#getUserLock "can be executed simultaneously by different users".
      getUserLock: () => this.lock(`user:${this.kernel.effectiveUser()}`),
      // doc: lock-service#getDocumentLock "If this method is called outside of the context of a
      // containing document (such as from a standalone script or webapp), null is returned."
      // Safe Live Lessons is a Calendar add-on with no containing document.
      getDocumentLock: () => null as unknown as Lock,
    };
  }

  // --- world API ---

  /** The execution id holding `scope` ('script' or 'user:<email>'), if any. */
  holder(scope: string): number | undefined {
    return this.holders.get(scope);
  }

  private executionId(): number {
    return this.kernel.current()?.id ?? NO_EXECUTION;
  }

  private release(scope: string): void {
    this.holders.delete(scope);
    const open = [...this.history].reverse().find((h) => h.scope === scope && h.to === undefined);
    if (open) open.to = this.kernel.now();
  }

  /** Tries once; true if now held by the calling execution. */
  private acquire(scope: string): boolean {
    const me = this.executionId();
    const holder = this.holders.get(scope);
    if (holder === me) return true; // re-acquiring a lock you hold succeeds
    if (holder !== undefined) return false;
    this.holders.set(scope, me);
    this.history.push({ scope, execution: me, from: this.kernel.now() });
    return true;
  }

  /** The caller waits out its whole timeout: the holder cannot run while it waits. */
  private waitOut(timeoutMs: number): void {
    const ms = Math.max(0, Math.floor(Number(timeoutMs) || 0));
    this.kernel.clock.advance(ms);
    const execution = this.kernel.current();
    if (execution && this.kernel.now() > execution.deadline) {
      execution.killed = true;
      throw new ExecutionTimeLimitError();
    }
  }

  private lock(scope: string): Lock {
    const k = this.kernel;
    let acquired = false;
    let owner = NO_EXECUTION;
    const mine = () =>
      acquired && this.holders.get(scope) === owner && owner === this.executionId();
    const lock: Pick<Lock, 'tryLock' | 'waitLock' | 'releaseLock' | 'hasLock'> = {
      // doc: lock#tryLock(Integer) "Attempts to acquire the lock, timing out after the provided
      // number of milliseconds." Returns true if acquired.
      tryLock: (timeoutInMillis) =>
        k.invoke('lock.tryLock', () => {
          if (this.acquire(scope)) {
            acquired = true;
            owner = this.executionId();
            return true;
          }
          this.waitOut(timeoutInMillis);
          return false;
        }),
      // doc: lock#waitLock(Integer) "Attempts to acquire the lock, timing out with an exception
      // after the provided number of milliseconds."
      waitLock: (timeoutInMillis) =>
        k.invoke('lock.waitLock', () => {
          if (this.acquire(scope)) {
            acquired = true;
            owner = this.executionId();
            return;
          }
          this.waitOut(timeoutInMillis);
          throw appsScriptException(LOCK_TIMEOUT_MESSAGE);
        }),
      // doc: lock#releaseLock "Releases the lock, allowing other processes waiting on the lock to
      // continue." Releasing a lock you do not hold does nothing.
      releaseLock: () =>
        k.invoke('lock.releaseLock', () => {
          if (mine()) this.release(scope);
          acquired = false;
        }),
      // doc: lock#hasLock "Returns true if the lock was acquired. This method will return false
      // if tryLock(timeoutInMillis) or waitLock(timeoutInMillis) were never called, timed out or
      // if releaseLock() was called."
      hasLock: () => k.invoke('lock.hasLock', () => mine(), { latencyMs: 0 }),
    };
    return lock as Lock;
  }
}
