// The safeguarding folder on the school's shared drive, through Drive REST v3: recordings moved
// in, marked and renamed; purged; held. Only an owner may move a file out of My Drive into a
// shared drive, so the first move runs as the teacher (keyless delegation) into the teacher's
// own drop folder on the shared drive, which only they and the drive's members can open, and
// renames and marks the file in the same call; the automation (an organizer) then moves it into
// the Recordings folder, which teachers cannot open (R20), and removes the sharing the file
// brought with it (R16: only approved staff). A recording thus costs four calls: read it as its
// owner, move it as its owner, move it as the automation, and drop its own sharing.
// doc: https://developers.google.com/workspace/drive/api/guides/ref-single-parent (addParents/removeParents)
// doc: https://developers.google.com/workspace/drive/api/guides/manage-shareddrives
// doc: https://support.google.com/a/answer/7374057 (owners move files into shared drives)

import { isFailure, ServiceFailure } from '../core/errors';
import type { CollectOutcome, RecordingsVault, RemoveResult } from '../core/ports';
import type { DueCandidate } from '../core/retention';
import type { PurgeMode } from '../core/settings';
import type { Credentials } from './credentials';
import type { BatchCall, DriveBatch } from './drive-batch';
import {
  ALL_DRIVES,
  DRIVE,
  type DriveFile,
  type DrivePermission,
  FOLDER_MIME,
  LIST_PAGE,
} from './drive-rest';
import { failureFromResponse } from './google-failure';
import { query, type RestClient, type RestRequest } from './rest-client';
import type { VaultPlaces } from './safeguarding-drive';

/**
 * The marker a registered recording carries. appProperties are private to the Cloud project that
 * set them, so no person (and no other app) can make a stranger's file look like ours. The
 * teacher's delegated token belongs to the same project as the automation, so either may set it.
 * doc: https://developers.google.com/workspace/drive/api/guides/properties
 */
export const MARKER = {
  recording: 'sllRecording',
  lesson: 'sllLesson',
  hold: 'sllHold',
  /** When the lesson's call ended (ISO instant): the file's own word on when retention counts from. */
  ended: 'sllEnded',
  /**
   * The other shared drive the file was taken back from, set by the move out of it: a run that
   * lost the move's answer (or failed after it) still tells the DSL where the recording had been.
   */
  from: 'sllFrom',
} as const;

/**
 * A property's key and value together may hold at most 124 bytes (UTF-8).
 * doc: https://developers.google.com/workspace/drive/api/guides/properties
 */
const PROPERTY_BYTES = 124;

function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** `value` cut (by whole characters) so that `key` and it fit one property. */
function fitProperty(key: string, value: string): string {
  let chars = [...value];
  while (chars.length > 0 && utf8Bytes(key) + utf8Bytes(chars.join('')) > PROPERTY_BYTES)
    chars = chars.slice(0, -1);
  return chars.join('');
}

/** Where each teacher's drop folder is (kept so it is made once). */
export interface DropFolderCache {
  get(teacher: string): string | null;
  set(teacher: string, folderId: string): void;
  forget(teacher: string): void;
}

const AUTOMATION_SHUT_OUT = (why: string) =>
  `The automation account may no longer manage files on the safeguarding shared drive (it must be an organizer): ${why}`;

const FILE_FIELDS = 'id,name,parents,driveId,createdTime,trashed,appProperties';
const OWNER_FIELDS = `${FILE_FIELDS},permissions(id,type,role,emailAddress)`;

export class DriveRecordingsVault implements RecordingsVault {
  constructor(
    private readonly rest: RestClient,
    private readonly batch: DriveBatch,
    private readonly credentials: Credentials,
    private readonly places: VaultPlaces,
    private readonly drops: DropFolderCache,
  ) {}

  private me(): string {
    return this.credentials.self();
  }

  private asMe<T>(request: Omit<RestRequest, 'token'>): T {
    return this.rest.json<T>({ ...request, token: this.credentials.token(this.me()) });
  }

