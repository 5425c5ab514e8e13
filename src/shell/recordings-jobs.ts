// The recordings jobs (R16, R17) as Apps Script runs them: collection every 10 minutes and the
// purge every hour, as the automation account; the DSL's hold and release; and the part of
// setup that makes (or adopts) the safeguarding shared drive and checks who can open it.

import type { SchoolConfig } from '../adapters/config';
import { DriveBatch } from '../adapters/drive-batch';
import { LogPlaces } from '../adapters/log-book';
import { MeetRecordingFinder } from '../adapters/meet-recordings';
import { PropertyRecordingsState } from '../adapters/recording-state';
import { SheetRecordingsLog } from '../adapters/recordings-sheet';
import { DriveRecordingsVault, type DropFolderCache } from '../adapters/recordings-vault';
import { RestClient } from '../adapters/rest-client';
import { prepareSafeguardingDrive, sharingDrift } from '../adapters/safeguarding-drive';
import { type CollectReport, collectRecordings } from '../app/collect-recordings';
import { mayHold, mayRelease, placeHold, releaseHold } from '../app/holds';
import { type PurgeReport, purgeRecordings } from '../app/purge-recordings';
import { NO_VAULT_SEEN } from '../app/recordings-notices';
import type { RecordingsDeps } from '../app/recordings-run';
import { isFailure } from '../core/errors';
import { recordingHealth } from '../core/recording';
import type { SchoolSettings } from '../core/settings';
import type { Composed } from './composition';

export const RECORDING_TRIGGERS = {
  collect: 'collectRecordings',
  purge: 'purgeRecordings',
} as const;

/** Collection: Meet usually makes the file within minutes of the call ending. */
export const COLLECT_EVERY_MINUTES = 10;
/** The purge: hourly, so a run cut off is resumed within the hour (daily would also meet R17). */
export const PURGE_EVERY_HOURS = 1;

const DROP = 'recdrop:';

/** The recordings jobs' dependencies, or why they cannot run in this execution. */
export function composeRecordings(app: Composed): RecordingsDeps | string {
  const { config } = app;
  if (!app.isAutomation) return 'not the automation account';
  if (!config.logSpreadsheetId) return 'no log spreadsheet: run setup';
  if (!config.sharedDriveId || !config.recordingsFolderId || !config.incomingFolderId)
    return 'no safeguarding folder: run setup';
  const s = app.services;
  const props = s.PropertiesService.getScriptProperties();
  const drops: DropFolderCache = {
    get: (teacher) => props.getProperty(DROP + teacher),
    set: (teacher, id) => props.setProperty(DROP + teacher, id),
    forget: (teacher) => props.deleteProperty(DROP + teacher),
  };
  const credentials = app.credentials;
  // The run's time budget (set by withRecordingsRun): no request starts after it.
  const budget = app.deps.budget;
  const now = () => app.deps.clock.now();
  const rest = (service: string) => new RestClient(s.UrlFetchApp, service, budget, now);
  return {
    deps: app.deps,
    finder: new MeetRecordingFinder(rest('meet'), app.credentials),
    vault: new DriveRecordingsVault(
      rest('drive'),
      new DriveBatch(
        s.UrlFetchApp,
        () => credentials.token(credentials.self()),
        s.Utilities,
        budget,
        now,
      ),
      credentials,
      {
        sharedDriveId: config.sharedDriveId,
        recordingsFolderId: config.recordingsFolderId,
        incomingFolderId: config.incomingFolderId,
      },
      drops,
    ),
    sheet: new SheetRecordingsLog(
      s.SpreadsheetApp,
      config.logSpreadsheetId,
      app.deps.settings.timeZone,
      new LogPlaces(props, config.logGeneration),
      { budget, now },
    ),
    state: new PropertyRecordingsState(props),
    actor: app.me,
  };
}

export function collectRecordingsJob(
  app: Composed,
): CollectReport | { skipped: true; why: string } {
  const rd = composeRecordings(app);
  if (typeof rd === 'string') {
    app.deps.log.warn(`collectRecordings: nothing done (${rd})`);
    return { skipped: true, why: rd };
  }
  return collectRecordings(rd);
}

