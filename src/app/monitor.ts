// The minute-by-minute automation (R6, R10, R11-R14, R18): every lesson is driven through
// its life on time, whoever remembers. One read of the store tells what is due; a
// lesson with nothing due costs no Google call. Safety work (withdrawing links, ending
// calls) runs before anything else, and the run stops starting new work before the
// 6-minute limit so it is never cut off mid-step.

import { isFailure } from '../core/errors';
import { flag } from '../core/flags';
import { verifyHostInCall } from '../core/host-presence';
import {
  addFlags,
  type Lesson,
  markLinkLiveAlerted,
  type OpenLesson,
  withdrawAt,
} from '../core/lesson';
import { type DueAction, dueActions } from '../core/lifecycle-plan';
import type { CallNow } from '../core/ports';
import { type BatchOutcome, shareMany, withdrawMany } from './batch-steps';
import type { Deps } from './deps';
import { withLessonLease } from './lesson-lease';
import {
  findOutsiders,
  type Step,
  stepClose,
  stepEndCall,
  stepOpenRoom,
  stepWatchCall,
  stepWithdraw,
  unreportedOthers,
} from './lesson-steps';
import { syncLog } from './log-sync';

/** Stop starting new work after this long: Apps Script kills an execution at 6 minutes. */
export const MONITOR_BUDGET_MS = 4.5 * 60_000;
/** How long a monitor run holds the right to run (another run that starts meanwhile steps aside). */
export const RUN_LEASE_MS = 5.5 * 60_000;

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
}

/** Taking the link down and ending the call are retried within a run: they cannot wait a minute. */
const SAFETY: DueAction[] = ['withdraw-link', 'end-call'];
const SAFETY_TRIES = 3;
/**
 * A long run (every class opening at 09:50) looks at the calls again this often, so a
 * teacher who joins while it works is not kept waiting for the next run.
 */
const WATCH_AGAIN_MS = 30_000;

const ORDER: DueAction[] = [
  'withdraw-link',
  'end-call',
  'alert-link-live',
  'watch-call',
  'open-room',
  'close',
];

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
  };
}

export function runMonitor(deps: Deps, options: MonitorOptions = {}): MonitorReport {
  const started = deps.clock.now();
  const budget = options.budgetMs ?? MONITOR_BUDGET_MS;
  const report = emptyReport(false);
  const runName = options.onlyTeacher ? `sweep:${options.onlyTeacher}` : 'monitor';
  const claimed = deps.mutex.run(
    () => deps.store.claimRun(runName, deps.executionId, started + RUN_LEASE_MS, started),
    10_000,
  );
  if (!claimed.ok || !claimed.value) return { ...report, skipped: true };

  try {
    const current = new Map<string, Lesson>();
    for (const lesson of deps.store.all()) {
      if (options.onlyTeacher && lesson.teacher !== options.onlyTeacher.toLowerCase()) continue;
      current.set(lesson.id, lesson);
      if (dueActions(lesson, started, deps.settings).length > 0) report.due += 1;
    }
    const outOfTime = () => deps.clock.now() - started > budget;
    const attempts = new Map<string, number>();
    const watchedAt = new Map<string, number>();
    const tries = (id: string, action: DueAction) => attempts.get(`${id}:${action}`) ?? 0;
    const dueNow = (action: DueAction) =>
      [...current.values()].filter(
        (l) =>
          (action === 'watch-call'
            ? deps.clock.now() - (watchedAt.get(l.id) ?? 0) >= WATCH_AGAIN_MS
            : tries(l.id, action) < (SAFETY.includes(action) ? SAFETY_TRIES : 1)) &&
          dueActions(l, deps.clock.now(), deps.settings).includes(action),
      );
    const refresh = () => {
      for (const l of deps.store.all()) if (current.has(l.id)) current.set(l.id, l);
    };
    const step = (lesson: Lesson, action: DueAction, call?: CallNow | null) => {
      attempts.set(`${lesson.id}:${action}`, tries(lesson.id, action) + 1);
      runStep(deps, lesson.id, action, report, (fresh, save) => {
        // Re-plan on the fresh record: someone may have acted since the store was read.
        if (!dueActions(fresh, deps.clock.now(), deps.settings).includes(action))
          return { lesson: fresh, value: 'nothing-due' };
        switch (action) {
          case 'open-room':
            return stepOpenRoom(deps, fresh);
          case 'watch-call':
            return stepWatchCall(deps, fresh, call ?? null, save);
          case 'withdraw-link':
            return stepWithdraw(deps, fresh);
          case 'alert-link-live':
            return alertLinkLive(deps, fresh);
          case 'end-call':
            return stepEndCall(deps, fresh);
          case 'close':
            return stepClose(deps, fresh);
        }
      });
      const fresh = deps.store.get(lesson.id);
      if (fresh) current.set(lesson.id, fresh);
      else current.delete(lesson.id);
    };

    // One step at a time, always the most urgent: after every step the plan is worked out
    // again, so a withdrawal that falls due while slow calls run is the very next thing done.
    for (;;) {
      if (outOfTime()) {
        report.stoppedEarly = dueNowAny(dueNow);
        break;
      }
      const action = ORDER.find((a) => dueNow(a).length > 0);
      if (!action) break;
      const due = dueNow(action);
      if (action === 'withdraw-link') {
        // Every live link that is due comes down in one parallel batch; a post whose
        // creation answer was lost ("posting") is found and deleted one by one.
        const live = due.filter((l) => 'post' in l && l.post.state === 'live');
        if (live.length > 0) {
          for (const l of live)
            attempts.set(`${l.id}:withdraw-link`, tries(l.id, 'withdraw-link') + 1);
          count(
            report,
            'withdraw-link',
            guardBatch(deps, report, () => withdrawMany(deps, live)),
          );
          refresh();
          continue;
        }
      }
      if (action === 'watch-call') {
        watchCalls(
          deps,
          due,
          report,
          (l, call) => step(l, action, call),
          () => outOfTime() || ORDER.slice(0, 2).some((x) => dueNow(x).length > 0),
        );
        for (const lesson of due) watchedAt.set(lesson.id, deps.clock.now());
        refresh();
        continue;
      }
      step(due[0]!, action);
    }
    if (deps.safeguardingLog && !outOfTime()) {
      try {
        report.logged = syncLog(deps);
      } catch (error) {
        // Sheets is down: rows wait in the store (nothing is marked logged) for the next run.
        if (!isFailure(error)) throw error;
        report.retryLater += 1;
        deps.log.warn(`log not written this run: ${error.kind}`);
      }
    }
  } finally {
    deps.mutex.run(() => deps.store.releaseRun(runName, deps.executionId), 10_000);
  }
  return report;
}

