// R16, R27: every recording of every call of a lesson ends up in the safeguarding folder,
// whoever remembers. After a lesson closes, Meet is asked (as the teacher) for the recordings
// of the room's calls, at growing intervals, until none can still appear; each file is moved,
// as its owner, into the folder, registered in the Recordings sheet and linked from the
// lesson's Sessions row. A recording slow to appear, a lesson nobody joined, a file the teacher
// moved or deleted, a Drive that refuses, a teacher's account Google refuses, a shared drive
// that has gone: each is handled, logged and told to the person who can act, and none stops
// the other lessons. R11, R28: a lesson with no recording, or a call of it with pupils in it
// that left none, is flagged "not-recorded", with the likely reason, and the DSL told. A file
// the teacher moved into another shared drive is taken back as the teacher when Drive allows,
// else the DSL is told at once and again at the retention date, and it is looked for still.
//
// This file holds the collection run and the handling of one queued lesson's files; the run's
// lease is in recordings-run.ts, the queue in collection-queue.ts, and what people are told in
// recordings-notices.ts.

import { isAccountRefused, isFailure, type ServiceFailure } from '../core/errors';
import type { CollectOutcome, Hold } from '../core/ports';
import {
  type AuditEntry,
  afterCollection,
  type CollectionEnd,
  type CollectionEntry,
  collectionStep,
  driveLink,
  type FoundCall,
  type FoundRecordings,
  holdText,
  knownCalls,
  type NewRecording,
  nextCheckAt,
  RETRY_MS,
  recordingFileName,
} from '../core/recording';
import { chunks, purgeDueAt, retentionStart } from '../core/retention';
import { DAY_MS, HOUR_MS, localDate, localTime } from '../core/time';
import { enqueueClosedLessons } from './collection-queue';
import { showRetention } from './purge-recordings';
import {
  audit,
  countLesson,
  flagNotRecorded,
  missingDetail,
  NO_VAULT_SEEN,
  noVault,
  silentCallsDetail,
  tellArrivedLate,
  tellOutside,
  tellRefused,
  tellTakenBack,
} from './recordings-notices';
import {
  applyHoldsSafely,
  LOCK_WAIT_MS,
  RECORDINGS_BUDGET_MS,
  type RecordingsDeps,
  withRecordingsRun,
} from './recordings-run';

/** Rooms asked about in one round of parallel requests. */
const ROUND = 25;
/** Finished lessons are forgotten well after they leave the store (7 days after they end). */
const FORGET_FINISHED_MS = 10 * DAY_MS;
/** Once the shared drive was found unusable, collection pauses this long before trying again. */
const NO_VAULT_PAUSE_MS = HOUR_MS;

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
    showRetention(rd, 'leave');
    report.queued = enqueueClosedLessons(rd);
    const seen = rd.state.lastAlert(NO_VAULT_SEEN);
    if (seen !== null && deps.clock.now() - seen < NO_VAULT_PAUSE_MS) {
      report.paused = 'the safeguarding shared drive was unusable at the last try';
      deps.log.warn('recordings: collection paused, the safeguarding shared drive is unusable');
      return;
    }
    const now = deps.clock.now();
    const due = rd.state
      .pending()
      .filter((e) => e.nextCheck <= now || remindOutsideNow(rd, e, now));
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
    const told = isAccountRefused(answer) ? accountRefused(rd, entry) : entry;
    save({ ...told, nextCheck: now + RETRY_MS });
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
  if (step.kind === 'wait' && step.flagMissing && step.silentCalls) {
    // Others were recorded; a call that left none is flagged only if pupils were in it.
    const checked = whoWasIn(rd, current, answer, step.silentCalls);
    current = checked.entry;
    if (checked.peopled.length === 0) step = afterCollection(current, answer, now);
    else {
      if (flagNotRecorded(rd, current, silentCallsDetail(rd, current, checked.peopled))) {
        current = { ...current, flagged: true };
        report.notRecorded += 1;
      }
      step = { kind: 'wait', flagMissing: false };
    }
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
  save({ ...current, nextCheck: nextCheckAt(current, now, outsideReminderAt(rd, current)) });
  return null;
}

/**
 * Asks Meet who was in each call that left no recording; calls with nobody but the lesson's
 * staff are remembered as quiet (no recording needed), the others returned with how many
 * people besides staff were in them. A failure is thrown on: the look is retried.
 */
function whoWasIn(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  found: FoundRecordings,
  callNames: readonly string[],
): { entry: CollectionEntry; peopled: { call: FoundCall; others: number }[] } {
  const people = rd.finder.peopleIn(entry.teacher, callNames);
  const staff = new Set(entry.staffIds ?? []);
  const quiet = [...(entry.quietCalls ?? [])];
  const peopled: { call: FoundCall; others: number }[] = [];
  for (const name of callNames) {
    const list = people.get(name);
    if (list instanceof Error) throw list;
    const call = found.calls.find((c) => c.name === name);
    if (!list || !call) continue;
    // A guest or a caller (no account id) is not staff: someone the recording is there for.
    const others = list.filter((id) => id === null || !staff.has(id)).length;
    if (others === 0) quiet.push(name);
    else peopled.push({ call, others });
  }
  return { entry: { ...entry, quietCalls: quiet }, peopled };
}

/** Reported keys for a recording left in another shared drive: told, and reminded past retention. */
const OUTSIDE = 'outside:';
const OUTSIDE_DUE = 'outside-due:';

