// R15: an incident in a live lesson, reported by the teacher during or after it, in the
// shape of policy 004's Appendix K log ("Date & time | Name of pupil or staff member,
// indicate target (T) or offender (O) | Nature of incident(s) | Details of incident
// (including evidence) | Outcome including action taken"). A pupil removed for behaviour
// is marked so SLT follow up before that pupil joins again.

import { type Flag, flag } from './flags';
import { safeCell } from './sheet-safe';
import { localDate, localTime } from './time';

/** Appendix I's types of incident, the ones a live lesson can show, in its own words. */
export const INCIDENT_NATURES = [
  'Inappropriate language or behaviour',
  'Unsuitable dress, location or background',
  'Online bullying or harassment',
  'Racist, sexist, homophobic, religious or other hate material',
  'Posting or sharing images without permission',
  'Accessing someone else’s account without permission',
  'Uninvited or outside person in the lesson',
  'Accessing, sharing or showing violent or pornographic material',
  'Grooming or other safeguarding concern',
  'Other breach of the acceptable use agreement',
] as const;

/** What the teacher did in the lesson (policy 000: "finish the session early or eject pupils"). */
export const INCIDENT_ACTIONS = {
  warned: 'Warned',
  removed: 'Removed from the lesson',
  ended: 'Lesson ended for everyone',
  noted: 'Noted only: no action in the lesson',
} as const;
export type IncidentAction = keyof typeof INCIDENT_ACTIONS;

/** Appendix K: target (T) or offender (O). */
export const INCIDENT_ROLES = { O: 'Offender (O)', T: 'Target (T)' } as const;
export type IncidentRole = keyof typeof INCIDENT_ROLES;

export const MAX_INCIDENT_NAME = 120;
export const MAX_INCIDENT_DETAILS = 2000;

/** What the teacher typed and chose on the form. */
export interface IncidentInput {
  lessonId: string;
  reportedBy: string;
  /** The person's name: a roster pupil's, or typed. */
  personName: string;
  /** The roster pupil's email (or `id:` + account id); null for someone typed in. */
  personKey: string | null;
  role: string;
  nature: string;
  details: string;
  action: string;
  at: number;
}

export interface IncidentReport {
  id: string;
  lessonId: string;
  courseId: string;
  lessonTitle: string;
  reportedBy: string;
  at: number;
  personName: string;
  personKey: string;
  role: IncidentRole;
  nature: string;
  details: string;
  action: IncidentAction;
  /** Whether the lesson's recording was put on hold when the report was made (R17). */
  recordingHeld: boolean;
}

/** A pupil removed for behaviour: SLT follow up before the pupil joins again (R15). */
export interface FollowUp {
  incidentId: string;
  lessonId: string;
  courseId: string;
  personKey: string;
  personName: string;
  at: number;
  by: string;
}

export type IncidentCheck =
  | {
      ok: true;
      value: Omit<IncidentReport, 'id' | 'courseId' | 'lessonTitle' | 'recordingHeld'>;
    }
  | { ok: false; problems: string[] };

/** Checks a report before anything is written: every problem at once, in the teacher's words. */
export function checkIncident(input: IncidentInput): IncidentCheck {
  const problems: string[] = [];
  const name = input.personName.trim();
  const details = input.details.trim();
  if (!name) problems.push('Say who was involved: choose a pupil or type a name.');
  if (name.length > MAX_INCIDENT_NAME)
    problems.push(`Keep the name under ${MAX_INCIDENT_NAME} characters.`);
  if (!(INCIDENT_NATURES as readonly string[]).includes(input.nature))
    problems.push('Choose what kind of incident it was.');
  if (!details) problems.push('Describe what happened (what, when, how, and any evidence).');
  if (details.length > MAX_INCIDENT_DETAILS)
    problems.push(
      `The description is too long (${details.length} characters; at most ${MAX_INCIDENT_DETAILS}).`,
    );
  if (!(input.action in INCIDENT_ACTIONS)) problems.push('Choose the action you took.');
  if (!(input.role in INCIDENT_ROLES))
    problems.push('Say whether the person was the target or the offender.');
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      lessonId: input.lessonId,
      reportedBy: input.reportedBy.toLowerCase(),
      at: input.at,
      personName: name,
      personKey: input.personKey ?? `name:${name.toLowerCase()}`,
      role: input.role as IncidentRole,
      nature: input.nature,
      details,
      action: input.action as IncidentAction,
    },
  };
}

/** An id SLT can quote: the lesson's id and when it was reported. */
export function incidentId(lessonId: string, at: number): string {
  return `${lessonId}-I${at.toString(36).toUpperCase()}`;
}

