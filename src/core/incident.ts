// R15, R26: an incident in a live lesson, reported during or after it by the lesson's
// teacher or its second adult, in the shape of policy 004's Appendix I (the reporting form:
// who reports, where, who was involved, the checklist of types, what happened) and Appendix J
// (the record: immediate action, reported to the DSL, then referral, police/CEOP, parents
// informed and outcome, which the DSL fills in the Incidents sheet), logged with Appendix K's
// columns first ("Date & time | Name of pupil or staff member, indicate target (T) or
// offender (O) | Nature of incident(s) | Details of incident (including evidence) | Outcome
// including action taken"). A pupil removed for behaviour is marked so SLT follow up before
// that pupil joins again.

import { type Flag, flag } from './flags';
import { safeCell } from './sheet-safe';
import { localDate, localTime } from './time';

/**
 * Appendix I's checklist, "Type of incident(s) (indicate as many as apply)", in the policy's
 * own words, then what a live lesson adds (policy 000 and 004's video conferencing policy:
 * "unsuitable language, dress, location", people who were not invited).
 */
export const INCIDENT_TYPES = [
  'Accessing age inappropriate websites, apps and social media',
  'Accessing someone else’s account without permission',
  'Forwarding/spreading chain messages or threatening material',
  'Posting images without permission of all involved',
  'Online bullying or harassment (cyber bullying)',
  'Posting material that will bring an individual or the school into disrepute',
  'Racist, sexist, homophobic, religious or other hate material',
  'Online gambling',
  'Sexting/Child abuse images',
  'Deliberately bypassing security',
  'Grooming',
  'Hacking or spreading viruses',
  'Accessing, sharing or creating pornographic images and media',
  'Accessing and/or sharing terrorist material',
  'Accessing, sharing or creating violent images and media',
  'Drug/bomb making material',
  'Creating an account in someone else’s name to bring them into disrepute',
  'Breaching copyright regulations',
  'Inappropriate language or behaviour in the lesson',
  'Unsuitable dress, location or background',
  'Uninvited or outside person in the lesson',
  'Other breach of the acceptable use agreement (say what in the description)',
] as const;

/** Appendix I: "Where did the incident take place: Inside school? Outside school?" */
export const INCIDENT_PLACES = {
  outside: 'Outside school (the live lesson, pupils at home)',
  inside: 'Inside school',
} as const;
export type IncidentPlace = keyof typeof INCIDENT_PLACES;

/** Appendix J's "Immediate action taken" in a lesson (policy 000: "finish the session early or eject pupils"). */
export const INCIDENT_ACTIONS = {
  warned: 'Warned',
  removed: 'Removed from the lesson',
  ended: 'Lesson ended for everyone',
  noted: 'Noted only: no action in the lesson',
} as const;
export type IncidentAction = keyof typeof INCIDENT_ACTIONS;

/** Appendix K: target (T) or offender (O). */
export const INCIDENT_ROLES = { T: 'Target (T)', O: 'Offender (O)' } as const;
export type IncidentRole = keyof typeof INCIDENT_ROLES;

/** Appendix I: who reports, and their part in the lesson (only its staff report from the sidebar). */
export const REPORTER_ROLES = {
  teacher: 'Teacher of the lesson',
  'second-adult': 'Second adult in the lesson',
} as const;
export type ReporterRole = keyof typeof REPORTER_ROLES;

export const MAX_INCIDENT_NAME = 120;
export const MAX_INCIDENT_DETAILS = 2000;

/** What the reporter typed and chose on the form. */
export interface IncidentInput {
  lessonId: string;
  reportedBy: string;
  /** The person's name: a roster pupil's, or typed. */
  personName: string;
  /** The roster pupil's email (or `id:` + account id); null for someone typed in. */
  personKey: string | null;
  role: string;
  /** Ticked from INCIDENT_TYPES (as many as apply). */
  types: readonly string[];
  where: string;
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
  reporterRole: ReporterRole;
  at: number;
  personName: string;
  personKey: string;
  role: IncidentRole;
  types: string[];
  where: IncidentPlace;
  details: string;
  action: IncidentAction;
  /** Whether the lesson's recording was put on hold when the report was made (R17). */
  recordingHeld: boolean;
  /** Whether the email to the DSL left (it is sent before anything is written). */
  dslEmailed: boolean;
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
      value: Omit<
        IncidentReport,
        'id' | 'courseId' | 'lessonTitle' | 'recordingHeld' | 'reporterRole' | 'dslEmailed'
      >;
    }
  | { ok: false; problems: string[] };

