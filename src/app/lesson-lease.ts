// Two executions must never act on one lesson at once (two triggers overlapping, a
// teacher clicking while the automation works). A lease in the lesson's record is
// taken and given back under the script lock; the Google calls happen between, so
// the lock is held for milliseconds, not for the calls. A lease left by an execution
// that was killed expires, and the work is picked up again.

import { type Lesson, leaseHeldByOther, withLease } from '../core/lesson';
import type { Deps } from './deps';

import { LEASE_MS, LOCK_WAIT_MS } from './lesson-commits';

export type LeaseOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; reason: 'busy' | 'missing' | 'lock-timeout' };

/**
 * Runs `work` on the current record of lesson `id` while holding its lease. `work` gets a
 * `save` to persist progress midway (e.g. "posting" before the Classroom call) and
 * returns the lesson's final state, which is stored as the lease is released.
 */
export function withLessonLease<T>(
  deps: Deps,
  id: string,
  work: (lesson: Lesson, save: (lesson: Lesson) => void) => { lesson: Lesson; value: T },
): LeaseOutcome<T> {
  const owner = deps.executionId;
  const claimed = deps.mutex.run(() => {
    const lesson = deps.store.get(id);
    if (!lesson) return 'missing' as const;
    const now = deps.clock.now();
    if (leaseHeldByOther(lesson, owner, now)) return 'busy' as const;
    const leased = withLease(lesson, { owner, until: now + LEASE_MS });
    deps.store.put(leased);
    return leased;
  }, LOCK_WAIT_MS);
  if (!claimed.ok) return { ok: false, reason: 'lock-timeout' };
  if (claimed.value === 'missing' || claimed.value === 'busy')
    return { ok: false, reason: claimed.value };

  let latest: Lesson = claimed.value;
  const save = (lesson: Lesson) => {
    latest = withLease(lesson, { owner, until: deps.clock.now() + LEASE_MS });
    deps.mutex.run(() => deps.store.put(latest), LOCK_WAIT_MS);
  };
  try {
    const result = work(latest, save);
    latest = result.lesson;
    return { ok: true, value: result.value };
  } finally {
    const final = withLease(latest, null);
    deps.mutex.run(() => deps.store.put(final), LOCK_WAIT_MS);
  }
}
