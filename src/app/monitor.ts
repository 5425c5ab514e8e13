// The minute-by-minute automation (R6, R10, R11-R14, R18): every lesson is driven through its
// life on time, whoever remembers. A pass reads the store once, plans every due step with
// pure core functions, sends each kind of step for all its lessons together (the safety
// steps first: links withdrawn, calls ended), applies the answers with pure functions and
// writes the store once. Passes repeat while there is work, and the calls are looked at
// again every half minute of a long run, until the run's time budget; a run with nothing left
// waits a few seconds for a look that failed, or up to half a minute for pupils without staff
// to reach a limit (R21); a lesson with nothing due costs no Google call.

import { isFailure, isSpreadsheetFull } from '../core/errors';
import type { Lesson } from '../core/lesson';
import { type DueAction, dueActions, linkLate } from '../core/lifecycle-plan';
import type { Notice } from '../core/ports';
import {
  gapLimitsBy,
  isEmptyPlan,
  lessonsDue,
  planTick,
  SAFETY_STEPS,
  STEP_ORDER,
} from '../core/tick-plan';
import { chaseApprovals } from './approvals';
import type { Deps } from './deps';
import { type Change, commit, outcome, type StepOutcome, tell } from './lesson-commits';
import { syncLog } from './log-sync';
import { admitCover } from './steps/admit-cover';
import { alertLinksLive } from './steps/alert-links-live';
import { closeLessons } from './steps/close-lessons';
import { endCalls } from './steps/end-calls';
import { openRooms } from './steps/open-rooms';
import { showRoomLinks } from './steps/show-room-links';
import { watchCalls } from './steps/watch-calls';
import { withdrawLinks } from './steps/withdraw-links';

/** Stop starting new work, but for withdrawing links and ending calls, after this long. */
export const MONITOR_BUDGET_MS = 4 * 60_000;
/**
 * No Google request at all starts after this long: a request may wait a minute for an answer
 * that never comes, and Apps Script kills an execution at 6 minutes.
 */
export const HARD_STOP_MS = 4.75 * 60_000;
/** How long a monitor run holds the right to run (another run that starts meanwhile steps aside). */
export const RUN_LEASE_MS = 5.5 * 60_000;
/**
 * A long run (every class opening at 08:50) looks at the calls again this often, so a teacher
 * who joins while it works is not kept waiting for the next run.
 */
export const WATCH_AGAIN_MS = 30_000;
/** The log's share of a run, after the lessons' steps. */
const LOG_BUDGET_MS = 30_000;
/** Taking the link down and ending the call are retried within a run: they cannot wait a minute. */
const SAFETY_TRIES = 3;
/**
 * A look at a call (or its share) that failed for a passing reason is tried again this soon
 * after it was sent, up to this many times a run: a teacher in the call should not wait a
 * minute per 500 from Meet. A look whose answer was lost has already waited longer than this
 * (UrlFetchApp gives up after a minute), so it is due again at once.
 */
const RETRY_SOON_MS = 5_000;
const WATCH_RETRIES = 3;
/**
 * R21: pupils without staff whose gap goes over its alert or end limit this soon after a run
 * has nothing left to do are looked at again when it does, in the same run: the link comes down
 * and the call ends within seconds of the school's limits, not up to a minute after them. Runs
 * wait only while a gap is open, which is rare; the wait is Apps Script's Utilities.sleep.
 */
export const GAP_LIMIT_SOON_MS = 30_000;

export interface MonitorOptions {
  budgetMs?: number;
  /** Teacher-driven mode: only this teacher's lessons (the sweep runs as them). */
  onlyTeacher?: string;
}