export function purgeRecordingsJob(app: Composed): PurgeReport | { skipped: true; why: string } {
  const rd = composeRecordings(app);
  if (typeof rd === 'string') {
    app.deps.log.warn(`purgeRecordings: nothing done (${rd})`);
    return { skipped: true, why: rd };
  }
  return purgeRecordings(rd);
}

/** `holdRecording('L-20261123-k3x9ab')` or `holdRecording({lessonId, reason})`, run by the DSL or SLT. */
export function holdRecordingAction(app: Composed, arg: unknown): string {
  const { lessonId, reason } = holdArgs(arg);
  if (!app.isAutomation && !mayHold(app.deps, app.me))
    return 'Only the DSL or SLT can put recordings on hold.';
  const state = new PropertyRecordingsState(app.services.PropertiesService.getScriptProperties());
  return placeHold(app.deps, state, lessonId, app.me, reason).message;
}

/** `releaseRecording('L-...')`: only the DSL releases a hold (R17). */
export function releaseRecordingAction(app: Composed, arg: unknown): string {
  const { lessonId, reason } = holdArgs(arg);
  if (!mayRelease(app.deps, app.me)) return 'Only the DSL can release a hold.';
  const state = new PropertyRecordingsState(app.services.PropertiesService.getScriptProperties());
  return releaseHold(app.deps, state, lessonId, app.me, reason).message;
}

function holdArgs(arg: unknown): { lessonId: string; reason: string } {
  if (typeof arg === 'string') return { lessonId: arg, reason: '' };
  const o = (arg ?? {}) as { lessonId?: unknown; reason?: unknown };
  return { lessonId: String(o.lessonId ?? ''), reason: String(o.reason ?? '') };
}

/**
 * Setup's part (as the automation account): the shared drive and its folders, SLT and the DSL
 * as readers, ids into the config, and the sharing check. Drift is a flag: setup reports it.
 */
export function setupRecordings(
  app: Composed,
  config: SchoolConfig,
  settings: SchoolSettings,
): { ok: boolean; lines: string[] } {
  const s = app.services;
  const rest = new RestClient(s.UrlFetchApp, 'drive');
  const approved = [...new Set([...settings.sltEmails, ...settings.dslEmails])];
  try {
    const token = s.ScriptApp.getOAuthToken();
    const { places, created } = prepareSafeguardingDrive(
      rest,
      token,
      {
        sharedDriveId: config.sharedDriveId ?? undefined,
        recordingsFolderId: config.recordingsFolderId ?? undefined,
        incomingFolderId: config.incomingFolderId ?? undefined,
      },
      approved,
      s.Utilities.getUuid(),
    );
    config.sharedDriveId = places.sharedDriveId;
    config.recordingsFolderId = places.recordingsFolderId;
    config.incomingFolderId = places.incomingFolderId;
    // A drive made again: collection, paused while it was missing, resumes at the next run.
    new PropertyRecordingsState(s.PropertiesService.getScriptProperties()).setLastAlert(
      NO_VAULT_SEEN,
      0,
    );
    const lines = [
      created.length > 0
        ? `Recordings: made the ${created.join(', ')} on the safeguarding shared drive.`
        : 'Recordings: adopted the existing safeguarding shared drive.',
    ];
    const drift = sharingDrift(rest, token, places.recordingsFolderId, [app.me, ...approved]);
    if (drift.length > 0) {
      lines.push(
        `FLAG Recordings folder sharing: ${drift.join('; ')}. Only SLT and the DSL may open recordings: remove these.`,
      );
      lines.push(canRecord(app, settings).line);
      return { ok: false, lines };
    }
    lines.push(
      `Recordings folder: only SLT/DSL (${approved.length}) and the automation can open it.`,
    );
    const health = canRecord(app, settings);
    lines.push(health.line);
    return { ok: health.ok, lines };
  } catch (error) {
    if (!isFailure(error)) throw error;
    return {
      ok: false,
      lines: [
        `Recordings: the safeguarding shared drive could not be prepared (${error.message}). The automation account must be allowed to create shared drives; run setup again.`,
      ],
    };
  }
}

/** R16, R25: can this school's Meet record? Told from the school's own lessons (see recordingHealth). */
function canRecord(app: Composed, settings: SchoolSettings): { ok: boolean; line: string } {
  const state = new PropertyRecordingsState(app.services.PropertiesService.getScriptProperties());
  return recordingHealth(state.tally(), settings.timeZone);
}
