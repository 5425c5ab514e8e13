// One monitor pass, planned from the lessons and the clock alone: which lessons need which
// kind of step now. The monitor then sends each kind of step for all its lessons together,
// the safety steps first (R10: the link comes down and the call ends whatever else is due).

import { inCallOf, nextGapLimit } from './in-call';
import type { Lesson } from './lesson';
import { type DueAction, dueActions } from './lifecycle-plan';
import type { SchoolSettings } from './settings';

/** The kinds of step, most urgent first: the order the monitor sends them in. */
export const STEP_ORDER = [
  'withdraw-link',
  'end-call',
  'alert-link-live',
  'open-room',
  'admit-cover',
  'show-room-link',
  'watch-call',
  'close',
] as const satisfies readonly DueAction[];

/** Withdrawing and ending cannot wait: they are what makes a lesson safe to leave. */
export const SAFETY_STEPS: readonly DueAction[] = ['withdraw-link', 'end-call'];

export type TickPlan = Record<DueAction, Lesson[]>;

/**
 * Every lesson's due steps, grouped by kind. `may` lets the monitor hold a step back (a watch
 * done seconds ago, a step that already failed this run).
 */
export function planTick(
  lessons: Iterable<Lesson>,
  now: number,
  settings: SchoolSettings,
  may: (lesson: Lesson, action: DueAction) => boolean = () => true,
): TickPlan {
  const plan = Object.fromEntries(STEP_ORDER.map((a) => [a, [] as Lesson[]])) as TickPlan;
  for (const lesson of lessons)
    for (const action of dueActions(lesson, now, settings))
      if (may(lesson, action)) plan[action].push(lesson);
  return plan;
}

export function isEmptyPlan(plan: TickPlan): boolean {
  return STEP_ORDER.every((a) => plan[a].length === 0);
}

/** How many lessons have anything due. */
export function lessonsDue(plan: TickPlan): number {
  return new Set(STEP_ORDER.flatMap((a) => plan[a].map((l) => l.id))).size;
}

/**
 * R21: open lessons whose pupils are without staff and whose gap goes over its next alert or end
 * limit by `until` (a limit already passed included), with when (in-call.ts `nextGapLimit`). The
 * monitor looks at them again then, in the same run, instead of at the next minute's run.
 */
export function gapLimitsBy(
  lessons: Iterable<Lesson>,
  until: number,
  settings: SchoolSettings,
): Map<string, number> {
  const out = new Map<string, number>();
  for (const lesson of lessons) {
    if (lesson.status !== 'open') continue;
    const at = nextGapLimit(inCallOf(lesson), settings);
    if (at !== null && at <= until) out.set(lesson.id, at);
  }
  return out;
}