  collect(
    owner: string,
    fileId: string,
    name: string,
    lessonId: string,
    lessonEndedAt?: number,
  ): CollectOutcome {
    const marks: Record<string, string> = { [MARKER.recording]: '1', [MARKER.lesson]: lessonId };
    if (typeof lessonEndedAt === 'number')
      marks[MARKER.ended] = new Date(lessonEndedAt).toISOString();
    let theirs: DriveFile | null;
    try {
      theirs = this.tryGet(owner, fileId, OWNER_FIELDS);
    } catch (error) {
      if (isFailure(error, 'forbidden'))
        return {
          kind: 'refused',
          fileId,
          detail: `Drive refused to let the product read it as its owner: ${error.message}`,
        };
      throw error;
    }
    let file: DriveFile;
    /** The file's own sharing, known from the owner's view; null: ask once it is in the folder. */
    let own: DrivePermission[] | null = null;
    /** The other shared drive it was taken back from, by name. */
    let from: string | undefined;
    if (!theirs) {
      // Gone from the owner's view: in the Recordings folder already (an earlier run moved it
      // and lost the answer), or deleted.
      const ours = this.tryGet(this.me(), fileId, FILE_FIELDS);
      if (!ours || ours.trashed || ours.driveId !== this.places.sharedDriveId)
        return { kind: 'missing', fileId };
      file = ours;
      from = ours.appProperties?.[MARKER.from] || undefined;
    } else if (theirs.driveId && theirs.driveId !== this.places.sharedDriveId) {
      // The teacher moved it into another shared drive, whose members (pupils, perhaps) can open
      // it. As the teacher, the product takes it back if Drive lets them: moving an item out of a
      // shared drive needs its organizer (manager) role there.
      // doc: https://developers.google.com/workspace/drive/api/guides/ref-roles ("Move items outside of a shared drive": organizer)
      const drive = this.driveName(owner, theirs.driveId);
      const where = fitProperty(MARKER.from, drive ?? 'another shared drive');
      const moved = this.moveAsOwner(owner, theirs, name, { ...marks, [MARKER.from]: where });
      if ('kind' in moved) {
        if (moved.kind !== 'refused') return moved;
        return {
          kind: 'elsewhere',
          fileId,
          detail: `The teacher moved it into another shared drive${drive ? ` ("${drive}")` : ''}, and Drive does not let the product, acting as the teacher, move it out of there (only a manager of that shared drive may): it stays there, where that drive's members can open it.`,
        };
      }
      file = moved;
      from = where;
    } else if (theirs.driveId) {
      // In the teacher's drop folder: an earlier run made the first move (out of another shared
      // drive, if its marker says so).
      if (theirs.trashed) return { kind: 'missing', fileId };
      file = theirs;
      from = theirs.appProperties?.[MARKER.from] || undefined;
    } else {
      const moved = this.moveAsOwner(owner, theirs, name, marks);
      if ('kind' in moved) return moved;
      file = moved;
      own = theirs.permissions ?? null;
    }

    const inFolder = (file.parents ?? []).includes(this.places.recordingsFolderId);
    let final = file;
    if (!inFolder || file.appProperties?.[MARKER.recording] !== '1' || file.name !== name) {
      try {
        final = this.asMe<DriveFile>({
          method: 'patch',
          url: `${DRIVE}/files/${fileId}${query({
            ...ALL_DRIVES,
            addParents: inFolder ? undefined : this.places.recordingsFolderId,
            removeParents: inFolder ? undefined : (file.parents ?? []).join(','),
            fields: FILE_FIELDS,
          })}`,
          body: { name, appProperties: marks },
        });
      } catch (error) {
        return this.shutOut(error);
      }
    }
    this.removeOwnSharing(fileId, own);
    return {
      kind: 'moved',
      fileId,
      name: final.name ?? name,
      createdAt: Date.parse(final.createdTime ?? file.createdTime ?? ''),
      ...(from ? { from } : {}),
    };
  }

  /**
   * A shared drive's name as the teacher sees it, for the DSL's email; null if Drive will not say.
   * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/get
   */
  private driveName(user: string, driveId: string): string | null {
    try {
      const drive = this.rest.json<{ name?: string }>({
        method: 'get',
        url: `${DRIVE}/drives/${driveId}${query({ fields: 'name' })}`,
        token: this.credentials.token(user),
      });
      return drive.name ? drive.name.replace(/\s+/g, ' ').slice(0, 100) : null;
    } catch (error) {
      if (isFailure(error)) return null;
      throw error;
    }
  }

  /**
   * As the owner: out of My Drive (a file in the owner's trash is restored, not lost) into the
   * teacher's drop folder, renamed and marked in the same call. The shared drive now owns it.
   */
  private moveAsOwner(
    owner: string,
    theirs: DriveFile,
    name: string,
    marks: Record<string, string>,
  ): DriveFile | CollectOutcome {
    const attempt = (drop: string) =>
      this.rest.json<DriveFile>({
        method: 'patch',
        url: `${DRIVE}/files/${theirs.id}${query({ ...ALL_DRIVES, addParents: drop, removeParents: (theirs.parents ?? []).join(','), fields: FILE_FIELDS })}`,
        token: this.credentials.token(owner),
        body: { name, appProperties: marks, ...(theirs.trashed ? { trashed: false } : {}) },
      });
    for (let tries = 0; ; tries++) {
      let drop: string;
      try {
        drop = this.dropFolder(owner);
      } catch (error) {
        return this.shutOut(error);
      }
      try {
        return attempt(drop);
      } catch (error) {
        if (isFailure(error, 'forbidden'))
          return {
            kind: 'refused',
            fileId: theirs.id,
            detail: `Drive refused to let its owner move it into the safeguarding drive: ${error.message}`,
          };
        if (!isFailure(error, 'gone') || tries > 0) throw error;
        // The file was there a moment ago: the drop folder (or the whole drive) is what is gone.
        const missing = this.vaultMissing();
        if (missing) return { kind: 'no-vault', detail: missing };
        this.drops.forget(owner.toLowerCase());
      }
    }
  }

