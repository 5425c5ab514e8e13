// Drive REST v3 as the recordings adapters and setup read it: the endpoint, the few file and
// permission fields they ask for, and the switches every shared-drive call needs.
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3
// doc: https://developers.google.com/workspace/drive/api/guides/enable-shareddrives

export const DRIVE = 'https://www.googleapis.com/drive/v3';
export const FOLDER_MIME = 'application/vnd.google-apps.folder';
/** doc: files/list pageSize — "Acceptable values are 1 to 1000, inclusive." */
export const LIST_PAGE = 1000;
/** Every call that may touch a shared drive item must say it supports shared drives. */
export const ALL_DRIVES = { supportsAllDrives: true } as const;

export interface DriveFile {
  id: string;
  name?: string;
  parents?: string[];
  driveId?: string;
  createdTime?: string;
  trashed?: boolean;
  appProperties?: Record<string, string>;
  /** Populated for My Drive files when the caller may see sharing (not in shared drives). */
  permissions?: DrivePermission[];
}

export interface DrivePermission {
  id: string;
  type: string;
  role: string;
  emailAddress?: string;
  domain?: string;
  permissionDetails?: { inherited?: boolean }[];
}