/** Checks a report before anything is written: every problem at once, in the reporter's words. */
export function checkIncident(input: IncidentInput): IncidentCheck {
  const problems: string[] = [];
  const name = input.personName.trim();
  const details = input.details.trim();
  const types = [...new Set(input.types)];
  if (!name) problems.push('Say who was involved: choose a pupil or type a name.');
  if (name.length > MAX_INCIDENT_NAME)
    problems.push(`Keep the name under ${MAX_INCIDENT_NAME} characters.`);
  if (!(input.role in INCIDENT_ROLES))
    problems.push('Say whether the person was the target or the offender.');
  if (types.length === 0 || types.some((t) => !(INCIDENT_TYPES as readonly string[]).includes(t)))
    problems.push('Choose what kind of incident it was: tick every type that applies.');
  if (!details) problems.push('Describe what happened (what, when, how, and any evidence).');
  if (details.length > MAX_INCIDENT_DETAILS)
    problems.push(
      `The description is too long (${details.length} characters; at most ${MAX_INCIDENT_DETAILS}).`,
    );
  if (!(input.where in INCIDENT_PLACES))
    problems.push('Say where it took place: inside or outside school.');
  if (!(input.action in INCIDENT_ACTIONS)) problems.push('Choose the action you took.');
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
      types: INCIDENT_TYPES.filter((t) => types.includes(t)),
      where: input.where as IncidentPlace,
      details,
      action: input.action as IncidentAction,
    },
  };
}

/** A report queued before Appendix I/J (one "nature", no place) reads as one type, place unknown. */
function typesOf(report: IncidentReport): string[] {
  const legacy = (report as { nature?: string }).nature;
  return report.types ?? (legacy ? [legacy] : []);
}

function placeOf(report: IncidentReport): string {
  return INCIDENT_PLACES[report.where] ?? 'not recorded';
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
    `Incident ${report.id} reported: ${typesOf(report).join('; ')}; ${INCIDENT_ACTIONS[report.action].toLowerCase()}.`,
  );
}

export function outcomeText(report: IncidentReport): string {
  const parts: string[] = [
    INCIDENT_ACTIONS[report.action],
    report.dslEmailed === false
      ? 'the email to the DSL failed: the reporter was told to tell the DSL in person'
      : 'reported to the DSL at once',
  ];
  if (report.recordingHeld) parts.push('lesson recording held');
  if (needsFollowUp(report)) parts.push('SLT to follow up before the pupil joins again');
  return `${parts.join('; ')}.`;
}

/**
 * The Incidents sheet: Appendix K's columns, then what ties the row to its lesson, then the
 * rest of Appendix I/J. New columns go at the end so a log set up earlier keeps its rows
 * under the right headers (setup extends the header row).
 */
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
  'Reporter Role',
  'Where',
  'Immediate Action Taken',
  'Reported To DSL',
  'Referral Made To Safeguarding',
  'Reported To Police/CEOP',
  'Parents/Carers Informed',
  'Outcome (DSL)',
] as const;
export type IncidentColumn = (typeof INCIDENT_COLUMNS)[number];

export const OPEN_STATUS = 'open';
/** Not yet decided by the DSL: what the product writes in the DSL's yes/no columns. */
export const TO_DECIDE = 'to decide';

/**
 * The columns SLT and the DSL write (everything else is the product's, protected): the
 * incident's status and notes, and Appendix J's later fields. Dropdowns where the answer is
 * one of a few; SLT close an incident by choosing "closed".
 */
