// Recordings on the wire: Meet's conference records and recordings (as the teacher), and the
// safeguarding folder on the school's shared drive through Drive REST v3 and its batch
// endpoint. Only an owner may move a file out of My Drive into a shared drive, so the first
// move runs as the teacher (keyless delegation) into the teacher's own drop folder on the
// shared drive, which only they and the drive's members can open; the automation (an
// organizer) then moves it into the recordings folder, which teachers cannot open (R20), and
// removes any sharing the file brought with it (R16: only approved staff).
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.recordings
// doc: https://developers.google.com/workspace/drive/api/guides/ref-single-parent (addParents/removeParents)
// doc: https://developers.google.com/workspace/drive/api/guides/manage-shareddrives
// doc: https://developers.google.com/workspace/drive/api/guides/performance#batch-requests

import { isFailure, ServiceFailure } from '../core/errors';
import type { CollectOutcome, RecordingFinder, RecordingsVault, RemoveResult } from '../core/ports';
import type { FoundRecordings, MeetRecording } from '../core/recording';
import type { DueCandidate } from '../core/retention';
import type { PurgeMode } from '../core/settings';
import type { Credentials } from './credentials';
import { failureFromException, failureFromResponse } from './google-failure';
import { query, type RestClient, type RestRequest } from './rest-client';

const MEET = 'https://meet.googleapis.com/v2';
const DRIVE = 'https://www.googleapis.com/drive/v3';
export const DRIVE_BATCH_URL = 'https://www.googleapis.com/batch/drive/v3';
/** doc: performance#batch-requests — "You're limited to 100 calls in a single batch request." */
export const DRIVE_BATCH_LIMIT = 100;
/** doc: files/list pageSize — "Acceptable values are 1 to 1000, inclusive." */
const LIST_PAGE = 1000;
const FOLDER_MIME = 'application/vnd.google-apps.folder';

/**
 * The marker a registered recording carries. appProperties are private to the Cloud project that
 * set them, so no person (and no other app) can make a stranger's file look like ours.
 * doc: https://developers.google.com/workspace/drive/api/guides/properties
 */
export const MARKER = { recording: 'sllRecording', lesson: 'sllLesson', hold: 'sllHold' } as const;

// ---------------------------------------------------------------------------------------------
// Meet: conferenceRecords (filter space.name) → recordings
// ---------------------------------------------------------------------------------------------

interface RecordPage {
  conferenceRecords?: { name: string }[];
  nextPageToken?: string;
}
interface RecordingPage {
  recordings?: { name: string; state?: string; driveDestination?: { file?: string } }[];
  nextPageToken?: string;
}

export class MeetRecordingFinder implements RecordingFinder {
  constructor(
    private readonly rest: RestClient,
    private readonly credentials: Credentials,
  ) {}

