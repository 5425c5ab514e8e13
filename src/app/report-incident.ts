// R15, R26: the lesson's teacher or its second adult reports an incident from the sidebar,
// during or after the lesson. In the reporter's own execution:
//
//   1. everything is checked before anything happens (bad input leaves no trace);
//   2. the DSL is emailed, before anything else: if any later step fails, the DSL has heard;
//   3. the teacher's "Lesson ended for everyone" ends the call, through the same steps as
//      the End button (safety before bookkeeping);
//   4. then the bookkeeping: the recording is held (R17), the report queued for the
//      Incidents sheet (staff cannot open the log, R20; the automation writes it, see
//      log-sync.ts), a removed pupil marked for follow-up, the lesson flagged.
//
// The second adult cannot end the teacher's call: their execution cannot act as the teacher
// (the Meet space is the teacher's; only the automation acts for others), so "ends it now"
// is not offered to them and a crafted request for it is refused with the reason.

import { isFailure } from '../core/errors';
import {
  checkIncident,
  followUpOf,
  type IncidentInput,
  type IncidentReport,
  incidentEmail,
  incidentFlag,
  incidentId,
  needsFollowUp,
  type ReporterRole,
} from '../core/incident';
import { addFlags, type Lesson } from '../core/lesson';
import type { AlertMail, RecordingsState } from '../core/ports';
import type { Deps } from './deps';
import { placeHold } from './holds';
import { withLessonLease } from './lesson-lease';
import { type ActionResult, endNow } from './teacher-actions';

export interface IncidentPorts {
  holds: RecordingsState;
  alerts: AlertMail;
  /**
   * Reports sent in the last hours, by their content: a click sent again (the card timed out
   * after the DSL's email left) reuses the first report instead of emailing the DSL twice.
   */
  recent?: RecentReports;
}

/** A short memory of reports already sent (CacheService): the incident id by the report's content. */
export interface RecentReports {
  get(key: string): string | null;
  put(key: string, incidentId: string): void;
}

/** The same reporter, lesson, person, types, place and words: the same report, sent again. */
function reportKey(input: IncidentInput, reporter: string): string {
  const text = [
    input.lessonId,
    reporter,
    input.personKey ?? input.personName,
    input.types.join('|'),
    input.where,
    input.details,
    input.action,
  ].join('\u0000');
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `incident:${hash.toString(36)}`;
}

export type IncidentResult =
  | { ok: true; message: string; report: IncidentReport }
  | { ok: false; message: string };

/** The reporter's part in the lesson, or null when they had none (only its staff report here). */
export function reporterRole(lesson: Lesson, user: string): ReporterRole | null {
  const who = user.toLowerCase();
  if (lesson.teacher === who) return 'teacher';
  if (lesson.secondStaff !== null && lesson.secondStaff.toLowerCase() === who)
    return 'second-adult';
  return null;
}

