// R16: every lesson's recording ends up in the safeguarding folder, whoever remembers. After a
// lesson closes, Meet is asked (as the teacher) for its room's recordings until each file is
// made; each is moved, as its owner, into the folder, registered in the Recordings sheet and
// linked from the lesson's Sessions row. A recording that is slow to appear, a lesson nobody
// joined, a file the teacher moved or deleted: each is handled and logged, and none stops the
// run. R11: a call with no recording after a day is flagged "not-recorded".

import { isFailure } from '../core/errors';
import { flag } from '../core/flags';
import { addFlags } from '../core/lesson';
import type {
  Hold,
  RecordingFinder,
  RecordingsLog,
  RecordingsState,
  RecordingsVault,
} from '../core/ports';
import {
  type AuditEntry,
  type CollectionEntry,
  collectionStep,
  driveLink,
  type FoundRecordings,
  holdText,
  type NewRecording,
  nextCheckAt,
  recordingFileName,
} from '../core/recording';
import { chunks, purgeDueAt } from '../core/retention';
import { DAY_MS, localDate, localTime } from '../core/time';
import type { Deps } from './deps';
import { applyHoldEvents } from './holds';
import { withLessonLease } from './lesson-lease';

export interface RecordingsDeps {
  deps: Deps;
  finder: RecordingFinder;
  vault: RecordingsVault;
  sheet: RecordingsLog;
  state: RecordingsState;
  /** Who the run acts as (the automation account), for the audit. */
  actor: string;
}

/** Collection and purge share one run lease: never two at once, so never a block overwritten. */
export const RECORDINGS_RUN = 'recordings';
/** Stop starting new work after this long: Apps Script kills an execution at 6 minutes. */
export const RECORDINGS_BUDGET_MS = 4.5 * 60_000;
const RUN_LEASE_MS = 5.5 * 60_000;
const LOCK_WAIT_MS = 10_000;
/** Rooms asked about in one round of parallel requests. */
const ROUND = 25;
/** Finished lessons are forgotten well after they leave the store (7 days after they end). */
const FORGET_FINISHED_MS = 10 * DAY_MS;

export interface CollectReport {
  skipped: boolean;
  queued: number;
  checked: number;
  collected: number;
  missing: number;
  notRecorded: number;
  finished: number;
  retryLater: number;
  holdsApplied: number;
  stoppedEarly: boolean;
}

/** Runs `work` holding the recordings run lease; false when another run holds it. */
export function withRecordingsRun(rd: RecordingsDeps, work: () => void): boolean {
  const { deps } = rd;
  const now = deps.clock.now();
  const claimed = deps.mutex.run(
    () => deps.store.claimRun(RECORDINGS_RUN, deps.executionId, now + RUN_LEASE_MS, now),
    LOCK_WAIT_MS,
  );
  if (!claimed.ok || !claimed.value) return false;
  try {
    work();
    return true;
  } finally {
    deps.mutex.run(() => deps.store.releaseRun(RECORDINGS_RUN, deps.executionId), LOCK_WAIT_MS);
  }
}

/** Applies queued holds and releases; a Sheets or Drive outage only delays them (the hold itself already counts). */
export function applyHoldsSafely(rd: RecordingsDeps): number {
  try {
    return applyHoldEvents(rd.deps, rd.state, rd.sheet, rd.vault, rd.deps.executionId);
  } catch (error) {
    if (!isFailure(error)) throw error;
    rd.deps.log.warn(`holds not yet applied to the log: ${error.kind}`);
    return 0;
  }
}

