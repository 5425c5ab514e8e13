// How steps read and write the lesson store. Every step of a monitor pass works on lessons
// read once; its answers come back as pure changes, which are applied to the freshest copy
// of each lesson and written in one go under the script lock (milliseconds: the Google calls
// happen outside it). A change is a function of the lesson, not a finished record, so a
// teacher who acted meanwhile is never overwritten: the change is applied on top of them.
//
// Steps that must not happen twice (create a room, post a link) first *claim* their lessons:
// one write marks each with this execution's lease (and, for a post, "posting"), so a teacher
// clicking at the same moment, or a second run, steps aside. Steps that are safe to repeat
// (withdraw a link, end a call) claim nothing: they never wait on the store (R10).

import { isBug, isFailure } from '../core/errors';
import { type Lesson, leaseHeldByOther, withLease } from '../core/lesson';
import type { Notice } from '../core/ports';
import type { Deps } from './deps';

/** Long enough for one step's Google calls; short enough that a killed run delays little. */
export const LEASE_MS = 90_000;
/** How long to wait for the script lock (a card action has 30 s in all). */
export const LOCK_WAIT_MS = 10_000;

/** A step's answer for one lesson, applied to the freshest copy of it. */
export interface Change {
  id: string;
  apply(fresh: Lesson): Lesson;
}

/** What a step did, for all its lessons. */
export interface StepOutcome {
  changes: Change[];
  notices: Notice[];
  /** Lessons whose step was done. */
  done: number;
  /** Lessons whose Google call failed: retried on the next pass or run. */
  failed: number;
  /** Lessons another execution was working on. */
  busy: number;
  /** Lessons the automation cannot act for (delegation refused). */
  cannotActAs: number;
  /** Lessons whose look at the call (or its share) failed for a passing reason: worth another try in seconds. */
  retrySoon: string[];
  /** Lessons whose look was put off because a safety step came due: looked at on the next pass. */
  postponed: string[];
}

export function outcome(partial: Partial<StepOutcome> = {}): StepOutcome {
  return {
    changes: [],
    notices: [],
    done: 0,
    failed: 0,
    busy: 0,
    cannotActAs: 0,
    retrySoon: [],
    postponed: [],
    ...partial,
  };
}

export function combine(outcomes: readonly StepOutcome[]): StepOutcome {
  return outcomes.reduce(
    (a, b) => ({
      changes: [...a.changes, ...b.changes],
      notices: [...a.notices, ...b.notices],
      done: a.done + b.done,
      failed: a.failed + b.failed,
      busy: a.busy + b.busy,
      cannotActAs: a.cannotActAs + b.cannotActAs,
      retrySoon: [...a.retrySoon, ...b.retrySoon],
      postponed: [...a.postponed, ...b.postponed],
    }),
    outcome(),
  );
}

/**
 * Marks each lesson as this execution's, in one write, when `prepare` says it still qualifies
 * on its freshest copy (and returns the copy to store, e.g. with its post "posting"). Returns
 * the claimed lessons and how many were busy; null when the claim could not be written (the
 * store is full or the lock could not be had): then nothing was claimed.
 */
export function claim(
  deps: Deps,
  lessons: readonly Lesson[],
  prepare: (fresh: Lesson) => Lesson | null,
): { claimed: Lesson[]; busy: number } | null {
  const owner = deps.executionId;
  try {
    const done = deps.mutex.run(() => {
      const now = deps.clock.now();
      const fresh = new Map(deps.store.all().map((l) => [l.id, l]));
      const claimed: Lesson[] = [];
      let busy = 0;
      for (const lesson of lessons) {
        const current = fresh.get(lesson.id);
        if (!current) continue;
        if (leaseHeldByOther(current, owner, now)) {
          busy += 1;
          continue;
        }
        const prepared = prepare(current);
        if (prepared) claimed.push(withLease(prepared, { owner, until: now + LEASE_MS }));
      }
      if (claimed.length > 0) deps.store.putMany(claimed);
      return { claimed, busy };
    }, LOCK_WAIT_MS);
    return done.ok ? done.value : null;
  } catch (error) {
    if (isBug(error)) throw error;
    deps.log.warn(`could not claim lessons: ${describe(error)}`);
    return null;
  }
}

/** A change that also gives back this execution's lease on the lesson. */
export function releasing(id: string, apply: (fresh: Lesson) => Lesson): Change {
  return { id, apply: (fresh) => withLease(apply(fresh), null) };
}

/**
 * Applies every change to the freshest copy of its lesson and writes them in one go. Returns
 * the store as it now stands (so a pass need not read it again), or null when it could not be
 * written: the Google side is done either way, and what was not recorded is done again (safely)
 * by the next pass.
 */
export function commit(deps: Deps, changes: readonly Change[]): Map<string, Lesson> | null {
  try {
    const done = deps.mutex.run(() => {
      const fresh = new Map(deps.store.all().map((l) => [l.id, l]));
      const changed = new Map<string, Lesson>();
      for (const change of changes) {
        const current = changed.get(change.id) ?? fresh.get(change.id);
        if (!current) continue;
        const next = change.apply(current);
        if (next !== current) changed.set(change.id, next);
      }
      if (changed.size > 0) deps.store.putMany([...changed.values()]);
      for (const [id, lesson] of changed) fresh.set(id, lesson);
      return fresh;
    }, LOCK_WAIT_MS);
    if (!done.ok) deps.log.warn('lessons not saved this pass: the script lock was busy');
    return done.ok ? done.value : null;
  } catch (error) {
    if (isBug(error)) throw error;
    deps.log.warn(`lessons not saved this pass: ${describe(error)}`);
    return null;
  }
}

/**
 * Queues what the steps decided people must hear; the alerts among them try to leave at once,
 * together (a reader with many at the same moment gets one list), unless `hold`: then they
 * wait in the queue for `deps.notifier.release()`. Never stops the run.
 */
export function tell(
  deps: Deps,
  notices: readonly Notice[],
  options: { hold?: boolean } = {},
): void {
  deps.notifier.sendAll(
    notices.map((n) => ({ to: n.to, subject: n.subject, body: n.body, urgency: n.urgency })),
    options,
  );
}

function describe(error: unknown): string {
  return isFailure(error) ? `${error.service} ${error.kind}` : 'store refused the write';
}
