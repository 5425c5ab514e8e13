// R16, R27: every recording of every call of a lesson ends up in the safeguarding folder,
// whoever remembers. After a lesson closes, Meet is asked (as the teacher) for the recordings
// of the room's calls, at growing intervals, until none can still appear; each file is moved,
// as its owner, into the folder, registered in the Recordings sheet and linked from the
// lesson's Sessions row. A recording slow to appear, a lesson nobody joined, a file the teacher
// moved or deleted, a Drive that refuses, a shared drive that has gone: each is handled, logged
// and told to the person who can act, and none stops the other lessons. R11, R28: a call with
// no recording is flagged "not-recorded", with the likely reason, and the DSL told.

import { isFailure, type ServiceFailure } from '../core/errors';
import { flag } from '../core/flags';
import { addFlags, type ClosedLesson } from '../core/lesson';
import type {
  CollectOutcome,
  Hold,
  RecordingFinder,
  RecordingsLog,
  RecordingsState,
  RecordingsVault,
} from '../core/ports';
import {
  type AuditEntry,
  afterCollection,
  type CollectionEnd,
  type CollectionEntry,
  collectionStep,
  driveLink,
  type FoundRecordings,
  firstCheckAt,
  holdText,
  knownCalls,
  LATE_LIMIT_MS,
  missingRecordingReason,
  type NewRecording,
  nextCheckAt,
  RETRY_MS,
  type RoomCall,
  recordingFileName,
} from '../core/recording';
import { recordsLesson } from '../core/recording-policy';
import { chunks, purgeDueAt } from '../core/retention';
import { DAY_MS, HOUR_MS, localDate, localTime } from '../core/time';
import type { Deps } from './deps';
import { applyHoldEvents } from './holds';
import { withLessonLease } from './lesson-lease';
import { HARD_STOP_MS } from './monitor';

export interface RecordingsDeps {
  deps: Deps;
  finder: RecordingFinder;
  vault: RecordingsVault;
  sheet: RecordingsLog;
  state: RecordingsState;
  /** Who the run acts as (the automation account), for the audit; the admin's mailbox. */
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
/** Once the shared drive was found unusable, collection pauses this long before trying again. */
const NO_VAULT_PAUSE_MS = HOUR_MS;
/** The admin is emailed about an unusable shared drive at most this often. */
const NO_VAULT_MAIL_EVERY_MS = DAY_MS;
export const NO_VAULT_SEEN = 'no-vault-seen';
const NO_VAULT_MAILED = 'no-vault-mailed';

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
  /** Why collection could not run at all (the shared drive is unusable), if so. */
  paused: string | null;
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
  // As the monitor: no Google request starts after 4:45 (one may wait a minute for an answer
  // that never comes, and Apps Script kills the execution at 6 minutes). What is cut off is
  // retried by the next run.
  const before = deps.budget.stopAt;
  deps.budget.stopAt = Math.min(before, now + HARD_STOP_MS);
  try {
    work();
    return true;
  } finally {
    deps.budget.stopAt = before;
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
    paused: null,
  };
  const outOfTime = () => deps.clock.now() - started > budget;
  const ran = withRecordingsRun(rd, () => {
    report.holdsApplied = applyHoldsSafely(rd);
    report.queued = enqueueClosedLessons(rd);
    const seen = rd.state.lastAlert(NO_VAULT_SEEN);
    if (seen !== null && deps.clock.now() - seen < NO_VAULT_PAUSE_MS) {
      report.paused = 'the safeguarding shared drive was unusable at the last try';
      deps.log.warn('recordings: collection paused, the safeguarding shared drive is unusable');
      return;
    }
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
        found = rd.finder.find(
          round.map((e) => ({ host: e.teacher, space: e.space, conferences: knownCalls(e) })),
        );
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
          const paused = handleEntry(rd, entry, found.get(entry.space), holds, report);
          if (paused) {
            report.paused = paused;
            noVault(rd, paused);
            break;
          }
        } catch (error) {
          if (!isFailure(error)) throw error;
          report.retryLater += 1;
          deps.log.warn(`recordings of ${entry.lessonId} will be retried: ${error.kind}`);
        }
      }
      if (report.stoppedEarly || report.paused) break;
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
    const endedAt = lesson.endedAt ?? lesson.closedAt;
    const conferences = callsOf(lesson);
    fresh.push({
      lessonId: lesson.id,
      teacher: lesson.teacher,
      space: lesson.room.space,
      courseName: lesson.courseName,
      start: lesson.start,
      endedAt,
      hadCall: lesson.report.actualStart !== null || lesson.report.hostJoinedAt !== null,
      oneStaff: lesson.flags.some((f) => f.code === 'no-second-staff' || f.code === 'one-to-one'),
      staffJoined: lesson.report.hostJoinedAt !== null || lesson.report.counts.staff > 0,
      // R25: a lesson the school's policy does not record is not flagged for having no recording.
      recordingExpected: recordsLesson(deps.settings, lesson),
      nextCheck: firstCheckAt(endedAt, now),
      handled: [],
      flagged: false,
      ...(conferences ? { conferences } : {}),
    });
  }
  if (fresh.length > 0)
    deps.mutex.run(() => {
      for (const e of fresh) rd.state.put(e);
    }, LOCK_WAIT_MS);
  return fresh.length;
}

