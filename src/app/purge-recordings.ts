// R17: recordings are kept up to the school's retention period (counted from the lesson) and then
// deleted, with an audit of what went, when, why and by which run. Drive is asked only for what
// is due (the folder, the date and our marker, matched server-side; a file Meet made late, by
// its id), the answer is checked against the registry
// and every hold, and deletions go 100 to a request. A checkpoint in script properties is
// written before each request and cleared once its answer is audited, so a run cut off at
// 6 minutes is picked up by the next one without deleting twice or skipping. Nothing that is
// not a registered recording in the safeguarding folder is ever touched.

import { isFailure } from '../core/errors';
import type { RemoveResult } from '../core/ports';
import { type AuditEntry, purgeDueText } from '../core/recording';
import {
  chunks,
  lateDue,
  planPurge,
  purgeCutoff,
  purgeDueAt,
  type RegisteredRecording,
} from '../core/retention';
import { localDate, localTime } from '../core/time';
import {
  applyHoldsSafely,
  RECORDINGS_BUDGET_MS,
  type RecordingsDeps,
  withRecordingsRun,
} from './recordings-run';

/** doc: https://developers.google.com/workspace/drive/api/guides/performance#batch-requests (100 a batch). */
export const PURGE_BATCH = 100;
/** A file that failed (429, 500) is tried this many times in a run; after that, next run. */
const ATTEMPTS = 3;
const LOCK_WAIT_MS = 10_000;

export interface PurgeReport {
  skipped: boolean;
  due: number;
  purged: number;
  alreadyGone: number;
  held: number;
  unregistered: number;
  refused: number;
  retryLater: number;
  /** Deletions from an earlier, interrupted run confirmed and audited by this one. */
  resumed: number;
  stoppedEarly: boolean;
  holdsApplied: number;
}

export function purgeRecordings(
  rd: RecordingsDeps,
  options: { budgetMs?: number } = {},
): PurgeReport {
  const { deps } = rd;
  const started = deps.clock.now();
  const budget = options.budgetMs ?? RECORDINGS_BUDGET_MS;
  const report: PurgeReport = {
    skipped: false,
    due: 0,
    purged: 0,
    alreadyGone: 0,
    held: 0,
    unregistered: 0,
    refused: 0,
    retryLater: 0,
    resumed: 0,
    stoppedEarly: false,
    holdsApplied: 0,
  };
  const outOfTime = () => deps.clock.now() - started > budget;
  const ran = withRecordingsRun(rd, () => {
    try {
      run(rd, report, outOfTime);
    } catch (error) {
      if (!isFailure(error)) throw error;
      // Drive or Sheets unavailable: the checkpoint keeps what is in flight for the next run.
      report.retryLater += 1;
      deps.log.warn(`purge will retry next run: ${error.kind}`);
    }
  });
  return ran ? report : { ...report, skipped: true };
}

function run(rd: RecordingsDeps, report: PurgeReport, outOfTime: () => boolean): void {
  const { deps } = rd;
  const mode = deps.settings.purgeMode;
  report.holdsApplied = applyHoldsSafely(rd);
  showRetention(rd);
  const registry = new Map(rd.sheet.registry().map((r) => [r.fileId, r]));
  const save = (inflight: string[], gone: string[]) =>
    deps.mutex.run(() => rd.state.saveCheckpoint({ inflight, gone }), LOCK_WAIT_MS);

  // 1. What an interrupted run left: requests sent whose answer was never recorded.
  const checkpoint = rd.state.checkpoint();
  if (checkpoint.inflight.length > 0) {
    const present = rd.vault.present(checkpoint.inflight);
    const gone = checkpoint.inflight.filter((id) => present.get(id) === false);
    const unknown = checkpoint.inflight.filter((id) => present.get(id) === null);
    save(unknown, [...new Set([...checkpoint.gone, ...gone])]);
    if (unknown.length > 0) {
      report.retryLater += unknown.length;
      return;
    }
    checkpoint.gone = [...new Set([...checkpoint.gone, ...gone])];
  }
  if (checkpoint.gone.length > 0) {
    const already = rd.sheet.audited(mode === 'trash' ? 'trashed' : 'deleted');
    const todo = checkpoint.gone.filter((id) => !already.has(id));
    settle(
      rd,
      registry,
      todo.map((id) => [id, 'removed'] as const),
      'confirmed after an interrupted run',
    );
    rd.sheet.markPurged(checkpoint.gone, purgedText(rd, mode));
    save([], []);
    report.resumed += checkpoint.gone.length;
  }

  // 2. What is due: Drive's answer, checked against the registry and every hold.
  const now = deps.clock.now();
  const cutoff = purgeCutoff(now, deps.settings.retentionDays);
  const holds = new Set(rd.state.holds().keys());
  const candidates = rd.vault.due(cutoff, lateDue([...registry.values()], cutoff, holds));
  const plan = planPurge(candidates, [...registry.values()], cutoff, holds);
  report.due = plan.purge.length;
  report.held = plan.held.length;
  report.unregistered = plan.unregistered.length;
  if (plan.unregistered.length > 0) {
    const seen = rd.sheet.audited('unregistered-file');
    rd.sheet.audit(
      plan.unregistered
        .filter((c) => !seen.has(c.fileId))
        .map((c) => ({
          at: now,
          action: 'unregistered-file' as const,
          lessonId: '',
          fileId: c.fileId,
          fileName: '',
          why: 'Marked as a recording but not in the Recordings sheet: left untouched; check it.',
          by: rd.actor,
          run: deps.executionId,
        })),
    );
  }

  // 3. Delete, 100 to a request, checkpointed.
  let queue = plan.purge.map((r) => r.fileId);
  for (let attempt = 0; attempt < ATTEMPTS && queue.length > 0; attempt++) {
    const again: string[] = [];
    for (const batch of chunks(queue, PURGE_BATCH)) {
      if (outOfTime()) {
        report.stoppedEarly = true;
        return;
      }
      save(batch, []);
      let results: Map<string, RemoveResult>;
      try {
        results = rd.vault.remove(batch, mode);
      } catch (error) {
        if (!isFailure(error)) throw error;
        // No answer: find out what happened before anything is sent again.
        const present = rd.vault.present(batch);
        if (batch.some((id) => present.get(id) === null)) {
          report.retryLater += batch.length;
          return;
        }
        results = new Map(
          batch.map((id) => [id, present.get(id) ? ('retry' as const) : ('removed' as const)]),
        );
      }
      const gone = batch.filter((id) => {
        const r = results.get(id);
        return r === 'removed' || r === 'already-gone';
      });
      save([], gone);
      settle(
        rd,
        registry,
        gone.map((id) => [id, results.get(id)!] as const),
        null,
      );
      rd.sheet.markPurged(gone, purgedText(rd, mode));
      save([], []);
      for (const id of batch) {
        const r = results.get(id);
        if (r === 'removed') report.purged += 1;
        else if (r === 'already-gone') report.alreadyGone += 1;
        else if (r === 'refused') report.refused += 1;
        else again.push(id);
      }
    }
    queue = again;
  }
  report.retryLater += queue.length;
}

