// R15, R23 "removed pupils are caught at the door". Policy 000: "Staff to ask SLT to follow up
// with parents before that pupil joins any future sessions." A pupil removed for behaviour stays
// marked, school-wide, until SLT clear the mark: every class the pupil is in shows them on its
// lesson cards before the lesson, and a join while marked is reported at once (call-watch.ts).
// SLT clear a mark in the log's Follow-ups sheet (Status "cleared", with their email in Cleared
// By) or from the sidebar; the clearing is kept with who and when, and written to that sheet.
// Pure: the rows SLT edited come in, what to clear and what to write go out.

import type { FollowUp } from './incident';
import type { SchoolSettings } from './settings';
import { safeCell } from './sheet-safe';
import { localDate, localTime } from './time';

/** A follow-up SLT cleared, waiting (with who and when) to be written to the Follow-ups sheet. */
export interface ClearedFollowUp extends FollowUp {
  clearedBy: string;
  clearedAt: number;
  /** Where SLT cleared it. */
  how: 'sheet' | 'sidebar';
}

/** The Follow-ups sheet: the product writes every column but Status and Cleared By, SLT's. */
export const FOLLOW_UP_COLUMNS = [
  'Incident ID',
  'Pupil',
  'Removed On',
  'Lesson',
  'Course',
  'Reported By',
  'Status',
  'Cleared By',
  'Cleared At',
  'Check',
] as const;

export const FOLLOW_UP_OPEN = 'open';
export const FOLLOW_UP_CLEARED = 'cleared';

/** One row of the sheet as read (by header). */
export type FollowUpSheetRow = Partial<Record<(typeof FOLLOW_UP_COLUMNS)[number], unknown>>;

/** Who may clear a mark: SLT and the DSL, by their school email (the settings name them). */
export function mayClear(settings: SchoolSettings, who: string): boolean {
  const email = who.trim().toLowerCase();
  return email !== '' && (settings.sltEmails.includes(email) || settings.dslEmails.includes(email));
}

/** Whether a follow-up names this pupil (by email, or by account id when Classroom had no email). */
export function namesPupil(f: FollowUp, pupil: { userId: string; email: string | null }): boolean {
  const key = f.personKey.toLowerCase();
  return (
    (pupil.email !== null && key === pupil.email.toLowerCase()) || key === `id:${pupil.userId}`
  );
}

/**
 * The follow-ups a lesson's card lists before pupils join: the pupil was removed in this class,
 * or is on this class's roster (`classPupils`, when it could be read).
 */
export function followUpsFor(
  followUps: readonly FollowUp[],
  courseId: string,
  classPupils: readonly { userId: string; email: string | null }[] | null,
): FollowUp[] {
  return followUps.filter(
    (f) => f.courseId === courseId || (classPupils ?? []).some((p) => namesPupil(f, p)),
  );
}

/** What a pass over the Follow-ups sheet does. */
export interface FollowUpSheetPlan {
  /** Marks SLT cleared in the sheet: clear them, with who (from Cleared By) and when (now). */
  clear: { incidentId: string; by: string }[];
  /** The rows as they should now read, by incident id (new rows appended). */
  rows: Map<string, (string | number)[]>;
}

/**
 * Reads what SLT wrote and works out the rows: open marks listed; a row SLT set to "cleared"
 * with a school SLT/DSL email in Cleared By is cleared now (its Cleared At written); one without
 * a valid email says so in Check and stays open; marks cleared from the sidebar are written
 * with who and when.
 */
export function planFollowUpSheet(
  sheet: readonly FollowUpSheetRow[],
  open: readonly FollowUp[],
  cleared: readonly ClearedFollowUp[],
  settings: SchoolSettings,
  now: number,
): FollowUpSheetPlan {
  const tz = settings.timeZone;
  const at = (ms: number) => `${localDate(ms, tz)} ${localTime(ms, tz)}`;
  const byId = new Map(sheet.map((r) => [String(r['Incident ID'] ?? '').trim(), r]));
  const plan: FollowUpSheetPlan = { clear: [], rows: new Map() };
  const row = (
    f: FollowUp,
    status: string,
    by: string,
    when: string,
    check: string,
  ): (string | number)[] => [
    safeCell(f.incidentId),
    safeCell(f.personName),
    localDate(f.at, tz),
    safeCell(f.lessonId),
    safeCell(f.courseId),
    safeCell(f.by),
    status,
    safeCell(by),
    when,
    check,
  ];
  for (const f of open) {
    const had = byId.get(f.incidentId);
    const status = String(had?.Status ?? '')
      .trim()
      .toLowerCase();
    const by = String(had?.['Cleared By'] ?? '')
      .trim()
      .toLowerCase();
    if (status === FOLLOW_UP_CLEARED && mayClear(settings, by)) {
      plan.clear.push({ incidentId: f.incidentId, by });
      plan.rows.set(f.incidentId, row(f, FOLLOW_UP_CLEARED, by, at(now), 'Cleared in this sheet.'));
    } else if (status === FOLLOW_UP_CLEARED)
      plan.rows.set(
        f.incidentId,
        row(
          f,
          FOLLOW_UP_OPEN,
          by,
          '',
          'Not cleared: put the school email of the SLT member or DSL who followed up in Cleared By, then set Status to "cleared" again.',
        ),
      );
    else if (!had) plan.rows.set(f.incidentId, row(f, FOLLOW_UP_OPEN, '', '', ''));
  }
  // A mark closed with its incident (the Incidents sheet's Status) leaves the open list too.
  const known = new Set([...open, ...cleared].map((f) => f.incidentId));
  for (const [id, r] of byId) {
    if (id === '' || known.has(id)) continue;
    if (
      String(r.Status ?? '')
        .trim()
        .toLowerCase() !== FOLLOW_UP_OPEN
    )
      continue;
    const cells = FOLLOW_UP_COLUMNS.map((c) => String(r[c] ?? ''));
    cells[FOLLOW_UP_COLUMNS.indexOf('Status')] = 'closed';
    cells[FOLLOW_UP_COLUMNS.indexOf('Check')] = 'Closed with its incident in the Incidents sheet.';
    plan.rows.set(
      id,
      cells.map((c) => safeCell(c)),
    );
  }
  for (const c of cleared)
    plan.rows.set(
      c.incidentId,
      row(
        c,
        FOLLOW_UP_CLEARED,
        c.clearedBy,
        at(c.clearedAt),
        c.how === 'sidebar' ? 'Cleared from the sidebar.' : 'Cleared in this sheet.',
      ),
    );
  return plan;
}