export interface MonitorReport {
  skipped: boolean;
  due: number;
  done: Partial<Record<DueAction, number>>;
  retryLater: number;
  cannotActAs: number;
  busy: number;
  stoppedEarly: boolean;
  logged: number;
  /**
   * R28: how this run's write of the log went (null: not tried). The shell counts it as the
   * log's service in the run's health record, so the admin hears within minutes when the log
   * cannot be written, not only when the hourly job has been late for over an hour.
   */
  /** The run's write of the log; `full`: Sheets refused it for want of cells (R18, R28). */
  logWrite: { service: string; ok: boolean; detail: string | null; full?: boolean } | null;
  passes: number;
  /**
   * R10, R28: lessons whose link is still on Classroom at their end, as this run left them
   * (ids only; absent when the run did not look at every lesson). The Status sheet names them.
   */
  linksLate?: string[];
}

export function emptyReport(skipped: boolean): MonitorReport {
  return {
    skipped,
    due: 0,
    done: {},
    retryLater: 0,
    cannotActAs: 0,
    busy: 0,
    stoppedEarly: false,
    logged: 0,
    logWrite: null,
    passes: 0,
  };
}

/** Each kind of step, over a list of lessons. */
const STEPS: Record<DueAction, (deps: Deps, lessons: readonly Lesson[]) => StepOutcome> = {
  'withdraw-link': withdrawLinks,
  'end-call': endCalls,
  'alert-link-live': alertLinksLive,
  'open-room': openRooms,
  'admit-cover': admitCover,
  'show-room-link': showRoomLinks,
  'watch-call': watchCalls,
  close: closeLessons,
};