function purgedText(rd: RecordingsDeps, mode: 'delete' | 'trash'): string {
  const now = rd.deps.clock.now();
  const tz = rd.deps.settings.timeZone;
  return `${localDate(now, tz)} ${localTime(now, tz)} ${mode === 'trash' ? 'trashed' : 'deleted'}`;
}

/** One audit row per file gone: what, when, why, by which run. */
function settle(
  rd: RecordingsDeps,
  registry: Map<string, RegisteredRecording>,
  gone: readonly (readonly [string, RemoveResult])[],
  note: string | null,
): void {
  const { deps } = rd;
  const tz = deps.settings.timeZone;
  const days = deps.settings.retentionDays;
  const mode = deps.settings.purgeMode;
  const entries: AuditEntry[] = gone.map(([fileId, result]) => {
    const r = registry.get(fileId);
    const recorded = r
      ? `recorded ${localDate(r.createdAt, tz)} ${localTime(r.createdAt, tz)}`
      : '';
    const due = r ? purgeDueAt(r.retainFrom, days) : null;
    const why =
      result === 'already-gone'
        ? `Past retention (${days} days, ${recorded}); already gone from Drive when the purge came.`
        : `Past retention (${days} days): ${recorded}, due ${due ? `${localDate(due, tz)} ${localTime(due, tz)}` : ''}${note ? `; ${note}` : ''}.`;
    return {
      at: deps.clock.now(),
      action: mode === 'trash' ? 'trashed' : 'deleted',
      lessonId: r?.lessonId ?? '',
      fileId,
      fileName: r?.fileName ?? '',
      why,
      by: rd.actor,
      run: deps.executionId,
    };
  });
  rd.sheet.audit(entries);
}

/**
 * R17, R18: the log's Purge Due says what the purge will do. When SLT change `retentionDays`,
 * every recording not yet purged is shown its new date, in the Recordings sheet and on its
 * lesson's Sessions row (a few Sheets calls, once per change or when the retention they were
 * written for is not known; none otherwise). Collection and
 * the purge both run it first, so no row is written for one retention and left for another.
 */
export function showRetention(rd: RecordingsDeps, unknown: 'rewrite' | 'leave' = 'rewrite'): void {
  const { deps } = rd;
  const days = deps.settings.retentionDays;
  const shown = rd.state.shownRetention();
  if (shown === days) return;
  // Unknown (a log set up before this was kept, or the note lost): the dates may have been
  // written for another retention (the older version did not rewrite them when SLT changed it),
  // so they are rewritten too, by the purge, which reads the Recordings sheet anyway (collection
  // leaves it: a new school's first runs read nothing more).
  if (shown === null && unknown === 'leave') return;
  try {
    const tz = deps.settings.timeZone;
    const live = rd.sheet.registry().filter((r) => !r.purgedAt);
    const text = (from: number) => purgeDueText(purgeDueAt(from, days), tz);
    const byFile = new Map(live.map((r) => [r.fileId, text(r.retainFrom)] as const));
    const first = new Map<string, number>();
    for (const r of live)
      first.set(r.lessonId, Math.min(first.get(r.lessonId) ?? r.retainFrom, r.retainFrom));
    const byLesson = new Map([...first].map(([id, from]) => [id, text(from)] as const));
    rd.sheet.showPurgeDue(byFile, byLesson);
  } catch (error) {
    if (!isFailure(error)) throw error;
    deps.log.warn(`purge dates not yet rewritten for ${days} days: ${error.kind}`);
    return;
  }
  deps.mutex.run(() => rd.state.setShownRetention(days), LOCK_WAIT_MS);
}