  /**
   * The automation's own call on the shared drive failed: when the drive is closed to it or
   * gone, that is the outcome; any other failure is thrown on.
   */
  private shutOut(error: unknown): CollectOutcome {
    if (isFailure(error, 'forbidden'))
      return { kind: 'no-vault', detail: AUTOMATION_SHUT_OUT(error.message) };
    const missing = isFailure(error, 'gone') ? this.vaultMissing() : null;
    if (missing) return { kind: 'no-vault', detail: missing };
    throw error;
  }

  /** Why the shared drive or its Recordings folder cannot be used, or null when both answer. */
  private vaultMissing(): string | null {
    try {
      this.asMe({
        method: 'get',
        url: `${DRIVE}/drives/${this.places.sharedDriveId}${query({ fields: 'id' })}`,
      });
    } catch (error) {
      if (isFailure(error, 'gone')) return 'The safeguarding shared drive no longer exists.';
      throw error;
    }
    const folder = this.tryGet(this.me(), this.places.recordingsFolderId, 'id,driveId,trashed');
    if (!folder || folder.trashed || folder.driveId !== this.places.sharedDriveId)
      return 'The Recordings folder on the safeguarding shared drive no longer exists.';
    return null;
  }

  /**
   * A file keeps its own sharing when it moves into a shared drive (its former owner, any link).
   * The folder's members are all that should reach it, so everything set on the file goes. The
   * owner's view before the move already listed it; otherwise it is asked for.
   * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/list
   */
  private removeOwnSharing(fileId: string, known: DrivePermission[] | null): void {
    let own = known;
    if (!own) {
      const list = this.asMe<{ permissions?: DrivePermission[] }>({
        method: 'get',
        url: `${DRIVE}/files/${fileId}/permissions${query({ ...ALL_DRIVES, fields: 'permissions(id,type,role,emailAddress,permissionDetails)' })}`,
      });
      own = (list.permissions ?? []).filter(
        (p) => p.permissionDetails?.every((d) => d.inherited === false) ?? true,
      );
    }
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
  due(cutoff: number, late: readonly string[] = []): DueCandidate[] {
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
      for (const f of page.files ?? []) out.push(candidate(f));
      pageToken = page.nextPageToken;
    } while (pageToken);
    // Files Meet made after the cutoff for a lesson that ended before it: the date query cannot
    // find them, so each is asked for by id (100 to a batch request), and kept only if it is in
    // the folder, marked as ours and not trashed, as the query would have required.
    // doc: https://developers.google.com/workspace/drive/api/guides/performance#batch-requests
    const found = new Set(out.map((c) => c.fileId));
    const ask = [...new Set(late)].filter((id) => !found.has(id));
    for (let i = 0; i < ask.length; i += 100) {
      const ids = ask.slice(i, i + 100);
      const answers = this.batch.run(
        ids.map((id) => ({
          method: 'GET' as const,
          path: `/drive/v3/files/${id}${query({ ...ALL_DRIVES, fields: 'id,parents,trashed,createdTime,appProperties' })}`,
        })),
      );
      answers.forEach(({ code, body }) => {
        if (code !== 200) return; // gone (404) or unanswered: the next purge asks again
        const f = JSON.parse(body) as DriveFile;
        if (
          !f.trashed &&
          (f.parents ?? []).includes(this.places.recordingsFolderId) &&
          f.appProperties?.[MARKER.recording] === '1'
        )
          out.push(candidate(f));
      });
    }
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
    const answers = this.batch.run(calls);
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
    const answers = this.batch.run(
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
    const answers = this.batch.run(
      fileIds.map((id) => ({
        method: 'PATCH' as const,
        path: `/drive/v3/files/${id}${query({ ...ALL_DRIVES, fields: 'id' })}`,
        body: { appProperties: { [MARKER.hold]: held ? '1' : null } },
      })),
    );
    const failed = answers.find((a) => a.code !== 200 && a.code !== 404);
    if (failed) throw failureFromResponse('drive', failed.code, failed.body);
  }
}

/** A file the due query (or a look by id) returned, as the purge plans with it. */
function candidate(f: DriveFile): DueCandidate {
  const ended = Date.parse(f.appProperties?.[MARKER.ended] ?? '');
  return {
    fileId: f.id,
    createdAt: Date.parse(f.createdTime ?? ''),
    ...(Number.isFinite(ended) ? { lessonEndedAt: ended } : {}),
    heldOnFile: f.appProperties?.[MARKER.hold] === '1',
  };
}