/**
 * R6/R14, every open call in one batch of requests: lessons whose teacher has just joined
 * are shared together; a lesson with someone to report, or a post to find, gets its own
 * step; a call with nothing new costs no write at all.
 */
function watchCalls(
  deps: Deps,
  due: readonly Lesson[],
  report: MonitorReport,
  single: (lesson: Lesson, call: CallNow | null) => void,
  mustStop: () => boolean,
): void {
  const calls = watchAll(deps, due, report);
  deps.classes.warm?.(due.map((l) => l.courseId));
  const now = deps.clock.now();
  const toShare: { lesson: OpenLesson; call: CallNow }[] = [];
  for (const lesson of due) {
    if (lesson.status !== 'open') continue;
    const space = lesson.room.space;
    if (!calls.has(space)) continue;
    const call = calls.get(space) ?? null;
    if (!call) {
      if (lesson.conference !== null) single(lesson, null);
      continue;
    }
    const hostIn = verifyHostInCall(call.participants, lesson.teacherUserId, now) !== undefined;
    const wantsShare =
      hostIn &&
      lesson.post.state === 'none' &&
      now < withdrawAt(lesson, deps.settings.withdrawBeforeEndMinutes);
    let outsiders: boolean;
    try {
      outsiders =
        unreportedOthers(lesson, call.participants).length > 0 &&
        findOutsiders(deps, lesson, call.participants).length > 0;
    } catch (error) {
      // The roster or directory could not be read: look again next run.
      if (!isFailure(error)) throw error;
      report.retryLater += 1;
      continue;
    }
    if (outsiders || lesson.post.state === 'posting') {
      if (mustStop()) return;
      single(lesson, call);
    } else if (wantsShare) toShare.push({ lesson, call });
  }
  if (toShare.length > 0)
    count(
      report,
      'watch-call',
      guardBatch(deps, report, () => shareMany(deps, toShare)),
    );
}

/** A batch that failed as a whole (say, a token could not be had) is retried next run. */
function guardBatch(deps: Deps, report: MonitorReport, run: () => BatchOutcome): BatchOutcome {
  try {
    return run();
  } catch (error) {
    if (!isFailure(error)) throw error;
    deps.log.warn(`a batch step will be retried: ${error.kind}`);
    report.retryLater += 1;
    return { done: 0, failed: 0, busy: 0 };
  }
}

function count(report: MonitorReport, action: DueAction, outcome: BatchOutcome): void {
  report.done[action] = (report.done[action] ?? 0) + outcome.done;
  report.retryLater += outcome.failed;
  report.busy += outcome.busy;
}

function dueNowAny(dueNow: (action: DueAction) => Lesson[]): boolean {
  return ORDER.some((action) => dueNow(action).length > 0);
}

function runStep(
  deps: Deps,
  id: string,
  action: DueAction,
  report: MonitorReport,
  work: (lesson: Lesson, save: (l: Lesson) => void) => Step,
): void {
  try {
    const outcome = withLessonLease(deps, id, work);
    if (!outcome.ok) {
      report.busy += 1;
      return;
    }
    if (outcome.value !== 'nothing-due') report.done[action] = (report.done[action] ?? 0) + 1;
  } catch (error) {
    if (isFailure(error, 'cannot-act-as')) report.cannotActAs += 1;
    else if (isFailure(error)) report.retryLater += 1;
    else throw error;
    deps.log.warn(
      `${action} for ${id} will be retried: ${isFailure(error) ? error.kind : 'error'}`,
    );
  }
}

/** One batched look at every open room's call. */
function watchAll(
  deps: Deps,
  lessons: readonly Lesson[],
  report: MonitorReport,
): Map<string, CallNow | null> {
  const requests = lessons.flatMap((l) =>
    l.status === 'open' ? [{ host: l.teacher, room: l.room, conference: l.conference }] : [],
  );
  try {
    return deps.rooms.whoIsIn(requests);
  } catch (error) {
    if (!isFailure(error)) throw error;
    report.retryLater += requests.length;
    deps.log.warn(`could not read calls this tick: ${error.kind}`);
    return new Map();
  }
}

function alertLinkLive(deps: Deps, lesson: Lesson): Step {
  deps.notifier.send(
    [...deps.settings.sltEmails, lesson.teacher],
    `Link still live: lesson ${lesson.id}`,
    `The Meet link for lesson ${lesson.id} (${lesson.courseName}, ${lesson.teacher}) could not yet be removed from Google Classroom at the scheduled end. The call has been ended and the room locked; removal is retried every minute. Please delete the post by hand if you can.`,
  );
  const flagged = addFlags(lesson, [
    flag('link-withdraw-late', 'The link was still on Classroom at the scheduled end.'),
  ]);
  return { lesson: markLinkLiveAlerted(flagged, deps.clock.now()), value: 'alerted' };
}