export function runMonitor(deps: Deps, options: MonitorOptions = {}): MonitorReport {
  const started = deps.clock.now();
  const budget = options.budgetMs ?? MONITOR_BUDGET_MS;
  const report = emptyReport(false);
  const runName = options.onlyTeacher ? `sweep:${options.onlyTeacher}` : 'monitor';
  const claimed = deps.mutex.run(
    () => deps.store.claimRun(runName, deps.executionId, started + RUN_LEASE_MS, started),
    10_000,
  );
  if (!claimed.ok || !claimed.value) {
    // Another run is working (a slow one, stuck waiting on Google). Withdrawing links and ending
    // calls are safe to do twice, so they are not left to wait for it.
    return { ...report, skipped: true, ...safetyOnly(deps, options) };
  }
  deps.budget.stopAt = started + Math.max(budget, HARD_STOP_MS);

  try {
    const mine = (l: Lesson) =>
      !options.onlyTeacher || l.teacher === options.onlyTeacher.toLowerCase();
    let lessons = new Map(
      deps.store
        .all()
        .filter(mine)
        .map((l) => [l.id, l]),
    );
    const watchedAt = new Map<string, number>();
    const tries = new Map<string, number>();
    const retries = new Map<string, number>();
    const key = (l: Lesson, a: DueAction) => `${l.id}:${a}`;
    const may = (l: Lesson, a: DueAction) =>
      a === 'watch-call'
        ? deps.clock.now() - (watchedAt.get(l.id) ?? -Infinity) >= WATCH_AGAIN_MS
        : (tries.get(key(l, a)) ?? 0) < (SAFETY_STEPS.includes(a) ? SAFETY_TRIES : 1);
    const outOfTime = () => deps.clock.now() - started > budget;

    report.due = lessonsDue(planTick(lessons.values(), started, deps.settings));
    for (;;) {
      if (isEmptyPlan(planTick(lessons.values(), deps.clock.now(), deps.settings, may))) {
        const now = deps.clock.now();
        // A look that failed a moment ago is due again in seconds: wait for it, not a minute.
        const soon = [...retries.keys()]
          .map((id) => (watchedAt.get(id) ?? 0) + WATCH_AGAIN_MS)
          .filter((at) => at > now && at - now <= RETRY_SOON_MS);
        // So is a call whose pupils are about to have been without staff for a limit (R21).
        // (One already passed was looked at after it, or its look failed: the retries above.)
        for (const [id, at] of gapLimitsBy(
          lessons.values(),
          now + GAP_LIMIT_SOON_MS,
          deps.settings,
        ))
          if (at > now) {
            watchedAt.set(id, at - WATCH_AGAIN_MS);
            soon.push(at);
          }
        const next = Math.min(...soon);
        if (soon.length === 0 || !deps.clock.sleep || outOfTime() || next - started > budget) break;
        deps.clock.sleep(next - now);
        continue;
      }
      if (outOfTime()) {
        report.stoppedEarly = true;
        break;
      }
      report.passes += 1;
      const changes: Change[] = [];
      const notices: Notice[] = [];
      // A safety step this run may still try (fallen due since this pass's own, or tried and
      // failed in it): a slow look stops for it, and the next pass tries it first. A look can
      // lose a minute a round; a delete Google refused a moment ago cannot wait for that.
      const urgent = () =>
        [...lessons.values()].some((l) =>
          dueActions(l, deps.clock.now(), deps.settings).some(
            (a) => SAFETY_STEPS.includes(a) && may(l, a),
          ),
        );
      for (const action of STEP_ORDER) {
        // Alerts a pass held back for the safety steps leave once those are done (or out of
        // tries): not while a delete or end that just failed is still to be tried again.
        if (!SAFETY_STEPS.includes(action) && !urgent()) deps.notifier.release();
        // Planned again before each kind of step, on the lessons as the steps before left
        // them: a link just withdrawn is not reported as still live.
        const due = [...lessons.values()].filter(
          (l) => may(l, action) && dueActions(l, deps.clock.now(), deps.settings).includes(action),
        );
        if (due.length === 0) continue;
        // The safety steps always run; others wait for the next pass when time is short.
        if (!SAFETY_STEPS.includes(action) && outOfTime()) break;
        for (const l of due) {
          tries.set(key(l, action), (tries.get(key(l, action)) ?? 0) + 1);
        }
        const sentAt = deps.clock.now();
        const result = runStep(deps, action, due, report, urgent);
        // A room just made has no call yet: its first look is a minute away, like any other.
        if (action === 'watch-call' || action === 'open-room')
          for (const l of due) watchedAt.set(l.id, deps.clock.now());
        report.done[action] = (report.done[action] ?? 0) + result.done;
        if (action === 'watch-call') {
          for (const id of result.retrySoon) {
            const n = (retries.get(id) ?? 0) + 1;
            retries.set(id, n);
            if (n <= WATCH_RETRIES) watchedAt.set(id, sentAt - WATCH_AGAIN_MS + RETRY_SOON_MS);
          }
          // Put off for a safety step: looked at on the next pass, right after it.
          for (const id of result.postponed) watchedAt.delete(id);
        }
        for (const change of result.changes) {
          const current = lessons.get(change.id);
          if (current) lessons.set(change.id, change.apply(current));
        }
        // R21: a gap whose limit falls before the call's next look is looked at again at the
        // limit, in whichever pass comes first then (another call's retries may keep the run
        // busy past it), not only when the run would otherwise wait for it.
        // A look that failed is not in it: its retries are above.
        if (action === 'watch-call') {
          const unseen = new Set([...result.retrySoon, ...result.postponed]);
          const seen = due.flatMap((l) => (unseen.has(l.id) ? [] : (lessons.get(l.id) ?? [])));
          for (const [id, at] of gapLimitsBy(
            seen,
            deps.clock.now() + WATCH_AGAIN_MS,
            deps.settings,
          ))
            watchedAt.set(id, Math.min(watchedAt.get(id) ?? at, at - WATCH_AGAIN_MS));
        }
        changes.push(...result.changes);
        notices.push(...result.notices);
      }
      // One write for the pass. If the store refuses it, what was done in Google stands and
      // the lessons as this run now knows them carry on; the next run does again (safely)
      // what could not be recorded.
      const saved = commit(deps, changes);
      if (saved) lessons = new Map([...saved.values()].filter(mine).map((l) => [l.id, l]));
      // Safety steps never wait on bookkeeping: with a link to take down or a call to end now
      // due, the pass's notices are queued but their alerts wait for it (MailApp can take a
      // minute to answer).
      tell(deps, notices, { hold: urgent() });
    }
    deps.notifier.release();
    if (deps.safeguardingLog && !outOfTime()) {
      try {
        // The log's writes stop where the run's Google requests stop (a write may wait a minute).
        report.logged = syncLog(deps, {
          deadline: Math.min(deps.clock.now() + LOG_BUDGET_MS, deps.budget.stopAt),
        });
        if (report.logged > 0) report.logWrite = { service: 'sheets', ok: true, detail: null };
      } catch (error) {
        // Sheets is down: rows wait in the store (nothing is marked logged) for the next run.
        if (!isFailure(error)) throw error;
        report.logWrite = {
          service: error.service,
          ok: false,
          detail: error.status ? `HTTP ${error.status}` : `${error.kind} failure`,
          ...(isSpreadsheetFull(error) ? { full: true } : {}),
        };
        report.retryLater += 1;
        deps.log.warn(`log not written this run: ${error.kind}`);
      }
    }
    // R2, R28: lessons still awaiting approval at their opening time, and approvers named since.
    if (!outOfTime()) chaseApprovals(deps, mine);
    report.linksLate = [...lessons.values()]
      .filter((l) => linkLate(l, deps.clock.now(), deps.settings))
      .map((l) => l.id);
    // Issue 9: the mail queue (what this run queued, and anything still waiting) leaves now;
    // the hourly job writes what left into the log's Mail sheet.
    deps.notifier.flush(deps.budget.stopAt, { record: false });
  } finally {
    deps.budget.stopAt = Number.POSITIVE_INFINITY;
    deps.mutex.run(() => deps.store.releaseRun(runName, deps.executionId), 10_000);
  }
  return report;
}

