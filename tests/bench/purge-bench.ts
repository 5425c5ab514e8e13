// The purge of a safeguarding folder holding 10,000 registered recordings of which 1,000 are
// past retention, through the built bundle's purgeRecordings trigger, beside the approach most
// public scripts use on the same folder: iterate it with DriveApp, check each file's date and
// setTrashed one by one. Counted on the simulated Workspace: Drive calls, and simulated
// Apps Script time from the latency table (tests/sim/kernel/latency.ts).

import { PURGE_BATCH } from '../../src/app/purge-recordings';
import { type NewRecording, RECORDINGS_COLUMNS, recordingRow } from '../../src/core/recording';
import { purgeDueAt } from '../../src/core/retention';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/core/time';
import { DeployedSchool } from '../e2e/deployed-school';
import { EXECUTION_LIMIT_MS } from '../sim/kernel/execution';

const RETENTION_DAYS = 30;

export interface SeededFolder {
  folderId: string;
  /** Registered recordings past retention. */
  due: string[];
  /** Registered recordings within retention. */
  kept: string[];
}

export function schoolConfig(school: DeployedSchool): {
  recordingsFolderId: string;
  sharedDriveId: string;
} {
  return JSON.parse(school.ws.properties.scriptStore().config!);
}

/**
 * Puts `count` recordings into the school's safeguarding folder as the collector would have
 * left them (marked, and registered in the Recordings sheet), every `count / dueCount`-th one
 * past retention. Built through the world and one setup execution: not part of any measure.
 */
export function seedRegisteredRecordings(
  school: DeployedSchool,
  count: number,
  dueCount: number,
): SeededFolder {
  const { ws } = school;
  const folderId = schoolConfig(school).recordingsFolderId;
  const now = ws.now();
  const every = Math.max(1, Math.floor(count / dueCount));
  const records: NewRecording[] = [];
  const due: string[] = [];
  const kept: string[] = [];
  const ids = ws.drive.addFilesToFolder(folderId, count, (i) => {
    const isDue = i % every === 0 && i / every < dueCount;
    const createdAt = isDue
      ? now - (RETENTION_DAYS + 1) * DAY_MS - i * MINUTE_MS
      : now - ((i % (RETENTION_DAYS - 1)) * DAY_MS + HOUR_MS);
    const lessonId = `L-seed-${i}`;
    return {
      name: `Seeded lesson ${i}`,
      mimeType: 'video/mp4',
      createdTime: createdAt,
      appProperties: { sllRecording: '1', sllLesson: lessonId },
    };
  });
  ids.forEach((fileId) => {
    const file = ws.drive.file(fileId)!;
    const createdAt = Date.parse(file.createdTime);
    const lessonId = file.appProperties.sllLesson!;
    records.push({
      lessonId,
      fileId,
      fileName: file.name,
      courseName: 'Seeded course',
      lessonStart: createdAt - 40 * MINUTE_MS,
      teacher: school.school.teachers[0]!.email,
      createdAt,
      movedAt: createdAt + 20 * MINUTE_MS,
      purgeDue: purgeDueAt(createdAt, RETENTION_DAYS),
      hold: null,
    });
    (createdAt < now - RETENTION_DAYS * DAY_MS ? due : kept).push(fileId);
  });
  const rows = records.map((r) => recordingRow(r, 'Europe/London'));
  const globals = ws.globals() as { SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp };
  const result = ws.kernel.runExecution(
    { user: school.school.automation.email, kind: 'editor', functionName: 'seed' },
    () => {
      const sheet = globals.SpreadsheetApp.openById(school.logId).getSheetByName('Recordings')!;
      const max = sheet.getMaxRows();
      if (max < rows.length + 1) sheet.insertRowsAfter(max, rows.length + 1 - max);
      sheet.getRange(2, 1, rows.length, RECORDINGS_COLUMNS.length).setValues(rows);
    },
  );
  if (!result.ok) throw result.error;
  return { folderId, due, kept };
}

export interface PurgeMeasure {
  folderFiles: number;
  dueFiles: number;
  driveCalls: number;
  driveOperations: number;
  simulatedSeconds: number;
  fits: boolean;
  runs: number;
  deleted: number;
  naiveDriveCalls: number;
  naiveSimulatedSeconds: number;
  naiveFits: boolean;
  naiveKilledAfterFiles: number | null;
  naiveRemoved: number;
}

const START = Date.UTC(2026, 11, 23, 2, 0);

function freshSchool() {
  return new DeployedSchool({ teachers: 1, pupilsPerCourse: 1, start: START });
}

