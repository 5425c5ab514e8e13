// The script lock: real mutual exclusion between executions, held only around reads
// and writes of the store (milliseconds), never around Google calls.
// doc: https://developers.google.com/apps-script/reference/lock/lock

import type { Mutex } from '../core/ports';

export class ScriptMutex implements Mutex {
  constructor(private readonly lockService: GoogleAppsScript.Lock.LockService) {}

  run<T>(fn: () => T, waitMs: number): { ok: true; value: T } | { ok: false } {
    const lock = this.lockService.getScriptLock();
    if (!lock.tryLock(waitMs)) return { ok: false };
    try {
      return { ok: true, value: fn() };
    } finally {
      lock.releaseLock();
    }
  }
}