export function reportIncident(
  deps: Deps,
  ports: IncidentPorts,
  input: IncidentInput,
): IncidentResult {
  const lesson = deps.store.get(input.lessonId);
  if (!lesson)
    return { ok: false, message: 'That lesson could not be found. Tell the DSL directly.' };
  const reporter = input.reportedBy.toLowerCase();
  const role = reporterRole(lesson, reporter);
  if (!role)
    return {
      ok: false,
      message:
        'Only the teacher or the second adult of this lesson can report from here. Tell the DSL directly.',
    };
  if (lesson.status === 'scheduled' || lesson.status === 'cancelled')
    return {
      ok: false,
      message:
        'This lesson has not run, so there is nothing to report here. Tell the DSL directly.',
    };
  const checked = checkIncident(input);
  if (!checked.ok) return { ok: false, message: checked.problems.join(' ') };
  if (checked.value.action === 'ended' && role !== 'teacher' && lesson.status === 'open')
    return {
      ok: false,
      message:
        'Only the teacher can end the lesson from here: ask them to end it now, and choose what you did.',
    };

  const key = reportKey(input, reporter);
  const already = ports.recent?.get(key) ?? null;
  const id = already ?? incidentId(lesson.id, input.at);
  const { settings } = deps;
  const draft: IncidentReport = {
    ...checked.value,
    id,
    courseId: lesson.courseId,
    lessonTitle: lesson.title,
    reporterRole: role,
    recordingHeld: false,
    dslEmailed: false,
  };
  // 2. The DSL first (SLT if no DSL is named), whatever happens next.
  const dsl = settings.dslEmails.length > 0 ? settings.dslEmails : settings.sltEmails;
  const email = incidentEmail(draft, settings.timeZone);
  // A report sent again (the first click's card ran out of time while the email was leaving)
  // does not email the DSL twice: the first click's email is already in the mail queue, which
  // delivers it whatever became of that click. Its bookkeeping is done again under the same id,
  // which changes nothing already done.
  if (already === null) ports.recent?.put(key, id);
  const emailed =
    already !== null ||
    (dsl.length > 0 &&
      ports.alerts.alert([...dsl, ...settings.sltEmails], email.subject, email.body));

  // 3. Safety: the call ends before any bookkeeping.
  let ended: ActionResult | null = null;
  if (draft.action === 'ended' && lesson.status === 'open')
    ended = endNow(deps, reporter, lesson.id);

  // 4. Bookkeeping.
  try {
    // R17: held first, so a purge running now already leaves the recording alone.
    const held = placeHold(deps, ports.holds, lesson.id, reporter, `incident ${id}`);
    const report: IncidentReport = { ...draft, recordingHeld: held.ok, dslEmailed: emailed };
    deps.incidents.enqueue(report);
    if (!held.ok && dsl.length > 0)
      ports.alerts.alert(
        dsl,
        `Recording of lesson ${lesson.id} NOT held for incident ${id}`,
        `The recording of lesson ${lesson.id} could not be put on hold automatically for incident ${id}. Hold it now from the script editor: holdRecording('${lesson.id}').`,
      );
    if (needsFollowUp(report)) deps.followUps.add(followUpOf(report));
    // The flag is added here for the reporter's card; the automation adds it again if busy.
    withLessonLease(deps, lesson.id, (current) => ({
      lesson: addFlags(current, [incidentFlag(report)]),
      value: null,
    }));
    deps.log.info(`incident ${id} reported (held: ${report.recordingHeld}, emailed: ${emailed})`);

    const parts = [
      emailed ? 'Sent to the DSL and recorded.' : notSentYet(ports.alerts),
      report.recordingHeld ? 'The recording is on hold.' : 'The recording could not be held yet.',
    ];
    if (needsFollowUp(report)) parts.push('SLT will follow up before the pupil joins again.');
    if (ended) parts.push(ended.ok ? 'Lesson ended for everyone.' : ended.message);
    return { ok: true, message: parts.join(' '), report };
  } catch (error) {
    deps.log.warn(`incident on ${lesson.id} failed: ${isFailure(error) ? error.kind : 'error'}`);
    const endedNote = ended ? ` ${ended.ok ? 'Lesson ended for everyone.' : ended.message}` : '';
    const why = isFailure(error, 'transient')
      ? 'Google did not answer in time'
      : 'it could not be stored';
    return {
      ok: false,
      message: emailed
        ? `The DSL has been emailed, but the report could not be recorded in the incident log (${why}). Send it again in a moment; if it fails again, ask the DSL to log it by hand.${endedNote}`
        : `The email to the DSL could not be sent and the report could not be recorded (${why}): tell the DSL in person now.${endedNote}`,
    };
  }
}

/** The card's words when the DSL's email could not leave now: why, when that is known. */
function notSentYet(alerts: AlertMail): string {
  const why = alerts.heldBecause?.() ?? null;
  return why
    ? `Recorded, but the email to the DSL could not be sent: ${why}. It is sent as soon as the quota allows: tell the DSL in person now.`
    : 'Recorded, but the email to the DSL could not be sent yet (it is retried every few minutes until it leaves): tell the DSL in person now.';
}
