// What the recordings run tells people (R11, R16, R28): the Audit sheet's rows, the
// "not-recorded" flag with the DSL's and SLT's email, a recording found after all, Drive
// refusing a move, an unusable shared drive, and the tally setup's health check reads.

import { flag } from '../core/flags';
import { addFlags } from '../core/lesson';
import {
  type AuditEntry,
  type CollectionEntry,
  type FoundCall,
  type FoundRecordings,
  LATE_LIMIT_MS,
  missingRecordingReason,
} from '../core/recording';
import { DAY_MS, HOUR_MS, localTime, ukDate, ukDateTime } from '../core/time';
import { withLessonLease } from './lesson-lease';
import { LOCK_WAIT_MS, type RecordingsDeps } from './recordings-run';

/** The admin is emailed about an unusable shared drive at most this often. */
const NO_VAULT_MAIL_EVERY_MS = DAY_MS;
export const NO_VAULT_SEEN = 'no-vault-seen';
const NO_VAULT_MAILED = 'no-vault-mailed';

export function audit(
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
export function missingDetail(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  found: FoundRecordings,
): string {
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

/**
 * What the DSL reads when a call of the lesson with pupils in it left no recording while its
 * other calls were recorded (the call dropped and was started again, recording not restarted).
 */
export function silentCallsDetail(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  calls: readonly { call: FoundCall; others: number }[],
): string {
  const tz = rd.deps.settings.timeZone;
  const at = (ms: number | null) => (ms === null ? '?' : localTime(ms, tz));
  const which = calls
    .map(
      ({ call, others }) =>
        `the call from ${at(call.start)} to ${at(call.end)} (${others} people in it besides the lesson's staff)`,
    )
    .join(', ');
  const hours = Math.round(LATE_LIMIT_MS / HOUR_MS);
  const policy = entry.oneStaff
    ? ' Only one member of staff was present: policy requires this lesson to be recorded.'
    : '';
  return `Part of the lesson was not recorded: ${which} left no recording ${hours} hours after it ended; the lesson's other recordings are in the safeguarding folder. Likely reason: the call was started again and recording did not start with it (it was stopped, or nobody allowed to record was in the new call at first), or Meet failed to make the file.${policy}`;
}

/** R11, R28: flags the lesson (its Sessions row shows it on the next log write) and tells the DSL and SLT. */
export function flagNotRecorded(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  detail: string,
): boolean {
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
    `Lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}, ${ukDate(entry.start, deps.settings.timeZone, deps.clock.now())}): ${detail}\nThe product keeps looking until Meet forgets the call (30 days) and will say if the recording turns up. The log has the details.`,
  );
  deps.log.warn(`${entry.lessonId} flagged not-recorded`);
  return true;
}

/** Setup's health check counts lessons recorded and not; a late recording un-counts its "missing". */
export function countLesson(
  rd: RecordingsDeps,
  kind: 'recorded' | 'missing',
  wasMissing: boolean,
): void {
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
export function tellArrivedLate(rd: RecordingsDeps, entry: CollectionEntry, count: number): void {
  const { deps } = rd;
  deps.notifier.send(
    [...deps.settings.dslEmails, ...deps.settings.sltEmails],
    `Lesson ${entry.lessonId}: recording found after all`,
    `The recording of lesson ${entry.lessonId} (${entry.courseName}, ${ukDate(entry.start, deps.settings.timeZone, deps.clock.now())}) that was reported missing has now appeared and is in the safeguarding folder (${count} file(s)). The Recordings sheet has the link.`,
  );
}

/** Drive refused (403): the DSL (a recording is outside the folder) and the admin (who can fix it) are told. */
export function tellRefused(rd: RecordingsDeps, entry: CollectionEntry, detail: string): void {
  const { deps } = rd;
  deps.notifier.send(
    [...deps.settings.dslEmails, rd.actor],
    `Lesson ${entry.lessonId}: recording not yet in the safeguarding folder`,
    `The recording of lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}, ${ukDate(entry.start, deps.settings.timeZone, deps.clock.now())}) could not be moved into the safeguarding folder. ${detail}\nIt stays in the teacher’s Drive until this is fixed: the teacher's account must be active with Drive on, and the delegation must grant the Drive scope (run setup to see the scopes). The product keeps trying and records it in the Audit sheet when it succeeds.`,
  );
}

/**
 * R16, R20: the teacher had moved the recording into another shared drive, whose members could
 * open it; the product took it back. The DSL hears where it was and for how long it may have
 * been open to others (once: the file is then in the folder).
 */
export function tellTakenBack(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  drive: string,
  fileName: string,
): void {
  const { deps } = rd;
  const tz = deps.settings.timeZone;
  const now = deps.clock.now();
  deps.notifier.send(
    [...deps.settings.dslEmails],
    `Lesson ${entry.lessonId}: recording taken back from another shared drive`,
    `The recording of lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}, ${ukDate(entry.start, tz, now)}) had been moved by the teacher into the shared drive "${drive}", whose members (who may include pupils or people outside the approved staff) could open it. The product has moved it into the safeguarding folder at ${ukDateTime(now, tz)}, as "${fileName}". Until then it may have been seen by that drive's members: its members and Drive's activity for the file show who. The Audit sheet records it.`,
  );
}

/**
 * R16, R27, R28: the recording is in another shared drive the product cannot move it out of.
 * Told at once; reminded once more when it falls past retention (then it should be deleted);
 * and when Meet forgets the call the run's give-up says it is no longer followed.
 */
export function tellOutside(
  rd: RecordingsDeps,
  entry: CollectionEntry,
  detail: string,
  pastRetention: boolean,
): void {
  const { deps } = rd;
  const tz = deps.settings.timeZone;
  const now = deps.clock.now();
  const due = entry.endedAt + deps.settings.retentionDays * DAY_MS;
  const when = ukDateTime(due, tz, now);
  const ask = pastRetention
    ? `It is now past the school's retention (${deps.settings.retentionDays} days after the lesson, ${when}) and is still there: unless the DSL is keeping it, a manager of that shared drive should delete it, or move it into the safeguarding folder for the purge to delete it.`
    : `Ask a manager of that shared drive (or the teacher, if they are one) to move it into the safeguarding folder; the product then files it like any other recording. You will be reminded once more on ${when}, when it falls past retention, if it is still outside.`;
  deps.notifier.send(
    [...deps.settings.dslEmails],
    pastRetention
      ? `Lesson ${entry.lessonId}: recording still outside the safeguarding folder, past retention`
      : `Lesson ${entry.lessonId}: recording not yet in the safeguarding folder`,
    `The recording of lesson ${entry.lessonId} (${entry.courseName}, ${entry.teacher}, ${ukDate(entry.start, tz, now)}) is not in the safeguarding folder. ${detail}\n${ask} The product keeps looking for it until Meet forgets the call (30 days after it).`,
  );
}

/** The shared drive is unusable: a log line every time, the admin and SLT emailed once a day. */
export function noVault(rd: RecordingsDeps, detail: string): void {
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