/**
 * What a run does when another run holds the monitor: only the safety steps that are due now,
 * on the lessons as the store has them, written back as changes on top of the other run's.
 */
function safetyOnly(deps: Deps, options: MonitorOptions): Pick<MonitorReport, 'done' | 'due'> {
  const now = deps.clock.now();
  deps.budget.stopAt = now + HARD_STOP_MS;
  const lessons = deps.store
    .all()
    .filter((l) => !options.onlyTeacher || l.teacher === options.onlyTeacher.toLowerCase());
  const done: Partial<Record<DueAction, number>> = {};
  const changes: Change[] = [];
  const notices: Notice[] = [];
  let due = 0;
  const current = new Map(lessons.map((l) => [l.id, l]));
  for (const action of SAFETY_STEPS) {
    const list = [...current.values()].filter((l) =>
      dueActions(l, deps.clock.now(), deps.settings).includes(action),
    );
    if (list.length === 0) continue;
    due += list.length;
    const result = runStep(deps, action, list, emptyReport(false));
    done[action] = result.done;
    for (const change of result.changes) {
      const l = current.get(change.id);
      if (l) current.set(change.id, change.apply(l));
    }
    changes.push(...result.changes);
    notices.push(...result.notices);
  }
  if (changes.length > 0) commit(deps, changes);
  tell(deps, notices);
  deps.budget.stopAt = Number.POSITIVE_INFINITY;
  return { done, due };
}

/** One kind of step for its lessons; a failure of the whole batch is retried, never fatal. */
function runStep(
  deps: Deps,
  action: DueAction,
  lessons: readonly Lesson[],
  report: MonitorReport,
  urgent: () => boolean = () => false,
): StepOutcome {
  try {
    const result =
      action === 'watch-call' ? watchCalls(deps, lessons, urgent) : STEPS[action](deps, lessons);
    report.retryLater += result.failed;
    report.busy += result.busy;
    report.cannotActAs += result.cannotActAs;
    return result;
  } catch (error) {
    if (!isFailure(error)) throw error;
    if (error.kind === 'cannot-act-as') report.cannotActAs += lessons.length;
    else report.retryLater += lessons.length;
    deps.log.warn(`${action} for ${lessons.length} lesson(s) will be retried: ${error.kind}`);
    return outcome({ failed: lessons.length });
  }
}