/**
 * A recording left outside the folder whose reminder is owed now: SLT shortened retention after
 * its next look was planned, so the look comes now rather than days past the new date.
 */
function remindOutsideNow(rd: RecordingsDeps, entry: CollectionEntry, now: number): boolean {
  const reported = entry.reported ?? [];
  // Only for a file still outside: one taken back or gone since is handled, and owed nothing.
  const owed = reported.some((k) => {
    if (!k.startsWith(OUTSIDE)) return false;
    const fileId = k.slice(OUTSIDE.length);
    return !entry.handled.includes(fileId) && !reported.includes(OUTSIDE_DUE + fileId);
  });
  const at = owed ? outsideReminderAt(rd, entry) : undefined;
  return at !== undefined && at <= now;
}

/** When a lesson with a recording left outside the folder falls past retention: a look then. */
function outsideReminderAt(rd: RecordingsDeps, entry: CollectionEntry): number | undefined {
  const waiting = (entry.reported ?? []).some((k) => k.startsWith(OUTSIDE));
  return waiting ? entry.endedAt + rd.deps.settings.retentionDays * DAY_MS : undefined;
}

/**
 * R28: Google refuses the automation the teacher's account (deleted, suspended, renamed), so the
 * room's recordings can be neither looked for nor moved: only their owner may move them. The DSL
 * and the admin are told once for the lesson, with an Audit row; the looks go on, so the
 * recording is collected once the account is restored.
 */
function accountRefused(rd: RecordingsDeps, entry: CollectionEntry): CollectionEntry {
  const key = 'account-refused';
  if (entry.reported?.includes(key)) return entry;
  const detail = `Google will not let the product act as ${entry.teacher}, who owns the room and its recordings (the account has been deleted, suspended or renamed), so any recording of the lesson cannot be looked for or moved, and is lost if the account is deleted for good. Restore the account in the Admin console (Directory, Users) and the product collects it at its next look.`;
  rd.sheet.audit([
    audit(
      rd,
      entry,
      'not-collected',
      '',
      `${detail} Until then it stays in that account’s Drive, outside the safeguarding folder; the product keeps trying.`,
    ),
  ]);
  tellRefused(rd, entry, detail);
  return { ...entry, reported: [...(entry.reported ?? []), key] };
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
  /** Recordings taken back from another shared drive: the DSL is told once they are registered. */
  const takenBack: { from: string; name: string }[] = [];
  for (const fileId of fileIds) {
    const part = ready.length > 1 ? ready.findIndex((r) => r.fileId === fileId) + 1 : 1;
    const name = recordingFileName(entry, part, deps.settings.timeZone);
    let outcome: CollectOutcome;
    try {
      outcome = rd.vault.collect(entry.teacher, fileId, name, entry.lessonId, entry.endedAt);
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
        lessonEndedAt: entry.endedAt,
        movedAt: deps.clock.now(),
        purgeDue: purgeDueAt(
          retentionStart(outcome.createdAt, entry.endedAt),
          deps.settings.retentionDays,
        ),
        hold: hold ? holdText(hold.by, hold.at, hold.reason, deps.settings.timeZone) : null,
      });
      const from = outcome.from
        ? ` Taken back from the shared drive "${outcome.from}", where the teacher had moved it and that drive's members could open it.`
        : '';
      audits.push(
        audit(
          rd,
          entry,
          'collected',
          fileId,
          `Moved into the safeguarding folder.${from}${late}`,
          outcome.name,
        ),
      );
      if (outcome.from) takenBack.push({ from: outcome.from, name: outcome.name });
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
    } else if (outcome.kind === 'elsewhere') {
      // Not handled, and not missing: it exists, outside the folder. Told at once, reminded once
      // when it falls past retention; tried again at each look until Meet forgets the call.
      report.retryLater += 1;
      const toldKey = `${OUTSIDE}${fileId}`;
      const dueKey = `${OUTSIDE_DUE}${fileId}`;
      const pastRetention =
        deps.clock.now() >= entry.endedAt + deps.settings.retentionDays * DAY_MS;
      const first = !reported.includes(toldKey);
      if (first || (pastRetention && !reported.includes(dueKey))) {
        if (first) reported.push(toldKey);
        if (pastRetention) reported.push(dueKey);
        audits.push(
          audit(
            rd,
            entry,
            'not-collected',
            fileId,
            `${outcome.detail} ${pastRetention ? 'It is past retention: the DSL is reminded.' : 'The DSL is told.'} The product keeps looking until Meet forgets the call.`,
          ),
        );
        tellOutside(rd, entry, outcome.detail, pastRetention);
      }
    } else {
      lost = 'The recording was deleted from the teacher’s Drive before it could be collected.';
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
    // After the registration: a run that fails before it takes the file back again (its marker
    // says from where) and tells then, so the DSL hears it once.
    for (const t of takenBack) tellTakenBack(rd, entry, t.from, t.name);
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

/** Links the lesson's Sessions row to its recordings (or says there are none). */
function linkSessions(rd: RecordingsDeps, entry: CollectionEntry, why: CollectionEnd): number {
  const { deps } = rd;
  const tz = deps.settings.timeZone;
  const mine = rd.sheet.registry().filter((r) => r.lessonId === entry.lessonId);
  const first = mine.length > 0 ? Math.min(...mine.map((r) => r.retainFrom)) : null;
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
        ? `${stuck} recording(s) could not be moved into the safeguarding folder before Meet forgot the call (they are in the teacher’s Drive or another shared drive): move them into the safeguarding folder by hand, or delete them once past retention. The product no longer looks for them.`
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