/**
 * The room's calls, when the monitor kept them on the closed lesson (`conferences`: Meet's
 * conference record names, or `{name, start, end}` with the times conferenceRecords.list gave).
 */
function callsOf(lesson: ClosedLesson): (string | RoomCall)[] | undefined {
  if (!('conferences' in lesson) || !Array.isArray(lesson.conferences)) return undefined;
  const calls: (string | RoomCall)[] = [];
  for (const c of lesson.conferences as unknown[]) {
    if (typeof c === 'string') calls.push(c);
    else if (c && typeof (c as RoomCall).name === 'string') {
      const { name, start, end } = c as RoomCall;
      calls.push({
        name,
        ...(typeof start === 'number' ? { start } : {}),
        ...(typeof end === 'number' || end === null ? { end } : {}),
      });
    }
  }
  return calls;
}

/** Handles one lesson's answer from Meet; returns why collection must pause, if it must. */
function handleEntry(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  answer: FoundRecordings | Error | undefined,
  holds: Map<string, Hold>,
  report: CollectReport,
): string | null {
  const { deps } = rd;
  const now = deps.clock.now();
  const save = (e: CollectionEntry) => deps.mutex.run(() => rd.state.put(e), LOCK_WAIT_MS);
  if (!answer || answer instanceof Error) {
    report.retryLater += 1;
    if (answer && isFailure(answer))
      deps.log.warn(`recordings of ${entry.lessonId}: ${answer.kind}`);
    save({ ...entry, nextCheck: now + RETRY_MS });
    return null;
  }
  let current = rememberCalls(entry, answer);
  let step = collectionStep(current, answer, now);
  if (step.kind === 'collect') {
    const result = collectFiles(rd, current, answer, step.fileIds, holds, report);
    current = result.entry;
    if (result.paused) {
      save(current);
      return result.paused;
    }
    if (result.failure) {
      save({ ...current, nextCheck: now + RETRY_MS });
      throw result.failure;
    }
    step = afterCollection(current, answer, now);
    if (step.kind === 'wait' && result.registered) linkSessions(rd, current, 'collected');
  }
  if (step.kind === 'done') {
    finish(rd, current, step.why, answer, report);
    return null;
  }
  if (step.flagMissing) {
    if (
      current.recordingExpected !== false &&
      flagNotRecorded(rd, current, missingDetail(rd, current, answer))
    ) {
      current = { ...current, flagged: true };
      report.notRecorded += 1;
    }
  }
  save({ ...current, nextCheck: nextCheckAt(current, now) });
  return null;
}

