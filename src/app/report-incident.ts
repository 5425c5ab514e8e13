// R15: the teacher reports an incident from the sidebar, during or after the lesson. In the
// teacher's own execution it reaches the DSL at once (email), holds the lesson's recording
// (R17), flags the lesson, marks a removed pupil for SLT follow-up and, if asked, ends the
// lesson. Teachers cannot open the log (R20): the report reaches the Incidents sheet through
// a queue the automation drains (log-sync.ts), like teachers' log entries.

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
} from '../core/incident';
import { addFlags } from '../core/lesson';
import type { AlertMail, RecordingsState } from '../core/ports';
import type { Deps } from './deps';
import { placeHold } from './holds';
import { withLessonLease } from './lesson-lease';
import { type ActionResult, endNow, explain } from './teacher-actions';

export interface IncidentPorts {
  holds: RecordingsState;
  alerts: AlertMail;
}

export type IncidentResult =
  | { ok: true; message: string; report: IncidentReport }
  | { ok: false; message: string };

export function reportIncident(
  deps: Deps,
  ports: IncidentPorts,
  input: IncidentInput,
): IncidentResult {
  const lesson = deps.store.get(input.lessonId);
  if (!lesson) return { ok: false, message: 'That lesson could not be found.' };
  const reporter = input.reportedBy.toLowerCase();
  if (lesson.teacher !== reporter && lesson.secondStaff !== reporter)
    return {
      ok: false,
      message: 'Only the staff of this lesson can report from here. Tell the DSL directly.',
    };
  if (lesson.status === 'scheduled' || lesson.status === 'cancelled')
    return {
      ok: false,
      message:
        'This lesson has not run, so there is nothing to report here. Tell the DSL directly.',
    };
  // Everything is checked before anything is written: bad input leaves no trace.
  const checked = checkIncident(input);
  if (!checked.ok) return { ok: false, message: checked.problems.join(' ') };

  const id = incidentId(lesson.id, input.at);
  const partial = {
    ...checked.value,
    id,
    courseId: lesson.courseId,
    lessonTitle: lesson.title,
  };
  try {
    // R17: held first, so a purge running now already leaves the recording alone.
    const held = placeHold(deps, ports.holds, lesson.id, reporter, `incident ${id}`);
    const report: IncidentReport = { ...partial, recordingHeld: held.ok };
    deps.incidents.enqueue(report);

    const { settings } = deps;
    const dsl = settings.dslEmails.length > 0 ? settings.dslEmails : settings.sltEmails;
    const email = incidentEmail(report, settings.timeZone);
    const emailed =
      dsl.length > 0 &&
      ports.alerts.alert([...dsl, ...settings.sltEmails], email.subject, email.body);

    if (needsFollowUp(report)) deps.followUps.add(followUpOf(report));
    // The flag is added here for the teacher's card; the automation adds it again if busy.
    withLessonLease(deps, lesson.id, (current) => ({
      lesson: addFlags(current, [incidentFlag(report)]),
      value: null,
    }));
    let ended: ActionResult | null = null;
    if (report.action === 'ended' && lesson.status === 'open')
      ended = endNow(deps, reporter, lesson.id);
    deps.log.info(`incident ${id} reported (held: ${report.recordingHeld}, emailed: ${emailed})`);

    const parts = [
      emailed
        ? 'Sent to the DSL and recorded.'
        : 'Recorded, but the email to the DSL could not be sent yet (it is retried every few minutes until it leaves): tell the DSL in person now.',
      report.recordingHeld ? 'The recording is on hold.' : 'The recording could not be held yet.',
    ];
    if (needsFollowUp(report)) parts.push('SLT will follow up before the pupil joins again.');
    if (ended) parts.push(ended.ok ? 'Lesson ended for everyone.' : ended.message);
    return { ok: true, message: parts.join(' '), report };
  } catch (error) {
    deps.log.warn(`incident on ${lesson.id} failed: ${isFailure(error) ? error.kind : 'error'}`);
    return {
      ok: false,
      message: `${explain(error)} If it is urgent, tell the DSL in person now.`,
    };
  }
}
