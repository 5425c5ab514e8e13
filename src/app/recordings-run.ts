// The recordings run that collection (R16) and the purge (R17) share: one lease, so never two
// at once, and a time budget that stops new Google requests well before Apps Script's 6-minute
// kill; and the DSL's queued holds and releases, which each run applies first.

import { isFailure } from '../core/errors';
import type {
  RecordingFinder,
  RecordingsLog,
  RecordingsState,
  RecordingsVault,
} from '../core/ports';
import type { Deps } from './deps';
import { applyHoldEvents } from './holds';
import { HARD_STOP_MS } from './monitor';

export interface RecordingsDeps {
  deps: Deps;
  finder: RecordingFinder;
  vault: RecordingsVault;
  sheet: RecordingsLog;
  state: RecordingsState;
  /** Who the run acts as (the automation account), for the audit; the admin's mailbox. */
  actor: string;
}

/** Collection and purge share one run lease: never two at once, so never a block overwritten. */
export const RECORDINGS_RUN = 'recordings';
/** Stop starting new work after this long: Apps Script kills an execution at 6 minutes. */
export const RECORDINGS_BUDGET_MS = 4.5 * 60_000;
const RUN_LEASE_MS = 5.5 * 60_000;
export const LOCK_WAIT_MS = 10_000;

/** Runs `work` holding the recordings run lease; false when another run holds it. */
export function withRecordingsRun(rd: RecordingsDeps, work: () => void): boolean {
  const { deps } = rd;
  const now = deps.clock.now();
  const claimed = deps.mutex.run(
    () => deps.store.claimRun(RECORDINGS_RUN, deps.executionId, now + RUN_LEASE_MS, now),
    LOCK_WAIT_MS,
  );
  if (!claimed.ok || !claimed.value) return false;
  // As the monitor: no Google request starts after 4:45 (one may wait a minute for an answer
  // that never comes, and Apps Script kills the execution at 6 minutes). What is cut off is
  // retried by the next run.
  const before = deps.budget.stopAt;
  deps.budget.stopAt = Math.min(before, now + HARD_STOP_MS);
  try {
    work();
    return true;
  } finally {
    deps.budget.stopAt = before;
    deps.mutex.run(() => deps.store.releaseRun(RECORDINGS_RUN, deps.executionId), LOCK_WAIT_MS);
  }
}

/** Applies queued holds and releases; a Sheets or Drive outage only delays them (the hold itself already counts). */
export function applyHoldsSafely(rd: RecordingsDeps): number {
  try {
    return applyHoldEvents(rd.deps, rd.state, rd.sheet, rd.vault, rd.deps.executionId);
  } catch (error) {
    if (!isFailure(error)) throw error;
    rd.deps.log.warn(`holds not yet applied to the log: ${error.kind}`);
    return 0;
  }
}