export function collectRecordings(
  rd: RecordingsDeps,
  options: { budgetMs?: number } = {},
): CollectReport {
  const { deps } = rd;
  const started = deps.clock.now();
  const budget = options.budgetMs ?? RECORDINGS_BUDGET_MS;
  const report: CollectReport = {
    skipped: false,
    queued: 0,
    checked: 0,
    collected: 0,
    missing: 0,
    notRecorded: 0,
    finished: 0,
    retryLater: 0,
    holdsApplied: 0,
    stoppedEarly: false,
  };
  const outOfTime = () => deps.clock.now() - started > budget;
  const ran = withRecordingsRun(rd, () => {
    report.holdsApplied = applyHoldsSafely(rd);
    report.queued = enqueueClosedLessons(rd);
    const now = deps.clock.now();
    const due = rd.state.pending().filter((e) => e.nextCheck <= now);
    const holds = rd.state.holds();
    for (const round of chunks(due, ROUND)) {
      if (outOfTime()) {
        report.stoppedEarly = true;
        break;
      }
      let found: Map<string, FoundRecordings | Error>;
      try {
        found = rd.finder.find(round.map((e) => ({ host: e.teacher, space: e.space })));
      } catch (error) {
        if (!isFailure(error)) throw error;
        report.retryLater += round.length;
        deps.log.warn(`could not ask Meet for recordings: ${error.kind}`);
        break;
      }
      for (const entry of round) {
        if (outOfTime()) {
          report.stoppedEarly = true;
          break;
        }
        report.checked += 1;
        try {
          handleEntry(rd, entry, found.get(entry.space), holds, report);
        } catch (error) {
          if (!isFailure(error)) throw error;
          report.retryLater += 1;
          deps.log.warn(`recordings of ${entry.lessonId} will be retried: ${error.kind}`);
        }
      }
      if (report.stoppedEarly) break;
    }
    deps.mutex.run(
      () => rd.state.pruneFinished(deps.clock.now() - FORGET_FINISHED_MS),
      LOCK_WAIT_MS,
    );
  });
  return ran ? report : { ...report, skipped: true };
}

/** Closed lessons that had a room and are in the log, not yet queued or finished. */
function enqueueClosedLessons(rd: RecordingsDeps): number {
  const { deps } = rd;
  const known = rd.state.known();
  const now = deps.clock.now();
  const fresh: CollectionEntry[] = [];
  for (const lesson of deps.store.all()) {
    if (lesson.status !== 'closed' || !lesson.room || known.has(lesson.id)) continue;
    // Its Sessions row exists once logged, so the recording can be linked from it.
    if (lesson.loggedVersion === 0) continue;
    fresh.push({
      lessonId: lesson.id,
      teacher: lesson.teacher,
      space: lesson.room.space,
      courseName: lesson.courseName,
      start: lesson.start,
      endedAt: lesson.endedAt ?? lesson.closedAt,
      hadCall: lesson.report.actualStart !== null || lesson.report.hostJoinedAt !== null,
      oneStaff: lesson.flags.some((f) => f.code === 'no-second-staff' || f.code === 'one-to-one'),
      nextCheck: now,
      handled: [],
      flagged: false,
    });
  }
  if (fresh.length > 0)
    deps.mutex.run(() => {
      for (const e of fresh) rd.state.put(e);
    }, LOCK_WAIT_MS);
  return fresh.length;
}

function handleEntry(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  answer: FoundRecordings | Error | undefined,
  holds: Map<string, Hold>,
  report: CollectReport,
): void {
  const { deps } = rd;
  const now = deps.clock.now();
  const save = (e: CollectionEntry) => deps.mutex.run(() => rd.state.put(e), LOCK_WAIT_MS);
  if (!answer || answer instanceof Error) {
    report.retryLater += 1;
    if (answer && isFailure(answer))
      deps.log.warn(`recordings of ${entry.lessonId}: ${answer.kind}`);
    save({ ...entry, nextCheck: nextCheckAt(entry, now) });
    return;
  }
  const step = collectionStep(entry, answer, now);
  if (step.kind === 'done') {
    if (step.why === 'gave-up') {
      rd.sheet.audit([
        audit(rd, entry, 'gave-up', '', 'No recording file appeared within a week.'),
      ]);
    }
    finish(rd, entry, step.why, report);
    return;
  }
  if (step.kind === 'wait') {
    let next = { ...entry, nextCheck: nextCheckAt(entry, now) };
    if (step.flagNotRecorded) {
      const detail = entry.oneStaff
        ? 'No recording appeared within 24 hours, and only one member of staff was present: policy requires this lesson to be recorded.'
        : 'No recording appeared within 24 hours of the call.';
      if (flagNotRecorded(rd, entry, detail)) {
        next = { ...next, flagged: true };
        report.notRecorded += 1;
      }
    }
    save(next);
    return;
  }

  const handled = [...entry.handled];
  const rows: NewRecording[] = [];
  const audits: AuditEntry[] = [];
  const hold = holds.get(entry.lessonId);
  const ready = answer.recordings.filter((r) => r.fileId);
  let lost: string | null = null;
  let failure: unknown = null;
  for (const fileId of step.fileIds) {
    const part = ready.length > 1 ? ready.findIndex((r) => r.fileId === fileId) + 1 : 1;
    const name = recordingFileName(entry, part, deps.settings.timeZone);
    let outcome: ReturnType<RecordingsVault['collect']>;
    try {
      outcome = rd.vault.collect(entry.teacher, fileId, name, entry.lessonId);
    } catch (error) {
      if (!isFailure(error)) throw error;
      failure = error;
      break;
    }
    if (outcome.kind === 'moved') {
      rows.push({
        lessonId: entry.lessonId,
        fileId,
        fileName: outcome.name,
        courseName: entry.courseName,
        lessonStart: entry.start,
        teacher: entry.teacher,
        createdAt: outcome.createdAt,
        movedAt: deps.clock.now(),
        purgeDue: purgeDueAt(outcome.createdAt, deps.settings.retentionDays),
        hold: hold ? holdText(hold.by, hold.at, hold.reason, deps.settings.timeZone) : null,
      });
      audits.push(
        audit(rd, entry, 'collected', fileId, 'Moved into the safeguarding folder.', outcome.name),
      );
    } else {
      lost =
        outcome.kind === 'missing'
          ? 'The recording was deleted from the teacher’s Drive before it could be collected.'
          : outcome.detail;
      audits.push(audit(rd, entry, 'missing', fileId, lost));
      handled.push(fileId);
      report.missing += 1;
    }
  }
  // Registered before it counts as handled: a run cut off here finds the file again next time
  // (already in the folder, so the move is a no-op) and registers it then.
  if (rows.length > 0) {
    rd.sheet.register(rows);
    if (hold)
      rd.vault.markHold(
        rows.map((r) => r.fileId),
        true,
      );
    for (const r of rows) handled.push(r.fileId);
    report.collected += rows.length;
  }
  rd.sheet.audit(audits);
  let next: CollectionEntry = { ...entry, handled, nextCheck: nextCheckAt(entry, now) };
  if (lost && !entry.flagged && flagNotRecorded(rd, entry, lost)) {
    next = { ...next, flagged: true };
    report.notRecorded += 1;
  }
  if (failure) {
    save(next);
    throw failure;
  }
  const allReady = ready.every((r) => handled.includes(r.fileId!));
  if (!step.waitMore && allReady) finish(rd, next, 'collected', report);
  else save(next);
}

