// R23: SLT clear a removed pupil's mark once they have followed up with the parents, from the
// log's Follow-ups sheet (read by the hourly housekeeping) or from the sidebar; either way the
// clearing is kept with who and when and written to the sheet. Only SLT and the DSL may clear.
// The sidebar also shows each class's lesson cards the marked pupils on its roster.

import { mustRethrow } from '../core/errors';
import { followUpsFor, mayClear, planFollowUpSheet } from '../core/follow-ups';
import type { FollowUp } from '../core/incident';
import type { FollowUpSheet } from '../core/ports';
import type { Deps } from './deps';

export interface FollowUpSync {
  /** Marks SLT cleared in the sheet this time. */
  cleared: number;
  /** Rows written. */
  written: number;
}

/** Hourly: SLT's clearings in the sheet are applied; open and cleared marks are written to it. */
export function syncFollowUps(deps: Deps, sheet: FollowUpSheet): FollowUpSync {
  const now = deps.clock.now();
  const open = deps.followUps.open();
  const pending = deps.followUps.cleared();
  const rows = sheet.read();
  if (open.length === 0 && pending.length === 0 && rows.length === 0)
    return { cleared: 0, written: 0 };
  const plan = planFollowUpSheet(rows, open, pending, deps.settings, now);
  let cleared = 0;
  if (plan.clear.length > 0) {
    const done = deps.mutex.run(() => {
      let n = 0;
      for (const c of plan.clear)
        if (deps.followUps.clear(c.incidentId, c.by, now, 'sheet')) n += 1;
      return n;
    }, 10_000);
    // The lock was busy: nothing cleared, the rows are not written; the next hour does both.
    if (!done.ok) return { cleared: 0, written: 0 };
    cleared = done.value;
  }
  sheet.write(plan.rows);
  deps.followUps.clearedLogged([
    ...pending.map((c) => c.incidentId),
    ...plan.clear.map((c) => c.incidentId),
  ]);
  deps.log.info(`follow-ups: ${cleared} cleared in the sheet, ${plan.rows.size} row(s) written`);
  return { cleared, written: plan.rows.size };
}

export type ClearResult = { ok: true; message: string } | { ok: false; message: string };

/** From the sidebar: a member of SLT or the DSL (the signed-in user) clears a mark. */
export function clearFollowUp(deps: Deps, who: string, incidentId: string): ClearResult {
  if (!mayClear(deps.settings, who))
    return { ok: false, message: 'Only SLT or the DSL can clear a follow-up.' };
  const mark = deps.followUps.open().find((f) => f.incidentId === incidentId);
  if (!mark) return { ok: false, message: 'That follow-up is already cleared.' };
  const done = deps.mutex.run(
    () => deps.followUps.clear(incidentId, who, deps.clock.now(), 'sidebar'),
    10_000,
  );
  if (!done.ok)
    return { ok: false, message: 'The system is busy right now. Please try again in a moment.' };
  deps.log.info(`follow-up ${incidentId} cleared from the sidebar`);
  return {
    ok: true,
    message: `Cleared: ${mark.personName} can join live lessons again. The Follow-ups sheet records who and when within the hour.`,
  };
}

/**
 * The marks a lesson's card lists before pupils join (R23): removed in this class, or on its
 * roster (read only when some mark is from another class; a roster that cannot be read leaves
 * the class's own marks).
 */
export function followUpsForCourse(
  deps: Deps,
  viewer: string,
  courseId: string,
  open: readonly FollowUp[],
): FollowUp[] {
  if (open.length === 0) return [];
  if (open.every((f) => f.courseId === courseId)) return [...open];
  let pupils: { userId: string; email: string | null }[] | null = null;
  try {
    pupils = deps.classes.pupils(viewer, courseId);
  } catch (error) {
    if (mustRethrow(error)) throw error;
    deps.log.warn('a class roster could not be read for its follow-ups');
  }
  return followUpsFor(open, courseId, pupils);
}
