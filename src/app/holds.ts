// R17: a recording tied to an incident, or that the DSL wants kept, is held until the DSL
// releases it. A hold takes effect the moment it is placed (script properties, which every
// purge reads first), whoever places it: the DSL from the script, or an incident report made
// by a teacher who cannot open the log or the folder (R20). The log and the files catch up
// through a queue the automation drains, like teachers' log entries.

import { isLessonId } from '../core/ids';
import type {
  Hold,
  HoldEvent,
  RecordingsLog,
  RecordingsState,
  RecordingsVault,
} from '../core/ports';
import { holdText } from '../core/recording';
import type { Deps } from './deps';

export type HoldResult = { ok: true; message: string } | { ok: false; message: string };

const LOCK_WAIT_MS = 10_000;

/** Who may place a hold: the DSL and SLT (and the product itself, for incidents). */
export function mayHold(deps: Deps, user: string): boolean {
  const u = user.toLowerCase();
  return [...deps.settings.dslEmails, ...deps.settings.sltEmails].includes(u);
}

/** Only the DSL releases (R17). */
export function mayRelease(deps: Deps, user: string): boolean {
  return deps.settings.dslEmails.includes(user.toLowerCase());
}

/**
 * A lesson id as the DSL types it (any case, spaces around), in the form the product gives it;
 * null when it is not one. A hold on a mistyped id would be confirmed while the real recording
 * is purged on time, so it is refused instead.
 */
function typedLessonId(text: string): string | null {
  const id = text.trim().toLowerCase().replace(/^l-/, 'L-');
  return isLessonId(id) ? id : null;
}

function notALessonId(text: string, what: string): string {
  const shown = text.trim().slice(0, 40);
  return `"${shown}" is not a lesson id (one looks like L-20261123-k3x9ab): nothing was ${what}. Copy the id from the Sessions or Recordings sheet.`;
}

export function placeHold(
  deps: Deps,
  state: RecordingsState,
  lessonId: string,
  by: string,
  reason: string,
): HoldResult {
  if (!lessonId.trim())
    return { ok: false, message: 'Give the lesson id of the recording to hold.' };
  const id = typedLessonId(lessonId);
  if (!id) return { ok: false, message: notALessonId(lessonId, 'put on hold') };
  const at = deps.clock.now();
  const hold: Hold = { lessonId: id, by: by.toLowerCase(), at, reason: reason.trim() };
  const done = deps.mutex.run(() => {
    if (state.holds().has(id)) return false;
    state.setHold(hold);
    state.addHoldEvent({ ...hold, action: 'hold' });
    return true;
  }, LOCK_WAIT_MS);
  if (!done.ok) return { ok: false, message: 'Busy: please try again in a moment.' };
  deps.log.info(`hold placed on ${id}`);
  return {
    ok: true,
    message: done.value
      ? `Recordings of ${id} are on hold: they will not be purged until the DSL releases them.`
      : `Recordings of ${id} were already on hold.`,
  };
}

export function releaseHold(
  deps: Deps,
  state: RecordingsState,
  lessonId: string,
  by: string,
  reason: string,
): HoldResult {
  const id = typedLessonId(lessonId);
  if (!id) return { ok: false, message: notALessonId(lessonId, 'released') };
  const at = deps.clock.now();
  const done = deps.mutex.run(() => {
    if (!state.holds().has(id)) return false;
    state.clearHold(id);
    state.addHoldEvent({
      lessonId: id,
      by: by.toLowerCase(),
      at,
      reason: reason.trim(),
      action: 'release',
    });
    return true;
  }, LOCK_WAIT_MS);
  if (!done.ok) return { ok: false, message: 'Busy: please try again in a moment.' };
  if (!done.value) return { ok: false, message: `Recordings of ${id} are not on hold.` };
  deps.log.info(`hold released on ${id}`);
  return {
    ok: true,
    message: `Recordings of ${id} are released: they are purged once past retention.`,
  };
}

/**
 * Brings the Recordings sheet, the files' hold markers and the Audit sheet up to date with the
 * holds placed and released since the last run. An event leaves the queue only once all three
 * are written, so a failure part-way is retried whole (each write sets a value: repeating it is
 * harmless).
 */
export function applyHoldEvents(
  deps: Deps,
  state: RecordingsState,
  sheet: RecordingsLog,
  vault: RecordingsVault,
  run: string,
): number {
  const events = state.holdEvents();
  if (events.length === 0) return 0;
  const current = state.holds();
  const registry = sheet.registry();
  const done: HoldEvent[] = [];
  for (const event of events) {
    const files = registry.filter((r) => r.lessonId === event.lessonId && !r.purgedAt);
    // The newest word wins: a release that a later hold overtook leaves the recordings held.
    const held = current.get(event.lessonId);
    const text = held
      ? holdText(held.by, held.at, held.reason, deps.settings.timeZone)
      : `released by ${event.by}`;
    if (files.some((f) => (f.hold ?? '') !== text)) sheet.setHold(event.lessonId, text);
    if (files.length > 0)
      vault.markHold(
        files.map((f) => f.fileId),
        Boolean(held),
      );
    sheet.audit([
      {
        at: event.at,
        action: event.action,
        lessonId: event.lessonId,
        fileId: files.map((f) => f.fileId).join(' '),
        fileName: files.map((f) => f.fileName).join(' / '),
        why: event.reason || (event.action === 'hold' ? 'held by the DSL' : 'released by the DSL'),
        by: event.by,
        run,
      },
    ]);
    done.push(event);
    for (const f of files) f.hold = text;
  }
  deps.mutex.run(() => state.holdEventsDone(done), LOCK_WAIT_MS);
  return done.length;
}