/** The product: the shipped bundle's purgeRecordings, run as its hourly trigger runs it. */
function measureProduct(folderFiles: number, dueFiles: number) {
  const school = freshSchool();
  const seeded = seedRegisteredRecordings(school, folderFiles, dueFiles);
  const result = school.tryRun('purgeRecordings', {}, school.school.automation.email, 'trigger');
  if (!result.ok) throw new Error(`purge failed: ${String(result.error)}`);
  const elapsed = school.ws.now() - result.execution.startedAt;
  const snapshot = result.execution.calls.snapshot();
  let requests = 0;
  let operations = 0;
  for (const [key, n] of Object.entries(snapshot)) {
    if (!key.startsWith('drive.')) continue;
    if (key.startsWith('drive.batch.part.')) operations += n;
    else {
      requests += n;
      if (key !== 'drive.batch') operations += n;
    }
  }
  const left = seeded.due.filter((id) => school.ws.drive.file(id)).length;
  const keptGone = seeded.kept.filter((id) => !school.ws.drive.file(id)).length;
  if (left > 0 || keptGone > 0)
    throw new Error(`purge left ${left} due files and removed ${keptGone} kept ones`);
  return {
    driveCalls: requests,
    driveOperations: operations,
    simulatedSeconds: elapsed / 1000,
    fits: elapsed <= EXECUTION_LIMIT_MS.trigger && !result.killed,
    deleted: seeded.due.length,
  };
}

/**
 * The naive purge as public scripts write it. It cannot resume, so to measure its full cost it
 * is carried on in further executions after the first is killed; `naiveKilledAfterFiles` says
 * how far one execution got.
 */
function measureNaive(folderFiles: number, dueFiles: number) {
  const school = freshSchool();
  const { ws } = school;
  const seeded = seedRegisteredRecordings(school, folderFiles, dueFiles);
  const cutoff = new Date(ws.now() - RETENTION_DAYS * DAY_MS);
  const DriveApp = ws.drive.driveAppGlobal();
  let files: ReturnType<ReturnType<typeof DriveApp.getFolderById>['getFiles']> | undefined;
  let seen = 0;
  let killedAfter: number | null = null;
  let elapsed = 0;
  let calls = 0;
  let executions = 0;
  while (executions === 0 || files?.hasNext()) {
    executions += 1;
    const result = ws.kernel.runExecution(
      { user: school.school.automation.email, kind: 'trigger', functionName: 'naivePurge' },
      () => {
        if (!files) files = DriveApp.getFolderById(seeded.folderId).getFiles();
        while (files.hasNext()) {
          const file = files.next();
          seen += 1;
          if (file.getDateCreated() < cutoff) file.setTrashed(true);
        }
      },
    );
    elapsed += ws.now() - result.execution.startedAt;
    calls += naiveRequests(result.execution.calls.snapshot());
    if (result.killed && killedAfter === null) killedAfter = seen;
    if (!result.ok && !result.killed) throw result.error;
  }
  const naiveRemoved = seeded.due.filter((id) => ws.drive.file(id)?.trashed).length;
  return {
    naiveRemoved,
    naiveDriveCalls: calls,
    naiveSimulatedSeconds: elapsed / 1000,
    naiveFits: killedAfter === null,
    naiveKilledAfterFiles: killedAfter,
  };
}

/**
 * The HTTP requests DriveApp makes for what the naive loop called: a file's date or trashed state
 * is read from the page the iterator already fetched (no request of its own), and the iterator
 * fetches its files a page at a time. assumption: a page of 100 files (Drive v2's default
 * maxResults, which DriveApp's iterator is built on; Google does not document DriveApp's size).
 */
export const DRIVEAPP_PAGE = 100;
function naiveRequests(calls: Record<string, number>): number {
  let requests = 0;
  for (const [key, n] of Object.entries(calls)) {
    if (!key.startsWith('driveapp.')) continue;
    if (key === 'driveapp.files.next') requests += Math.ceil(n / DRIVEAPP_PAGE);
    else if (/^driveapp\.file\.(getDateCreated|getLastUpdated|isTrashed|getName|getId)$/.test(key))
      continue;
    else requests += n;
  }
  return requests;
}

export function purgeBench(folderFiles = 10_000, dueFiles = 1_000): PurgeMeasure {
  const product = measureProduct(folderFiles, dueFiles);
  const naive = measureNaive(folderFiles, dueFiles);
  return {
    folderFiles,
    dueFiles: product.deleted,
    driveCalls: product.driveCalls,
    driveOperations: product.driveOperations,
    simulatedSeconds: Math.round(product.simulatedSeconds * 10) / 10,
    fits: product.fits,
    runs: 1,
    deleted: product.deleted,
    ...naive,
    naiveSimulatedSeconds: Math.round(naive.naiveSimulatedSeconds * 10) / 10,
  };
}

/** Batches a purge of `due` files needs (for the table). */
export function batchesFor(due: number): number {
  return Math.ceil(due / PURGE_BATCH);
}