  find(requests: readonly { host: string; space: string }[]): Map<string, FoundRecordings | Error> {
    const out = new Map<string, FoundRecordings | Error>();
    const tokens = new Map<string, string>();
    const token = (host: string) => {
      let t = tokens.get(host);
      if (!t) {
        t = this.credentials.token(host);
        tokens.set(host, t);
      }
      return t;
    };
    const ready: { host: string; space: string }[] = [];
    for (const r of requests) {
      try {
        token(r.host);
        ready.push(r);
      } catch (error) {
        if (!isFailure(error)) throw error;
        out.set(r.space, error);
      }
    }
    // doc: conferenceRecords/list — filter `space.name = "spaces/{space}"`, page size at most 100.
    const pages = this.rest.jsonAll<RecordPage>(
      ready.map((r) => ({
        method: 'get',
        url: `${MEET}/conferenceRecords${query({ filter: `space.name = "${r.space}"`, pageSize: 100 })}`,
        token: token(r.host),
      })),
    );
    const records: { space: string; host: string; record: string }[] = [];
    ready.forEach((r, i) => {
      const page = pages[i]!;
      if (page instanceof ServiceFailure) {
        out.set(r.space, page);
        return;
      }
      const names = (page.conferenceRecords ?? []).map((c) => c.name);
      // A room holds a lesson's calls only: more than a page of them is not a real lesson.
      out.set(r.space, { conferences: names.length, recordings: [] });
      for (const record of names) records.push({ space: r.space, host: r.host, record });
    });
    // doc: conferenceRecords.recordings/list — page size at most 100.
    const lists = this.rest.jsonAll<RecordingPage>(
      records.map((r) => ({
        method: 'get',
        url: `${MEET}/${r.record}/recordings${query({ pageSize: 100 })}`,
        token: token(r.host),
      })),
    );
    records.forEach((r, i) => {
      const found = out.get(r.space);
      if (!found || found instanceof Error) return;
      const page = lists[i]!;
      if (page instanceof ServiceFailure) {
        out.set(r.space, page);
        return;
      }
      found.recordings.push(
        ...(page.recordings ?? []).map(
          (x): MeetRecording => ({
            name: x.name,
            state: x.state ?? 'STATE_UNSPECIFIED',
            fileId: x.driveDestination?.file ?? null,
          }),
        ),
      );
    });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// Drive: the safeguarding folder
// ---------------------------------------------------------------------------------------------

export interface VaultPlaces {
  sharedDriveId: string;
  recordingsFolderId: string;
  /** Holds one drop folder per teacher, each shared with that teacher only. */
  incomingFolderId: string;
}

/** Where each teacher's drop folder is (kept so it is made once). */
export interface DropFolderCache {
  get(teacher: string): string | null;
  set(teacher: string, folderId: string): void;
}

interface DriveFile {
  id: string;
  name?: string;
  parents?: string[];
  driveId?: string;
  createdTime?: string;
  trashed?: boolean;
  appProperties?: Record<string, string>;
}

interface DrivePermission {
  id: string;
  type: string;
  role: string;
  emailAddress?: string;
  domain?: string;
  permissionDetails?: { inherited?: boolean }[];
}

interface BatchCall {
  method: 'GET' | 'PATCH' | 'DELETE';
  /** Path and query under https://www.googleapis.com, e.g. /drive/v3/files/ID?supportsAllDrives=true */
  path: string;
  body?: unknown;
}

interface BatchAnswer {
  code: number;
  body: string;
}

const ALL_DRIVES = { supportsAllDrives: true } as const;

export class DriveRecordingsVault implements RecordingsVault {
  constructor(
    private readonly rest: RestClient,
    private readonly urlFetch: GoogleAppsScript.URL_Fetch.UrlFetchApp,
    private readonly credentials: Credentials,
    private readonly places: VaultPlaces,
    private readonly drops: DropFolderCache,
    private readonly utilities: Pick<GoogleAppsScript.Utilities.Utilities, 'getUuid'>,
  ) {}

  private me(): string {
    return this.credentials.self();
  }

  private asMe<T>(request: Omit<RestRequest, 'token'>): T {
    return this.rest.json<T>({ ...request, token: this.credentials.token(this.me()) });
  }

  collect(owner: string, fileId: string, name: string, lessonId: string): CollectOutcome {
    const fields = 'id,name,parents,driveId,createdTime,trashed,appProperties';
    // Already on our shared drive (an earlier run moved it and lost the answer)?
    const ours = this.tryGet(this.me(), fileId, fields);
    let file: DriveFile;
    if (ours && ours.driveId === this.places.sharedDriveId) {
      file = ours;
    } else {
      const theirs = this.tryGet(owner, fileId, fields);
      if (!theirs || (theirs.trashed && theirs.driveId)) return { kind: 'missing', fileId };
      if (theirs.driveId && theirs.driveId !== this.places.sharedDriveId) {
        return {
          kind: 'elsewhere',
          fileId,
          detail: 'The teacher moved it into another shared drive; move it by hand.',
        };
      }
      // As the owner: out of My Drive (a file in the owner's trash is restored, not lost) into
      // the teacher's drop folder. The shared drive now owns it.
      const drop = this.dropFolder(owner);
      this.rest.json({
        method: 'patch',
        url: `${DRIVE}/files/${fileId}${query({ ...ALL_DRIVES, addParents: drop, removeParents: (theirs.parents ?? []).join(','), fields })}`,
        token: this.credentials.token(owner),
        body: theirs.trashed ? { trashed: false } : {},
      });
      file = { ...theirs, parents: [drop], driveId: this.places.sharedDriveId };
    }
    const inFolder = (file.parents ?? []).includes(this.places.recordingsFolderId);
    const marked = file.appProperties?.[MARKER.recording] === '1';
    let final = file;
    if (!inFolder || !marked || file.name !== name) {
      final = this.asMe<DriveFile>({
        method: 'patch',
        url: `${DRIVE}/files/${fileId}${query({
          ...ALL_DRIVES,
          addParents: inFolder ? undefined : this.places.recordingsFolderId,
          removeParents: inFolder ? undefined : (file.parents ?? []).join(','),
          fields,
        })}`,
        body: { name, appProperties: { [MARKER.recording]: '1', [MARKER.lesson]: lessonId } },
      });
    }
    this.removeOwnSharing(fileId);
    return {
      kind: 'moved',
      fileId,
      name: final.name ?? name,
      createdAt: Date.parse(final.createdTime ?? file.createdTime ?? ''),
    };
  }

  /**
   * A file keeps its own sharing when it moves into a shared drive (its former owner, any link).
   * The folder's members are all that should reach it, so everything set on the file goes.
   * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/list
   */
  private removeOwnSharing(fileId: string): void {
    const list = this.asMe<{ permissions?: DrivePermission[] }>({
      method: 'get',
      url: `${DRIVE}/files/${fileId}/permissions${query({ ...ALL_DRIVES, fields: 'permissions(id,type,role,emailAddress,permissionDetails)' })}`,
    });
    const own = (list.permissions ?? []).filter(
      (p) => p.permissionDetails?.every((d) => d.inherited === false) ?? true,
    );
    const token = this.credentials.token(this.me());
    const answers = this.rest.jsonAll(
      own.map((p) => ({
        method: 'delete' as const,
        url: `${DRIVE}/files/${fileId}/permissions/${p.id}${query(ALL_DRIVES)}`,
        token,
      })),
    );
    const failed = answers.find((a) => a instanceof ServiceFailure && a.kind !== 'gone');
    if (failed) throw failed;
  }

  private tryGet(user: string, fileId: string, fields: string): DriveFile | null {
    try {
      return this.rest.json<DriveFile>({
        method: 'get',
        url: `${DRIVE}/files/${fileId}${query({ ...ALL_DRIVES, fields })}`,
        token: this.credentials.token(user),
      });
    } catch (error) {
      if (isFailure(error, 'gone')) return null;
      throw error;
    }
  }

  /** The teacher's drop folder: made once, shared with the teacher alone (as a writer). */
  private dropFolder(teacher: string): string {
    const key = teacher.toLowerCase();
    const cached = this.drops.get(key);
    if (cached) return cached;
    const found = this.asMe<{ files?: DriveFile[] }>({
      method: 'get',
      url: `${DRIVE}/files${query({
        ...ALL_DRIVES,
        includeItemsFromAllDrives: true,
        corpora: 'drive',
        driveId: this.places.sharedDriveId,
        q: `'${this.places.incomingFolderId}' in parents and name = '${key.replace(/'/g, "\\'")}' and mimeType = '${FOLDER_MIME}' and trashed = false`,
        fields: 'files(id)',
      })}`,
    });
    let id = found.files?.[0]?.id;
    if (!id) {
      id = this.asMe<DriveFile>({
        method: 'post',
        url: `${DRIVE}/files${query({ ...ALL_DRIVES, fields: 'id' })}`,
        body: { name: key, mimeType: FOLDER_MIME, parents: [this.places.incomingFolderId] },
      }).id;
    }
    // doc: permissions/create — sharing a folder in a shared drive with someone outside it.
    this.asMe({
      method: 'post',
      url: `${DRIVE}/files/${id}/permissions${query({ ...ALL_DRIVES, sendNotificationEmail: false, fields: 'id' })}`,
      body: { type: 'user', role: 'writer', emailAddress: key },
    });
    this.drops.set(key, id);
    return id;
  }

  /**
   * doc: https://developers.google.com/workspace/drive/api/guides/search-files — the folder, the
   * date and our marker are all matched by Drive, so only due recordings come back.
   * doc: https://developers.google.com/workspace/drive/api/guides/ref-search-terms
   */
  due(cutoff: number): DueCandidate[] {
    const q =
      `'${this.places.recordingsFolderId}' in parents and createdTime < '${new Date(cutoff).toISOString()}'` +
      ` and trashed = false and appProperties has { key='${MARKER.recording}' and value='1' }`;
    const out: DueCandidate[] = [];
    let pageToken: string | undefined;
    do {
      const page = this.asMe<{ files?: DriveFile[]; nextPageToken?: string }>({
        method: 'get',
        url: `${DRIVE}/files${query({
          ...ALL_DRIVES,
          includeItemsFromAllDrives: true,
          corpora: 'drive',
          driveId: this.places.sharedDriveId,
          q,
          pageSize: LIST_PAGE,
          fields: 'nextPageToken,files(id,createdTime,appProperties)',
          pageToken,
        })}`,
      });
      for (const f of page.files ?? []) {
        out.push({
          fileId: f.id,
          createdAt: Date.parse(f.createdTime ?? ''),
          heldOnFile: f.appProperties?.[MARKER.hold] === '1',
        });
      }
      pageToken = page.nextPageToken;
    } while (pageToken);
    return out;
  }

  /**
   * doc: files/delete — permanent; in a shared drive the caller must be an organizer.
   * doc: files/update `trashed: true` — Drive empties a shared drive's trash after 30 days.
   */
  remove(fileIds: readonly string[], mode: PurgeMode): Map<string, RemoveResult> {
    const calls: BatchCall[] = fileIds.map((id) =>
      mode === 'delete'
        ? { method: 'DELETE', path: `/drive/v3/files/${id}${query(ALL_DRIVES)}` }
        : {
            method: 'PATCH',
            path: `/drive/v3/files/${id}${query({ ...ALL_DRIVES, fields: 'id' })}`,
            body: { trashed: true },
          },
    );
    const answers = this.batch(calls);
    const out = new Map<string, RemoveResult>();
    fileIds.forEach((id, i) => {
      const code = answers[i]!.code;
      out.set(
        id,
        code >= 200 && code < 300
          ? 'removed'
          : code === 404
            ? 'already-gone'
            : code === 403 && !/rate|quota/i.test(answers[i]!.body)
              ? 'refused'
              : 'retry',
      );
    });
    return out;
  }

  present(fileIds: readonly string[]): Map<string, boolean | null> {
    const answers = this.batch(
      fileIds.map((id) => ({
        method: 'GET' as const,
        path: `/drive/v3/files/${id}${query({ ...ALL_DRIVES, fields: 'id,trashed' })}`,
      })),
    );
    const out = new Map<string, boolean | null>();
    fileIds.forEach((id, i) => {
      const { code, body } = answers[i]!;
      if (code === 404) out.set(id, false);
      else if (code === 200) out.set(id, !(JSON.parse(body) as DriveFile).trashed);
      else out.set(id, null);
    });
    return out;
  }

  markHold(fileIds: readonly string[], held: boolean): void {
    const answers = this.batch(
      fileIds.map((id) => ({
        method: 'PATCH' as const,
        path: `/drive/v3/files/${id}${query({ ...ALL_DRIVES, fields: 'id' })}`,
        body: { appProperties: { [MARKER.hold]: held ? '1' : null } },
      })),
    );
    const failed = answers.find((a) => a.code !== 200 && a.code !== 404);
    if (failed) throw failureFromResponse('drive', failed.code, failed.body);
  }

  /**
   * Up to 100 calls per HTTP request (multipart/mixed), answered part by part, so one failing
   * part does not fail the others. Throws (a ServiceFailure) when the request as a whole got no
   * usable answer: the caller must then find out what happened before trying again.
   */
  private batch(calls: readonly BatchCall[]): BatchAnswer[] {
    const out: BatchAnswer[] = [];
    for (let start = 0; start < calls.length; start += DRIVE_BATCH_LIMIT) {
      out.push(...this.batchOnce(calls.slice(start, start + DRIVE_BATCH_LIMIT)));
    }
    return out;
  }

  private batchOnce(calls: readonly BatchCall[]): BatchAnswer[] {
    if (calls.length === 0) return [];
    const boundary = `sll_${this.utilities.getUuid().replace(/-/g, '')}`;
    const parts = calls.map((call, i) => {
      const lines = [
        `--${boundary}`,
        'Content-Type: application/http',
        `Content-ID: <item${i}>`,
        '',
        `${call.method} ${call.path} HTTP/1.1`,
      ];
      if (call.body !== undefined)
        lines.push('Content-Type: application/json; charset=UTF-8', '', JSON.stringify(call.body));
      else lines.push('');
      return lines.join('\r\n');
    });
    const payload = `${parts.join('\r\n')}\r\n--${boundary}--\r\n`;
    let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
    try {
      response = this.urlFetch.fetch(DRIVE_BATCH_URL, {
        method: 'post',
        contentType: `multipart/mixed; boundary=${boundary}`,
        payload,
        headers: { Authorization: `Bearer ${this.credentials.token(this.me())}` },
        muteHttpExceptions: true,
      });
    } catch (error) {
      throw failureFromException('drive', error);
    }
    const code = response.getResponseCode();
    const text = response.getContentText();
    if (code < 200 || code >= 300) throw failureFromResponse('drive', code, text);
    const headers = response.getHeaders() as Record<string, string>;
    const type = Object.entries(headers).find(([k]) => k.toLowerCase() === 'content-type')?.[1];
    const answerBoundary = /boundary="?([^";]+)"?/i.exec(type ?? '')?.[1];
    if (!answerBoundary) throw new ServiceFailure('transient', 'drive', 'Unreadable batch answer');
    return parseBatchAnswer(text, answerBoundary, calls.length);
  }
}

/**
 * Reads a multipart/mixed batch answer. Parts are matched by Content-ID ("response-itemN"),
 * falling back to their order; a part that is missing counts as a 500 (try again).
 */
export function parseBatchAnswer(text: string, boundary: string, count: number): BatchAnswer[] {
  const out: (BatchAnswer | undefined)[] = new Array(count).fill(undefined);
  const chunks = text.split(`--${boundary}`).slice(1);
  let order = 0;
  for (const chunk of chunks) {
    if (chunk.startsWith('--')) break;
    const status = /HTTP\/\d(?:\.\d)?\s+(\d{3})/.exec(chunk);
    if (!status) continue;
    const id = /Content-ID:\s*<?response-item(\d+)>?/i.exec(chunk)?.[1];
    const index = id !== undefined ? Number(id) : order;
    order += 1;
    const afterStatus = chunk.slice(status.index);
    const blank = /\r?\n\r?\n/.exec(afterStatus);
    const body = blank ? afterStatus.slice(blank.index + blank[0].length).trim() : '';
    if (index >= 0 && index < count) out[index] = { code: Number(status[1]), body };
  }
  return out.map((a) => a ?? { code: 500, body: '' });
}

// ---------------------------------------------------------------------------------------------
// Setup: the shared drive, its folders, and the sharing check (R16, R20)
// ---------------------------------------------------------------------------------------------

export interface DrivePlacesReport {
  places: VaultPlaces;
  created: string[];
}

/**
 * Adopts the recorded shared drive (if it still answers) or makes one, with a Recordings and
 * an Incoming folder, and makes `approved` (SLT, the DSL) its readers. Run by setup as the
 * automation account, which becomes the drive's organizer.
 * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/create
 */
export function prepareSafeguardingDrive(
  rest: RestClient,
  token: string,
  current: Partial<VaultPlaces>,
  approved: readonly string[],
  requestId: string,
): DrivePlacesReport {
  const call = <T>(request: Omit<RestRequest, 'token'>) => rest.json<T>({ ...request, token });
  const created: string[] = [];
  let driveId = current.sharedDriveId ?? null;
  if (driveId) {
    try {
      call({ method: 'get', url: `${DRIVE}/drives/${driveId}${query({ fields: 'id' })}` });
    } catch (error) {
      if (!isFailure(error, 'gone')) throw error;
      driveId = null;
    }
  }
  if (!driveId) {
    driveId = call<{ id: string }>({
      method: 'post',
      url: `${DRIVE}/drives${query({ requestId, fields: 'id' })}`,
      body: { name: 'Safe Live Lessons: safeguarding recordings' },
    }).id;
    created.push('shared drive');
  }
  const folder = (name: string, known: string | undefined): string => {
    if (known) {
      try {
        const f = call<DriveFile>({
          method: 'get',
          url: `${DRIVE}/files/${known}${query({ ...ALL_DRIVES, fields: 'id,driveId,trashed' })}`,
        });
        if (f.driveId === driveId && !f.trashed) return known;
      } catch (error) {
        if (!isFailure(error, 'gone')) throw error;
      }
    }
    const found = call<{ files?: DriveFile[] }>({
      method: 'get',
      url: `${DRIVE}/files${query({
        ...ALL_DRIVES,
        includeItemsFromAllDrives: true,
        corpora: 'drive',
        driveId: driveId!,
        q: `'${driveId}' in parents and name = '${name}' and mimeType = '${FOLDER_MIME}' and trashed = false`,
        fields: 'files(id)',
      })}`,
    });
    const id = found.files?.[0]?.id;
    if (id) return id;
    created.push(`${name} folder`);
    return call<DriveFile>({
      method: 'post',
      url: `${DRIVE}/files${query({ ...ALL_DRIVES, fields: 'id' })}`,
      body: { name, mimeType: FOLDER_MIME, parents: [driveId] },
    }).id;
  };
  const recordingsFolderId = folder('Recordings', current.recordingsFolderId);
  const incomingFolderId = folder('Incoming', current.incomingFolderId);
  const members = call<{ permissions?: DrivePermission[] }>({
    method: 'get',
    url: `${DRIVE}/files/${driveId}/permissions${query({ ...ALL_DRIVES, fields: 'permissions(id,type,role,emailAddress)' })}`,
  });
  const have = new Set(
    (members.permissions ?? []).map((p) => (p.emailAddress ?? '').toLowerCase()),
  );
  for (const email of approved) {
    if (have.has(email.toLowerCase())) continue;
    call({
      method: 'post',
      url: `${DRIVE}/files/${driveId}/permissions${query({ ...ALL_DRIVES, sendNotificationEmail: false, fields: 'id' })}`,
      body: { type: 'user', role: 'reader', emailAddress: email.toLowerCase() },
    });
  }
  return { places: { sharedDriveId: driveId, recordingsFolderId, incomingFolderId }, created };
}

/**
 * Who can open the recordings folder, against who should: any link or domain share, and any
 * person or group that is not approved, is drift. One request.
 */
export function sharingDrift(
  rest: RestClient,
  token: string,
  folderId: string,
  approved: readonly string[],
): string[] {
  const list = rest.json<{ permissions?: DrivePermission[] }>({
    method: 'get',
    url: `${DRIVE}/files/${folderId}/permissions${query({ ...ALL_DRIVES, fields: 'permissions(id,type,role,emailAddress,domain)' })}`,
    token,
  });
  const ok = new Set(approved.map((e) => e.toLowerCase()));
  const drift: string[] = [];
  for (const p of list.permissions ?? []) {
    if (p.type === 'anyone') drift.push('shared with anyone who has the link');
    else if (p.type === 'domain') drift.push(`shared with everyone at ${p.domain ?? 'a domain'}`);
    else if (!ok.has((p.emailAddress ?? '').toLowerCase()))
      drift.push(`${p.emailAddress ?? 'an unknown account'} (${p.role}) is not approved staff`);
  }
  return drift;
}