/** Keeps the room's calls once all have ended, so later looks list their recordings directly. */
function rememberCalls(entry: CollectionEntry, found: FoundRecordings): CollectionEntry {
  const known = knownCalls(entry);
  const complete = known?.every((c) => c.start !== undefined && typeof c.end === 'number');
  if (complete || found.calls.length === 0) return entry;
  if (found.calls.some((c) => c.start === null || c.end === null)) return entry;
  return {
    ...entry,
    conferences: found.calls.map((c) => ({ name: c.name, start: c.start!, end: c.end! })),
  };
}

interface Collected {
  entry: CollectionEntry;
  registered: boolean;
  failure: ServiceFailure | null;
  paused: string | null;
}

function collectFiles(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  found: FoundRecordings,
  fileIds: readonly string[],
  holds: Map<string, Hold>,
  report: CollectReport,
): Collected {
  const { deps } = rd;
  const handled = [...entry.handled];
  const reported = [...(entry.reported ?? [])];
  const rows: NewRecording[] = [];
  const audits: AuditEntry[] = [];
  const hold = holds.get(entry.lessonId);
  // Parts are numbered by when each recording started, across all the room's calls.
  const ready = found.calls
    .flatMap((c) => c.recordings)
    .filter((r) => r.fileId)
    .sort((a, b) => (a.start ?? 0) - (b.start ?? 0));
  let lost: string | null = null;
  let failure: ServiceFailure | null = null;
  let paused: string | null = null;
  for (const fileId of fileIds) {
    const part = ready.length > 1 ? ready.findIndex((r) => r.fileId === fileId) + 1 : 1;
    const name = recordingFileName(entry, part, deps.settings.timeZone);
    let outcome: CollectOutcome;
    try {
      outcome = rd.vault.collect(entry.teacher, fileId, name, entry.lessonId);
    } catch (error) {
      if (!isFailure(error)) throw error;
      failure = error;
      break;
    }
    if (outcome.kind === 'no-vault') {
      paused = outcome.detail;
      break;
    }
    if (outcome.kind === 'moved') {
      const late = entry.flagged
        ? ` It arrived ${Math.round((deps.clock.now() - entry.endedAt) / HOUR_MS)} hours after the call, after the DSL had been told it was missing.`
        : '';
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
        audit(
          rd,
          entry,
          'collected',
          fileId,
          `Moved into the safeguarding folder.${late}`,
          outcome.name,
        ),
      );
    } else if (outcome.kind === 'refused') {
      // Not handled: tried again at each look, until the last. Told once.
      report.retryLater += 1;
      deps.log.warn(`recording of ${entry.lessonId} refused by Drive; will retry`);
      const key = `refused:${fileId}`;
      if (!reported.includes(key)) {
        reported.push(key);
        audits.push(
          audit(
            rd,
            entry,
            'not-collected',
            fileId,
            `${outcome.detail} It stays in the teacher’s Drive, outside the safeguarding folder, until this is fixed; the product keeps trying.`,
          ),
        );
        tellRefused(rd, entry, outcome.detail);
      }
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
    if (entry.flagged) tellArrivedLate(rd, entry, rows.length);
  }
  rd.sheet.audit(audits);
  let next: CollectionEntry = { ...entry, handled, reported };
  if (lost && !entry.flagged && flagNotRecorded(rd, entry, lost)) {
    next = { ...next, flagged: true };
    report.notRecorded += 1;
  }
  return { entry: next, registered: rows.length > 0, failure, paused };
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

/** What the DSL reads when a call left no recording: what is missing, and the likely reason. */
function missingDetail(rd: RecordingsDeps, entry: CollectionEntry, found: FoundRecordings): string {
  const tally = rd.state.tally();
  const reason = missingRecordingReason({
    calls: found.calls.length,
    staffJoined: entry.staffJoined ?? entry.hadCall,
    schoolHasRecorded: tally.recorded > 0 ? true : tally.missing > 0 ? false : null,
  });
  const hours = Math.round(LATE_LIMIT_MS / HOUR_MS);
  const what =
    entry.staffJoined === false
      ? 'No recording can be made of this lesson.'
      : `Recording still missing ${hours} hours after the call.`;
  const policy = entry.oneStaff
    ? ' Only one member of staff was present: policy requires this lesson to be recorded.'
    : '';
  return `${what} Likely reason: ${reason}${policy}`;
}

/** R11, R28: flags the lesson (its Sessions row shows it on the next log write) and tells the DSL and SLT. */
function flagNotRecorded(rd: RecordingsDeps, entry: CollectionEntry, detail: string): boolean {
  const { deps } = rd;
  const outcome = withLessonLease(deps, entry.lessonId, (lesson) => ({
    lesson: addFlags(lesson, [flag('not-recorded', detail)]),
    value: 'flagged',
  }));
  // A lesson already gone from the store still gets its audit row and the email.
  if (!outcome.ok && outcome.reason !== 'missing') return false;
  rd.sheet.audit([audit(rd, entry, 'not-recorded', '', detail)]);
  countLesson(rd, 'missing', false);
  deps.notifier.send(
    [...deps.settings.dslEmails, ...deps.settings.sltEmails],
    `Lesson ${entry.lessonId}: no recording`,
    `Lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}, ${localDate(entry.start, deps.settings.timeZone)}): ${detail}\nThe product keeps looking until Meet forgets the call (30 days) and will say if the recording turns up. The log has the details.`,
  );
  deps.log.warn(`${entry.lessonId} flagged not-recorded`);
  return true;
}

/** Setup's health check counts lessons recorded and not; a late recording un-counts its "missing". */
function countLesson(rd: RecordingsDeps, kind: 'recorded' | 'missing', wasMissing: boolean): void {
  const now = rd.deps.clock.now();
  rd.deps.mutex.run(() => {
    const t = rd.state.tally();
    rd.state.saveTally(
      kind === 'recorded'
        ? {
            ...t,
            recorded: t.recorded + 1,
            lastRecordedAt: now,
            missing: Math.max(0, t.missing - (wasMissing ? 1 : 0)),
          }
        : { ...t, missing: t.missing + 1, lastMissingAt: now },
    );
  }, LOCK_WAIT_MS);
}

/** The recording the DSL was told was missing has been collected after all. */
function tellArrivedLate(rd: RecordingsDeps, entry: CollectionEntry, count: number): void {
  const { deps } = rd;
  deps.notifier.send(
    [...deps.settings.dslEmails, ...deps.settings.sltEmails],
    `Lesson ${entry.lessonId}: recording found after all`,
    `The recording of lesson ${entry.lessonId} (${entry.courseName}, ${localDate(entry.start, deps.settings.timeZone)}) that was reported missing has now appeared and is in the safeguarding folder (${count} file(s)). The Recordings sheet has the link.`,
  );
}

/** Drive refused (403): the DSL (a recording is outside the folder) and the admin (who can fix it) are told. */
function tellRefused(rd: RecordingsDeps, entry: CollectionEntry, detail: string): void {
  const { deps } = rd;
  deps.notifier.send(
    [...deps.settings.dslEmails, rd.actor],
    `Lesson ${entry.lessonId}: recording not yet in the safeguarding folder`,
    `The recording of lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}, ${localDate(entry.start, deps.settings.timeZone)}) could not be moved into the safeguarding folder. ${detail}\nIt stays in the teacher’s Drive until this is fixed: the teacher's account must be active with Drive on, and the delegation must grant the Drive scope (run setup to see the scopes). The product keeps trying and records it in the Audit sheet when it succeeds.`,
  );
}

/** The shared drive is unusable: a log line every time, the admin and SLT emailed once a day. */
function noVault(rd: RecordingsDeps, detail: string): void {
  const { deps } = rd;
  const now = deps.clock.now();
  deps.log.warn('recordings: the safeguarding shared drive is unusable; collection paused');
  const mailed = rd.state.lastAlert(NO_VAULT_MAILED);
  deps.mutex.run(() => {
    rd.state.setLastAlert(NO_VAULT_SEEN, now);
    if (mailed === null || now - mailed >= NO_VAULT_MAIL_EVERY_MS)
      rd.state.setLastAlert(NO_VAULT_MAILED, now);
  }, LOCK_WAIT_MS);
  if (mailed !== null && now - mailed < NO_VAULT_MAIL_EVERY_MS) return;
  deps.notifier.send(
    [rd.actor, ...deps.settings.sltEmails],
    'Safe Live Lessons: recordings cannot be collected',
    `${detail}\nUntil this is fixed, lesson recordings stay in teachers' Drives, outside the safeguarding folder. Nothing is lost: run setup again (as ${rd.actor}) to make or adopt the safeguarding shared drive, and collection resumes at once.`,
  );
}

/** Links the lesson's Sessions row to its recordings (or says there are none). */
function linkSessions(rd: RecordingsDeps, entry: CollectionEntry, why: CollectionEnd): number {
  const { deps } = rd;
  const tz = deps.settings.timeZone;
  const mine = rd.sheet.registry().filter((r) => r.lessonId === entry.lessonId);
  const first = mine.length > 0 ? Math.min(...mine.map((r) => r.createdAt)) : null;
  const recording =
    mine.length > 0
      ? mine.map((r) => driveLink(r.fileId)).join('\n')
      : why === 'no-call'
        ? 'none: nobody joined the call'
        : why === 'not-recorded'
          ? 'none: not recorded (school policy)'
          : 'none: NOT RECORDED';
  const at = first === null ? null : purgeDueAt(first, deps.settings.retentionDays);
  const purgeDue = at === null ? '' : `${localDate(at, tz)} ${localTime(at, tz)}`;
  const linked = rd.sheet.linkSessions([{ lessonId: entry.lessonId, recording, purgeDue }]);
  if (linked.length === 0) deps.log.warn(`no Sessions row for ${entry.lessonId} to link`);
  return mine.length;
}

/** Links the Sessions row, audits a give-up, counts the lesson for setup's health check, and forgets it. */
function finish(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  why: CollectionEnd,
  found: FoundRecordings,
  report: CollectReport,
): void {
  const { deps } = rd;
  if (why === 'gave-up') {
    const stuck = found.calls
      .flatMap((c) => c.recordings)
      .filter((r) => r.fileId && !entry.handled.includes(r.fileId)).length;
    const detail =
      stuck > 0
        ? `${stuck} recording(s) could not be moved out of the teacher’s Drive before Meet forgot the call: move them into the safeguarding folder by hand.`
        : 'No recording file appeared before Meet forgot the call (30 days).';
    rd.sheet.audit([audit(rd, entry, 'gave-up', '', detail)]);
    if (stuck > 0)
      deps.notifier.send(
        [...deps.settings.dslEmails, rd.actor],
        `Lesson ${entry.lessonId}: recording left outside the safeguarding folder`,
        `Lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}): ${detail}`,
      );
  }
  const recorded = linkSessions(rd, entry, why);
  // Counted once per lesson: a flagged lesson was counted missing when flagged.
  if (recorded > 0) countLesson(rd, 'recorded', entry.flagged);
  else if (entry.hadCall && !entry.flagged && why !== 'no-call' && why !== 'not-recorded')
    countLesson(rd, 'missing', false);
  deps.mutex.run(() => rd.state.finish(entry), LOCK_WAIT_MS);
  report.finished += 1;
}
