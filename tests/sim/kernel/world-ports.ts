// What one simulated service needs from another, as small interfaces, so each
// service can be built and tested on its own and wired together in workspace.ts.

/** Drive as other services see it: Meet writes recordings, Sheets keeps spreadsheets as files. */
export interface DriveWorld {
  /** Creates a file owned by `owner`, in `parentId` or else at the root of the owner's My Drive. */
  createFile(spec: {
    name: string;
    mimeType: string;
    owner: string;
    parentId?: string;
    /** Defaults to the clock's now. */
    createdTime?: number;
  }): { id: string };
  /** The id of the folder `name` at the root of `owner`'s My Drive, made if missing. */
  ensureMyDriveFolder(owner: string, name: string): string;
  exists(fileId: string): boolean;
  /** In its owner's Bin (trashed, not yet deleted for good). */
  isTrashed?(fileId: string): boolean;
  canRead(user: string, fileId: string): boolean;
  canEdit(user: string, fileId: string): boolean;
}

/** Calendar as ScriptApp sees it: installable `onEventUpdated` triggers fire on changes. */
export interface CalendarWorld {
  onEventsChanged(listener: (calendarId: string) => void): void;
}
