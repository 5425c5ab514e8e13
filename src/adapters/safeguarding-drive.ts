// The safeguarding shared drive as setup prepares it (R16, R20): adopted or made, with a
// Recordings folder (SLT and the DSL only) and an Incoming folder (one drop folder per teacher),
// and the check of who can open the recordings. Run as the automation account, which becomes
// the drive's organizer.
// doc: https://developers.google.com/workspace/drive/api/guides/manage-shareddrives
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/create

import { isFailure } from '../core/errors';
import { ALL_DRIVES, DRIVE, type DriveFile, type DrivePermission, FOLDER_MIME } from './drive-rest';
import { query, type RestClient, type RestRequest } from './rest-client';

/** Where recordings go on the school's shared drive. */
export interface VaultPlaces {
  sharedDriveId: string;
  recordingsFolderId: string;
  /** Holds one drop folder per teacher, each shared with that teacher only. */
  incomingFolderId: string;
}

export interface DrivePlacesReport {
  places: VaultPlaces;
  created: string[];
}

/**
 * Adopts the recorded shared drive (if it still answers) or makes one, with a Recordings and
 * an Incoming folder, and makes `approved` (SLT, the DSL) its readers.
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
