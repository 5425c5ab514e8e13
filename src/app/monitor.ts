// The minute-by-minute automation (R6, R10, R11-R14, R18): every lesson is driven through
// its life on time, whoever remembers. One read of the store tells what is due; a
// lesson with nothing due costs no Google call. Safety work (withdrawing links, ending
// calls) runs before anything else, and the run stops starting new work before the
// 6-minute limit so it is never cut off mid-step.

import { isFailure } from '../core/errors';
import { flag } from '../core/flags';
import { addFlags, type Lesson, markLinkLiveAlerted } from '../core/lesson';
import { type DueAction, dueActions } from '../core/lifecycle-plan';
import type { CallNow } from '../core/ports';
import type { Deps } from './deps';
import { withLessonLease } from './lesson-lease';
import {
  type Step,
  stepClose,
  stepEndCall,
  stepOpenRoom,
  stepWatchCall,
  stepWithdraw,
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

const ORDER: DueAction[] = [
  'withdraw-link',
  'end-call',
  'alert-link-live',
  'watch-call',
  'open-room',
  'close',
];

export function runMonitor(deps: Deps, options: MonitorOptions = {}): MonitorReport {
  const started = deps.clock.now();
  const budget = options.budgetMs ?? MONITOR_BUDGET_MS;
  const report: MonitorReport = {
    skipped: false,
    due: 0,
    done: {},
    retryLater: 0,
    cannotActAs: 0,
    busy: 0,
    stoppedEarly: false,
    logged: 0,
  };
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
    const tries = (id: string, action: DueAction) => attempts.get(`${id}:${action}`) ?? 0;
    const dueNow = (action: DueAction) =>
      [...current.values()].filter(
        (l) =>
          tries(l.id, action) < (SAFETY.includes(action) ? SAFETY_TRIES : 1) &&
          dueActions(l, deps.clock.now(), deps.settings).includes(action),
      );
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
      if (action === 'watch-call') {
        // Every open call is looked at in one batch of requests.
        const calls = watchAll(deps, due, report);
        for (const lesson of due) {
          const space = 'room' in lesson && lesson.room ? lesson.room.space : '';
          if (!calls.has(space)) continue;
          if (outOfTime() || ORDER.slice(0, 2).some((a) => dueNow(a).length > 0)) break;
          step(lesson, action, calls.get(space) ?? null);
        }
        for (const lesson of due) attempts.set(`${lesson.id}:watch-call`, 1);
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
  lessons: Lesson[],
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