function audit(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  action: AuditEntry['action'],
  fileId: string,
  why: string,
  fileName = '',
): AuditEntry {
  return {
    at: rd.deps.clock.now(),
    action,
    lessonId: entry.lessonId,
    fileId,
    fileName,
    why,
    by: rd.actor,
    run: rd.deps.executionId,
  };
}

/** R11: flags the lesson (its Sessions row shows it on the next log write) and tells the DSL and SLT. */
function flagNotRecorded(rd: RecordingsDeps, entry: CollectionEntry, detail: string): boolean {
  const { deps } = rd;
  const outcome = withLessonLease(deps, entry.lessonId, (lesson) => ({
    lesson: addFlags(lesson, [flag('not-recorded', detail)]),
    value: 'flagged',
  }));
  // A lesson already gone from the store still gets its audit row and the email.
  if (!outcome.ok && outcome.reason !== 'missing') return false;
  rd.sheet.audit([audit(rd, entry, 'not-recorded', '', detail)]);
  deps.notifier.send(
    [...deps.settings.dslEmails, ...deps.settings.sltEmails],
    `Lesson ${entry.lessonId} was not recorded`,
    `Lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}, ${localDate(entry.start, deps.settings.timeZone)}): ${detail}\nThe log has the details.`,
  );
  deps.log.warn(`${entry.lessonId} flagged not-recorded`);
  return true;
}

/** Links the lesson's Sessions row to its recordings (or says there are none) and forgets it. */
function finish(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  why: 'collected' | 'no-call' | 'gave-up',
  report: CollectReport,
): void {
  const { deps } = rd;
  const tz = deps.settings.timeZone;
  const mine = rd.sheet.registry().filter((r) => r.lessonId === entry.lessonId);
  const due = mine.length > 0 ? Math.min(...mine.map((r) => r.createdAt)) : null;
  const recording =
    mine.length > 0
      ? mine.map((r) => driveLink(r.fileId)).join('\n')
      : why === 'no-call'
        ? 'none: nobody joined the call'
        : 'none: NOT RECORDED';
  const purgeDue =
    due === null
      ? ''
      : (() => {
          const at = purgeDueAt(due, deps.settings.retentionDays);
          return `${localDate(at, tz)} ${localTime(at, tz)}`;
        })();
  const linked = rd.sheet.linkSessions([{ lessonId: entry.lessonId, recording, purgeDue }]);
  if (linked.length === 0) deps.log.warn(`no Sessions row for ${entry.lessonId} to link`);
  deps.mutex.run(() => rd.state.finish(entry), LOCK_WAIT_MS);
  report.finished += 1;
}