export const INCIDENT_STAFF_COLUMNS: Partial<Record<IncidentColumn, readonly string[] | null>> = {
  Status: [OPEN_STATUS, 'in progress', 'closed'],
  'SLT Notes': null,
  'Referral Made To Safeguarding': [TO_DECIDE, 'yes', 'no'],
  'Reported To Police/CEOP': [TO_DECIDE, 'yes', 'no'],
  'Parents/Carers Informed': [TO_DECIDE, 'yes', 'no'],
  'Outcome (DSL)': null,
};

/** SLT close an incident by writing one of these in its Status cell. */
export function isClosedStatus(value: unknown): boolean {
  return /^(closed|resolved|done|followed up)$/i.test(String(value ?? '').trim());
}

export function incidentRow(report: IncidentReport, timeZone: string): (string | number)[] {
  const when = `${localDate(report.at, timeZone)} ${localTime(report.at, timeZone)}`;
  const cells: Record<IncidentColumn, string | number> = {
    'Date & time': when,
    'Name of pupil or staff member (T = target, O = offender)': safeCell(
      `${report.personName} (${report.role})`,
    ),
    'Nature of incident(s)': safeCell(typesOf(report).join('\n')),
    'Details of incident (including evidence)': safeCell(report.details),
    'Outcome including action taken': safeCell(outcomeText(report)),
    'Lesson ID': safeCell(report.lessonId),
    Lesson: safeCell(report.lessonTitle),
    'Reported By': safeCell(report.reportedBy),
    'Recording Held': report.recordingHeld ? 'yes' : 'no',
    'SLT Follow-up': needsFollowUp(report) ? 'required before the pupil joins again' : '',
    'Incident ID': safeCell(report.id),
    Status: OPEN_STATUS,
    'SLT Notes': '',
    'Reporter Role': REPORTER_ROLES[report.reporterRole] ?? 'not recorded',
    Where: placeOf(report),
    'Immediate Action Taken': INCIDENT_ACTIONS[report.action],
    'Reported To DSL':
      report.dslEmailed === false
        ? `NOT emailed (${when}): the reporter was told to tell the DSL in person`
        : `emailed at ${when}`,
    'Referral Made To Safeguarding': TO_DECIDE,
    'Reported To Police/CEOP': TO_DECIDE,
    'Parents/Carers Informed': TO_DECIDE,
    'Outcome (DSL)': '',
  };
  return INCIDENT_COLUMNS.map((c) => cells[c]);
}

/**
 * The email that reaches the DSL first, before anything of the report is written (R15):
 * so it says what is about to happen, not what has. Email may name the pupil; script logs
 * may not.
 */
export function incidentEmail(
  report: IncidentReport,
  timeZone: string,
): { subject: string; body: string } {
  const when = `${localDate(report.at, timeZone)} ${localTime(report.at, timeZone)}`;
  const types = typesOf(report);
  return {
    subject: `Safeguarding incident in a live lesson: ${types[0] ?? 'incident'}${types.length > 1 ? ` (+${types.length - 1})` : ''}`,
    body: [
      `${report.reportedBy} (${REPORTER_ROLES[report.reporterRole] ?? 'staff'}) reported an incident in the live lesson "${report.lessonTitle}" (${report.lessonId}) at ${when}.`,
      '',
      `Who: ${report.personName} (${INCIDENT_ROLES[report.role]})`,
      `Where: ${placeOf(report)}`,
      `Type: ${types.join('; ')}`,
      `What happened: ${report.details}`,
      `Immediate action: ${INCIDENT_ACTIONS[report.action]}`,
      'Recording: the lesson’s recording is being put on hold until you release it; you will be emailed again if that fails.',
      needsFollowUp(report)
        ? 'Follow-up: the pupil is marked so SLT follow up before they join a live lesson again. Close it by setting the Status of this incident to "closed" in the Incidents sheet.'
        : '',
      '',
      `Incident ${report.id} is added to the Incidents sheet of the safeguarding log within minutes. Record the referral, police/CEOP, parents informed and the outcome in its row there.`,
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