/** R15: a removed pupil is followed up by SLT before joining again. */
export function needsFollowUp(report: IncidentReport): boolean {
  return report.action === 'removed';
}

export function followUpOf(report: IncidentReport): FollowUp {
  return {
    incidentId: report.id,
    lessonId: report.lessonId,
    courseId: report.courseId,
    personKey: report.personKey,
    personName: report.personName,
    at: report.at,
    by: report.reportedBy,
  };
}

/** The lesson's flag: what and what was done, never who (flags reach logs; R20). */
export function incidentFlag(report: IncidentReport): Flag {
  return flag(
    'incident',
    `Incident ${report.id} reported: ${report.nature}; ${INCIDENT_ACTIONS[report.action].toLowerCase()}.`,
  );
}

export function outcomeText(report: IncidentReport): string {
  const parts: string[] = [INCIDENT_ACTIONS[report.action], 'reported to the DSL at once'];
  if (report.recordingHeld) parts.push('lesson recording held');
  if (needsFollowUp(report)) parts.push('SLT to follow up before the pupil joins again');
  return `${parts.join('; ')}.`;
}

/** The Incidents sheet: Appendix K's columns, then what ties the row to its lesson. */
export const INCIDENT_COLUMNS = [
  'Date & time',
  'Name of pupil or staff member (T = target, O = offender)',
  'Nature of incident(s)',
  'Details of incident (including evidence)',
  'Outcome including action taken',
  'Lesson ID',
  'Lesson',
  'Reported By',
  'Recording Held',
  'SLT Follow-up',
  'Incident ID',
  'Status',
  'SLT Notes',
] as const;

/** Columns written by the product (the rest, Status and SLT Notes, are SLT's). */
export const INCIDENT_AUTOMATED_COLUMNS = INCIDENT_COLUMNS.indexOf('Status');
export const OPEN_STATUS = 'open';

/** SLT close an incident by writing one of these in its Status cell. */
export function isClosedStatus(value: unknown): boolean {
  return /^(closed|resolved|done|followed up)$/i.test(String(value ?? '').trim());
}

export function incidentRow(report: IncidentReport, timeZone: string): (string | number)[] {
  return [
    `${localDate(report.at, timeZone)} ${localTime(report.at, timeZone)}`,
    safeCell(`${report.personName} (${report.role})`),
    safeCell(report.nature),
    safeCell(report.details),
    safeCell(outcomeText(report)),
    safeCell(report.lessonId),
    safeCell(report.lessonTitle),
    safeCell(report.reportedBy),
    report.recordingHeld ? 'yes' : 'no',
    needsFollowUp(report) ? 'required before the pupil joins again' : '',
    safeCell(report.id),
    OPEN_STATUS,
    '',
  ];
}

/** The email that reaches the DSL at once (R15). Email may name the pupil; script logs may not. */
export function incidentEmail(
  report: IncidentReport,
  timeZone: string,
): { subject: string; body: string } {
  const when = `${localDate(report.at, timeZone)} ${localTime(report.at, timeZone)}`;
  return {
    subject: `Safeguarding incident in a live lesson: ${report.nature}`,
    body: [
      `${report.reportedBy} reported an incident in the live lesson "${report.lessonTitle}" (${report.lessonId}) at ${when}.`,
      '',
      `Who: ${report.personName} (${INCIDENT_ROLES[report.role]})`,
      `Nature: ${report.nature}`,
      `Details: ${report.details}`,
      `Action taken: ${INCIDENT_ACTIONS[report.action]}`,
      `Recording: ${report.recordingHeld ? 'on hold until the DSL releases it' : 'NOT held: hold it with holdRecording'}`,
      needsFollowUp(report)
        ? 'Follow-up: the pupil is marked so SLT follow up before they join a live lesson again. Close it by setting the Status of this incident to "closed" in the Incidents sheet.'
        : '',
      '',
      `Incident ${report.id} is added to the Incidents sheet of the safeguarding log within minutes.`,
    ]
      .filter((line, i, all) => line !== '' || all[i - 1] !== '')
      .join('\n'),
  };
}

/** What the teacher sees on their class's next lessons until SLT close the follow-up. */
export function followUpNotes(
  followUps: readonly FollowUp[],
  courseId: string,
  timeZone: string,
): string[] {
  return followUps
    .filter((f) => f.courseId === courseId)
    .map(
      (f) =>
        `${f.personName} was removed from a lesson on ${localDate(f.at, timeZone)}: SLT must follow up before they join again. Do not admit them until SLT say so.`,
    );
}
