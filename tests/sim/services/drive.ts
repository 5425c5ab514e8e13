// The simulated Google Drive: files, folders, shared drives and permissions. The rules live
// once on methods taking a Principal; the Drive v3 advanced service, the REST API (with its
// batch endpoint) and a DriveApp subset are thin edges over them.
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3

import { advancedCall } from '../kernel/edges';
import { appsScriptException, type CanonicalStatus, GoogleApiError } from '../kernel/google-error';
import { RawResponse, type RouteContext } from '../kernel/http';
import { type SimKernel, TransportTimeout } from '../kernel/kernel';
import { type Principal, requireScope } from '../kernel/tokens';
import type { DriveWorld } from '../kernel/world-ports';
import { registerDriveBatch } from './drive-batch';
import {
  compileQuery,
  DriveQueryError,
  parseDriveQuery,
  parseRfc3339,
  pinnedParents,
  type QueryFile,
} from './drive-query';

type SchemaFile = GoogleAppsScript.Drive_v3.Drive.V3.Schema.File;
type SchemaFileList = GoogleAppsScript.Drive_v3.Drive.V3.Schema.FileList;
type SchemaPermission = GoogleAppsScript.Drive_v3.Drive.V3.Schema.Permission;
type SchemaPermissionList = GoogleAppsScript.Drive_v3.Drive.V3.Schema.PermissionList;
type SchemaDrive = GoogleAppsScript.Drive_v3.Drive.V3.Schema.Drive;
type SchemaDriveList = GoogleAppsScript.Drive_v3.Drive.V3.Schema.DriveList;
type Collection = GoogleAppsScript.Drive_v3.Drive.V3.Collection.FilesCollection;
type PermissionsCollection = GoogleAppsScript.Drive_v3.Drive.V3.Collection.PermissionsCollection;
type DrivesCollection = GoogleAppsScript.Drive_v3.Drive.V3.Collection.DrivesCollection;
type Args = Record<string, unknown>;

export const FOLDER_MIME = 'application/vnd.google-apps.folder';
const API = 'https://www.googleapis.com/drive/v3';

// ---------------------------------------------------------------------------------------------
// Roles, permissions and errors
// ---------------------------------------------------------------------------------------------

export type DriveRole = 'owner' | 'organizer' | 'fileOrganizer' | 'writer' | 'commenter' | 'reader';
export type PermissionType = 'user' | 'group' | 'domain' | 'anyone';

// doc: https://developers.google.com/workspace/drive/api/guides/ref-roles (organizer/owner share a column)
const RANK: Record<DriveRole, number> = {
  reader: 1,
  commenter: 2,
  writer: 3,
  fileOrganizer: 4,
  organizer: 5,
  owner: 5,
};
const READER = RANK.reader;
const WRITER = RANK.writer;
const FILE_ORGANIZER = RANK.fileOrganizer;
const ORGANIZER = RANK.organizer;
const SHARED_DRIVE_ROLES: readonly DriveRole[] = [
  'organizer',
  'fileOrganizer',
  'writer',
  'commenter',
  'reader',
];

export interface DrivePermission {
  id: string;
  type: PermissionType;
  role: DriveRole;
  emailAddress?: string;
  domain?: string;
  allowFileDiscovery?: boolean;
}

// Scopes accepted by each method, from its reference page ("Authorization scopes"). Narrower
// scopes are not modelled: drive.file is treated like drive (really: only files the app created
// or the user opened with it); drive.appdata, drive.photos.readonly and drive.meet.readonly are
// left out because this simulation has no appDataFolder, photos or Meet-created marking.
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list
const READ_SCOPES = [
  'drive',
  'drive.file',
  'drive.metadata',
  'drive.metadata.readonly',
  'drive.readonly',
];
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/create
const CREATE_SCOPES = ['drive', 'drive.file'];
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/update
const UPDATE_SCOPES = ['drive', 'drive.file', 'drive.metadata', 'drive.scripts'];
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/delete
const DELETE_SCOPES = ['drive', 'drive.file'];
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/create
const SHARE_SCOPES = ['drive', 'drive.file'];
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/create
const DRIVES_WRITE_SCOPES = ['drive'];
// doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/get
const DRIVES_READ_SCOPES = ['drive', 'drive.readonly'];

/** A Drive error whose `errors[0]` also names the offending parameter, as Drive's do. */
export class DriveApiError extends GoogleApiError {
  constructor(
    status: CanonicalStatus,
    message: string,
    reason: string,
    readonly location?: string,
  ) {
    super(status, message, reason);
  }

  override toJsonBody(): { error: Record<string, unknown> } {
    const body = super.toJsonBody();
    const first = (body.error.errors as Record<string, unknown>[] | undefined)?.[0];
    if (this.location && first)
      Object.assign(first, { location: this.location, locationType: 'parameter' });
    return body;
  }
}

// doc: https://developers.google.com/workspace/drive/api/guides/handle-errors#notfound — the doc's
// sample shows "File not found: {fileId}"; the live API ends the message with a period.
const fileNotFound = (id: string) =>
  new DriveApiError('NOT_FOUND', `File not found: ${id}.`, 'notFound', 'fileId');
// doc: handle-errors#insufficientfilepermissions
const insufficient = (id: string) =>
  new DriveApiError(
    'PERMISSION_DENIED',
    `The user does not have sufficient permissions for file ${id}.`,
    'insufficientFilePermissions',
  );
const forbidden = (reason: string, message: string) =>
  new DriveApiError('PERMISSION_DENIED', message, reason);
/** Drive's answer to a malformed parameter (an invalid `q` among them): 400 "Invalid Value". */
const invalid = (location: string, message = 'Invalid Value') =>
  new DriveApiError('INVALID_ARGUMENT', message, 'invalid', location);
const badRequest = (message: string) =>
  new DriveApiError('INVALID_ARGUMENT', message, 'badRequest');
const driveNotFound = (id: string) =>
  new DriveApiError('NOT_FOUND', `Shared drive not found: ${id}`, 'notFound', 'driveId');

function flag(value: unknown): boolean {
  return value === true || value === 'true';
}

function str(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return String(value);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function toMs(value: number | Date | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return value;
  if (value instanceof Date) return value.getTime();
  return parseRfc3339(value);
}

/** Stable numeric ids (Drive's user permission ids are long digit strings). */
function numericId(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const c of text) h = BigInt.asUintN(64, (h ^ BigInt(c.codePointAt(0)!)) * 0x100000001b3n);
  return h.toString().padStart(20, '0');
}

// ---------------------------------------------------------------------------------------------
// Partial responses (`fields`)
// doc: https://developers.google.com/workspace/drive/api/guides/fields-parameter
// ---------------------------------------------------------------------------------------------

/** A field mask: each selected field, with its own sub-mask or null (the whole value). */
type Mask = Map<string, Mask | null>;

function addPath(mask: Mask, path: string[], sub: Mask | null): void {
  const [head, ...rest] = path;
  if (!head) return;
  if (rest.length === 0) {
    const existing = mask.get(head);
    if (existing === null || sub === null) mask.set(head, null);
    else if (existing) for (const [k, v] of sub) addPath(existing, [k], v);
    else mask.set(head, sub);
    return;
  }
  let child = mask.get(head);
  if (child === null) return;
  if (!child) {
    child = new Map();
    mask.set(head, child);
  }
  addPath(child, rest, sub);
}

export function parseFieldMask(spec: string): Mask {
  let i = 0;
  const list = (): Mask => {
    const mask: Mask = new Map();
    for (;;) {
      let name = '';
      while (i < spec.length && !',()'.includes(spec[i]!)) name += spec[i++];
      name = name.trim();
      let sub: Mask | null = null;
      if (spec[i] === '(') {
        i += 1;
        sub = list();
        if (spec[i] !== ')') throw invalid('fields', `Invalid field selection ${spec}`);
        i += 1;
      }
      if (name) addPath(mask, name.split('/'), sub);
      if (spec[i] !== ',') return mask;
      i += 1;
    }
  };
  const mask = list();
  if (i !== spec.length) throw invalid('fields', `Invalid field selection ${spec}`);
  return mask;
}

function applyMask(value: unknown, mask: Mask | null): unknown {
  if (mask === null || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => applyMask(v, mask));
  if (mask.has('*')) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask)
    if (source[key] !== undefined) out[key] = applyMask(source[key], sub);
  return out;
}

// doc: fields-parameter — "If you don't specify the fields parameter, the server returns a default
// set of fields specific to the method": kind, id, name and mimeType for a file; for shared drives
// (manage-shareddrives) kind, id and name. The permission default set is not documented; ours
// is the identifying fields.
const FILE_FIELDS = 'kind,id,name,mimeType';
const DEFAULT_MASKS = {
  file: parseFieldMask(FILE_FIELDS),
  fileList: parseFieldMask(`kind,incompleteSearch,nextPageToken,files(${FILE_FIELDS})`),
  permission: parseFieldMask('kind,id,type,role,emailAddress,domain,allowFileDiscovery'),
  permissionList: parseFieldMask(
    'kind,nextPageToken,permissions(kind,id,type,role,emailAddress,domain,allowFileDiscovery,permissionDetails)',
  ),
  drive: parseFieldMask('kind,id,name'),
  driveList: parseFieldMask('kind,nextPageToken,drives(kind,id,name)'),
};

function select<T>(value: unknown, fields: unknown, fallback: Mask): T {
  const spec = str(fields);
  return applyMask(value, spec ? parseFieldMask(spec) : fallback) as T;
}

// ---------------------------------------------------------------------------------------------
// Stored state
// ---------------------------------------------------------------------------------------------

interface StoredFile {
  id: string;
  name: string;
  mimeType: string;
  /** Single parent (doc: ref-single-parent); undefined only for a My Drive or shared drive root. */
  parent: string | undefined;
  /** My Drive files have one owner; shared-drive files belong to the drive. */
  owner: string | undefined;
  driveId: string | undefined;
  createdTime: number;
  modifiedTime: number;
  trashed: boolean;
  explicitlyTrashed: boolean;
  trashedTime?: number;
  trashingUser?: string;
  size?: string;
  description?: string;
  /** doc: appProperties are private to the app (Cloud project) that set them. */
  appProperties: Map<string, Record<string, string>>;
  properties: Record<string, string>;
  permissions: DrivePermission[];
  /** A My Drive root, or the root folder of a shared drive (whose id is the drive's). */
  isRoot: boolean;
}

interface StoredDrive {
  id: string;
  name: string;
  createdTime: number;
  hidden: boolean;
}

export interface AddFileSpec {
  name: string;
  mimeType?: string;
  /** Defaults to the owner's My Drive root. */
  parentId?: string;
  /** Needed for My Drive files without a parent; ignored in shared drives. */
  owner?: string;
  createdTime?: number | Date | string;
  modifiedTime?: number | Date | string;
  trashed?: boolean;
  size?: number;
  description?: string;
  /** Set as the script's Cloud project (kernel.projectNumber) would have set them. */
  appProperties?: Record<string, string>;
  properties?: Record<string, string>;
  permissions?: Omit<DrivePermission, 'id'>[];
}

export interface FileSnapshot {
  id: string;
  name: string;
  mimeType: string;
  parents: string[];
  owners: string[];
  driveId: string | undefined;
  createdTime: string;
  modifiedTime: string;
  trashed: boolean;
  explicitlyTrashed: boolean;
  size?: string;
  /** The script project's appProperties. */
  appProperties: Record<string, string>;
  properties: Record<string, string>;
  permissions: DrivePermission[];
}

interface Access {
  file: StoredFile;
  rank: number;
}

/** [rank, rank through discoverable grants only] for one user on one file. */
type Ranks = [number, number];

type SortField = 'createdTime' | 'modifiedTime' | 'name' | 'folder';
interface SortKey {
  field: SortField;
  desc: boolean;
}

// doc: files.list orderBy — "Valid keys are 'createdTime', 'folder', 'modifiedByMeTime',
// 'modifiedTime', 'name', 'name_natural', 'quotaBytesUsed', 'recency', 'sharedWithMeTime',
// 'starred', and 'viewedByMeTime'".
const SORT_ALIASES: Record<string, SortField | undefined> = {
  createdTime: 'createdTime',
  modifiedTime: 'modifiedTime',
  recency: 'modifiedTime',
  name: 'name',
  name_natural: 'name',
  folder: 'folder',
};
const UNSIMULATED_SORTS = new Set([
  'modifiedByMeTime',
  'quotaBytesUsed',
  'sharedWithMeTime',
  'starred',
  'viewedByMeTime',
]);

/** The `Drive` advanced service subset; Files.get's alt=media overload is not simulated. */
export interface DriveAdvancedSubset {
  Files: Pick<Collection, 'create' | 'list' | 'update' | 'remove'> & {
    get(fileId: string, optionalArgs?: Record<string, unknown>): SchemaFile;
  };
  Permissions: Pick<PermissionsCollection, 'create' | 'list' | 'remove'>;
  Drives: Pick<DrivesCollection, 'create' | 'get' | 'list'>;
}

// ---------------------------------------------------------------------------------------------
// DriveApp subset, typed against @types/google-apps-script
// ---------------------------------------------------------------------------------------------

type GasFile = GoogleAppsScript.Drive.File;
type GasDriveApp = GoogleAppsScript.Drive.DriveApp;

export interface DriveAppUser {
  getEmail: GoogleAppsScript.Drive.User['getEmail'];
  getName: GoogleAppsScript.Drive.User['getName'];
}

export interface DriveAppFile {
  getId: GasFile['getId'];
  getName: GasFile['getName'];
  getMimeType: GasFile['getMimeType'];
  getDateCreated: GasFile['getDateCreated'];
  getLastUpdated: GasFile['getLastUpdated'];
  isTrashed: GasFile['isTrashed'];
  setTrashed(trashed: Parameters<GasFile['setTrashed']>[0]): DriveAppFile;
  getOwner(): DriveAppUser | null;
}

export interface DriveAppFileIterator {
  hasNext: GoogleAppsScript.Drive.FileIterator['hasNext'];
  next(): DriveAppFile;
}

export interface DriveAppFolder {
  getId: GoogleAppsScript.Drive.Folder['getId'];
  getName: GoogleAppsScript.Drive.Folder['getName'];
  getFiles(): DriveAppFileIterator;
}

export interface DriveAppSubset {
  getFolderById(id: Parameters<GasDriveApp['getFolderById']>[0]): DriveAppFolder;
  getFileById(id: Parameters<GasDriveApp['getFileById']>[0]): DriveAppFile;
}

// ---------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------

export class SimDrive implements DriveWorld {
  private readonly files = new Map<string, StoredFile>();
  private readonly children = new Map<string, Set<string>>();
  private readonly drives = new Map<string, StoredDrive>();
  /** drives.create idempotency: `${user}\n${requestId}` → drive id and the request body. */
  private readonly driveRequests = new Map<string, { driveId: string; body: string }>();
  private serial = 0;
  /**
   * The admin setting "Allow users who aren't file owners to move content into shared drives".
   * Off: only a file's owner can move it into a shared drive.
   * doc: https://support.google.com/a/answer/7374057
   */
  allowEditorsToMoveIntoSharedDrives = false;
  /**
   * Users whose Drive the domain's admin has closed to apps (Drive off for their organisational
   * unit, or the app not trusted): every file call they make answers 403 `domainPolicy`.
   * doc: https://developers.google.com/workspace/drive/api/guides/handle-errors#domainpolicy
   */
  readonly appsBlockedFor = new Set<string>();

  constructor(private readonly kernel: SimKernel) {
    this.registerRoutes();
    registerDriveBatch(kernel);
  }

  // -------------------------------------------------------------------------------------------
  // Ids, roots and the tree
  // -------------------------------------------------------------------------------------------

  /** The id of `user`'s My Drive root folder (made on first use). */
  rootId(user: string): string {
    const email = user.toLowerCase();
    const id = `root-${email}`;
    if (!this.files.has(id)) {
      this.insert({
        id,
        name: 'My Drive',
        mimeType: FOLDER_MIME,
        parent: undefined,
        owner: email,
        driveId: undefined,
        createdTime: this.kernel.now(),
        modifiedTime: this.kernel.now(),
        trashed: false,
        explicitlyTrashed: false,
        appProperties: new Map(),
        properties: {},
        permissions: [this.userPermission(email, 'owner')],
        isRoot: true,
      });
    }
    return id;
  }

  private newFileId(): string {
    this.serial += 1;
    // Real ids are 33 URL-safe characters starting with "1".
    return `1Sim${this.serial.toString(36).padStart(29, '0')}`;
  }

  private newDriveId(): string {
    this.serial += 1;
    // Real shared drive ids are 19 characters starting with "0A".
    return `0ASim${this.serial.toString(36).padStart(14, '0')}`;
  }

  private resolveId(user: string, id: string): string {
    // doc: "You can use the alias root to refer to the root folder anywhere a file ID is provided."
    return id === 'root' ? this.rootId(user) : id;
  }

  private insert(file: StoredFile): void {
    this.files.set(file.id, file);
    if (file.parent) this.childSet(file.parent).add(file.id);
  }

  private childSet(parentId: string): Set<string> {
    let set = this.children.get(parentId);
    if (!set) {
      set = new Set();
      this.children.set(parentId, set);
    }
    return set;
  }

  private reparent(file: StoredFile, parentId: string): void {
    if (file.parent) this.children.get(file.parent)?.delete(file.id);
    file.parent = parentId;
    this.childSet(parentId).add(file.id);
  }

  /** Every file below `folder`, depth first (not including the folder). */
  private descendants(folder: StoredFile): StoredFile[] {
    const out: StoredFile[] = [];
    const stack = [folder.id];
    while (stack.length > 0) {
      for (const id of this.children.get(stack.pop()!) ?? []) {
        const child = this.files.get(id);
        if (!child) continue;
        out.push(child);
        stack.push(id);
      }
    }
    return out;
  }

  private isAncestor(candidate: string, of: StoredFile): boolean {
    let cursor: string | undefined = of.id;
    while (cursor) {
      if (cursor === candidate) return true;
      cursor = this.files.get(cursor)?.parent;
    }
    return false;
  }

  private userPermission(email: string, role: DriveRole): DrivePermission {
    const lower = email.toLowerCase();
    const isGroup = this.kernel.directory.isGroup(lower);
    return {
      id: isGroup ? numericId(`group:${lower}`) : this.permissionIdOf(lower),
      type: isGroup ? 'group' : 'user',
      role,
      emailAddress: lower,
    };
  }

  private permissionIdOf(email: string): string {
    return this.kernel.directory.byEmail(email)?.id ?? numericId(`user:${email}`);
  }

  private makePermission(spec: Omit<DrivePermission, 'id'>): DrivePermission {
    switch (spec.type) {
      case 'user':
      case 'group':
        return { ...this.userPermission(spec.emailAddress ?? '', spec.role), type: spec.type };
      case 'domain':
        return {
          id: `${numericId(`domain:${spec.domain}`).slice(0, 19)}k`,
          type: 'domain',
          role: spec.role,
          domain: spec.domain,
          allowFileDiscovery: spec.allowFileDiscovery ?? false,
        };
      case 'anyone': {
        // Link sharing: Drive's id is "anyoneWithLink" unless the file is discoverable.
        const discoverable = spec.allowFileDiscovery ?? false;
        return {
          id: discoverable ? 'anyone' : 'anyoneWithLink',
          type: 'anyone',
          role: spec.role,
          allowFileDiscovery: discoverable,
        };
      }
    }
  }

  // -------------------------------------------------------------------------------------------
  // Access
  // doc: https://developers.google.com/workspace/drive/api/guides/manage-sharing#how-permissions-work
  // ("Permission lists for a folder propagate downward")
  // -------------------------------------------------------------------------------------------

  private grants(permission: DrivePermission, user: string): boolean {
    switch (permission.type) {
      case 'anyone':
        return true;
      case 'domain':
        return user.endsWith(`@${permission.domain?.toLowerCase()}`);
      case 'user':
        return permission.emailAddress === user;
      case 'group':
        return this.kernel.directory.covers(permission.emailAddress ?? '', user);
    }
  }

  private directRanks(file: StoredFile, user: string, inherited: boolean): Ranks {
    let all = 0;
    let discoverable = 0;
    for (const permission of file.permissions) {
      if (!this.grants(permission, user)) continue;
      // Owning a folder does not make you the owner of what others put in it: you can edit it.
      const rank = inherited && permission.role === 'owner' ? WRITER : RANK[permission.role];
      all = Math.max(all, rank);
      const linkOnly =
        (permission.type === 'anyone' || permission.type === 'domain') &&
        !permission.allowFileDiscovery;
      if (!linkOnly) discoverable = Math.max(discoverable, rank);
    }
    return [all, discoverable];
  }

  private inheritedRanks(
    folderId: string | undefined,
    user: string,
    memo?: Map<string, Ranks>,
  ): Ranks {
    if (!folderId) return [0, 0];
    const cached = memo?.get(folderId);
    if (cached) return cached;
    const folder = this.files.get(folderId);
    let ranks: Ranks = [0, 0];
    if (folder) {
      const own = this.directRanks(folder, user, true);
      const up = this.inheritedRanks(folder.parent, user, memo);
      ranks = [Math.max(own[0], up[0]), Math.max(own[1], up[1])];
    }
    memo?.set(folderId, ranks);
    return ranks;
  }

  private ranksOf(user: string, file: StoredFile, memo?: Map<string, Ranks>): Ranks {
    const own = this.directRanks(file, user, false);
    const up = this.inheritedRanks(file.parent, user, memo);
    return [Math.max(own[0], up[0]), Math.max(own[1], up[1])];
  }

  private rankOf(user: string, file: StoredFile): number {
    return this.ranksOf(user.toLowerCase(), file)[0];
  }

  /**
   * The file as `principal` may see it. Missing, unreadable and (without supportsAllDrives)
   * shared-drive files all answer 404 "File not found".
   * doc: handle-errors#notfound — "If the file is located in a shared drive ... make sure the
   * supportsAllDrives query parameter is set to true."
   */
  private access(principal: Principal, fileId: string, args: Args): Access {
    this.checkDomainPolicy(principal);
    const id = this.resolveId(principal.user, fileId);
    const file = this.files.get(id);
    if (!file) throw fileNotFound(fileId);
    if (file.driveId && !supportsAllDrives(args)) throw fileNotFound(fileId);
    const rank = this.rankOf(principal.user, file);
    if (rank < READER) throw fileNotFound(fileId);
    return { file, rank };
  }

  private checkDomainPolicy(principal: Principal): void {
    if (this.appsBlockedFor.has(principal.user.toLowerCase()))
      throw forbidden('domainPolicy', 'The domain administrators have disabled Drive apps.');
  }

  private isMember(user: string, driveId: string): boolean {
    const root = this.files.get(driveId);
    return root ? this.directRanks(root, user.toLowerCase(), false)[0] >= READER : false;
  }

  /** doc: ref-roles — sharing: My Drive owner or writer (writersCanShare is on by default); shared drive writer+. */
  private canShare(file: StoredFile, rank: number, user: string): boolean {
    if (file.isRoot && file.driveId) return rank >= ORGANIZER; // adding shared drive members
    if (file.driveId) return rank >= WRITER;
    return file.owner === user || rank >= WRITER;
  }

  /** doc: ref-roles — "Move items into the Trash": owner (My Drive); organizer or fileOrganizer. */
  private canTrash(file: StoredFile, rank: number, user: string): boolean {
    return file.driveId ? rank >= FILE_ORGANIZER : file.owner === user;
  }

  /**
   * doc: files/delete — "Permanently deletes a file owned by the user ... If the file belongs to a
   * shared drive, the user must be an organizer on the parent folder."
   */
  private canDelete(file: StoredFile, user: string): boolean {
    if (file.isRoot) return false;
    if (file.driveId) return this.inheritedRanks(file.parent, user)[0] >= ORGANIZER;
    return file.owner === user;
  }

  // -------------------------------------------------------------------------------------------
  // Resources
  // -------------------------------------------------------------------------------------------

  private fileResource(file: StoredFile, principal: Principal, rank: number): SchemaFile & Args {
    const user = principal.user;
    const isFolder = file.mimeType === FOLDER_MIME;
    const resource: SchemaFile & Args = {
      kind: 'drive#file',
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      parents: file.parent ? [file.parent] : undefined,
      driveId: file.driveId,
      createdTime: iso(file.createdTime),
      modifiedTime: iso(file.modifiedTime),
      trashed: file.trashed,
      explicitlyTrashed: file.explicitlyTrashed,
      starred: false,
      size: file.size,
      description: file.description,
      properties: { ...file.properties },
      appProperties: { ...(file.appProperties.get(principal.project) ?? {}) },
      webViewLink: isFolder
        ? `https://drive.google.com/drive/folders/${file.id}`
        : `https://drive.google.com/file/d/${file.id}/view?usp=drivesdk`,
      capabilities: {
        canEdit: rank >= WRITER,
        canRename: rank >= WRITER,
        canShare: this.canShare(file, rank, user),
        canTrash: this.canTrash(file, rank, user),
        canDelete: this.canDelete(file, user),
        canAddChildren: isFolder && rank >= WRITER,
        canListChildren: isFolder,
        canMoveItemWithinDrive: file.driveId ? rank >= FILE_ORGANIZER : rank >= WRITER,
      },
    };
    // doc: shared-drives-diffs — owners/ownedByMe/permissions are not populated in shared drives;
    // trashingUser/trashedTime only are.
    if (file.driveId) {
      if (file.trashed && file.trashingUser) {
        resource.trashingUser = this.userResource(file.trashingUser, user);
        resource.trashedTime = iso(file.trashedTime ?? file.modifiedTime);
      }
    } else {
      resource.owners = file.owner ? [this.userResource(file.owner, user)] : [];
      resource.ownedByMe = file.owner === user;
      resource.shared = file.permissions.some((p) => p.role !== 'owner');
      // doc: ref-roles — "Can access detailed file permissions": writer and above.
      if (rank >= WRITER) {
        resource.permissions = file.permissions.map((p) => this.permissionResource(p));
        resource.permissionIds = file.permissions.map((p) => p.id);
      }
    }
    return resource;
  }

  private userResource(
    email: string,
    caller: string,
  ): GoogleAppsScript.Drive_v3.Drive.V3.Schema.User {
    const person = this.kernel.directory.byEmail(email);
    return {
      kind: 'drive#user',
      displayName: person?.name ?? email,
      emailAddress: email,
      me: email === caller,
      permissionId: this.permissionIdOf(email),
    };
  }

  private permissionResource(
    permission: DrivePermission,
    details?: { inherited: boolean; inheritedFrom?: string; member: boolean },
  ): SchemaPermission & Args {
    const person = permission.emailAddress
      ? this.kernel.directory.byEmail(permission.emailAddress)
      : undefined;
    const resource: SchemaPermission & Args = {
      kind: 'drive#permission',
      id: permission.id,
      type: permission.type,
      role: permission.role,
      emailAddress: permission.emailAddress,
      domain: permission.domain ?? permission.emailAddress?.split('@')[1],
      allowFileDiscovery: permission.allowFileDiscovery,
      displayName: person?.name,
      deleted: false,
      pendingOwner: false,
    };
    if (permission.type === 'anyone') resource.domain = undefined;
    if (details) {
      // doc: permissions resource — permissionDetails is output only, for shared drive items.
      resource.permissionDetails = [
        {
          permissionType: details.member ? 'member' : 'file',
          role: permission.role,
          inherited: details.inherited,
          inheritedFrom: details.inheritedFrom,
        },
      ];
    }
    return resource;
  }

  private driveResource(drive: StoredDrive): SchemaDrive & Args {
    return {
      kind: 'drive#drive',
      id: drive.id,
      name: drive.name,
      createdTime: iso(drive.createdTime),
      hidden: drive.hidden,
    };
  }

  private queryView(file: StoredFile, project: string): QueryFile {
    return {
      id: file.id,
      name: file.name,
      mimeType: file.mimeType,
      parent: file.parent,
      createdTime: file.createdTime,
      modifiedTime: file.modifiedTime,
      trashed: file.trashed,
      starred: false,
      properties: file.properties,
      appProperties: file.appProperties.get(project) ?? {},
    };
  }

  // -------------------------------------------------------------------------------------------
  // files.* (the logic, once)
  // -------------------------------------------------------------------------------------------

  /** doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/get */
  filesGet(principal: Principal, fileId: string, args: Args = {}): SchemaFile {
    requireScope(principal, READ_SCOPES);
    if (args.alt === 'media') throw new Error('SimDrive: files.get alt=media is not simulated');
    const { file, rank } = this.access(principal, fileId, args);
    return select(this.fileResource(file, principal, rank), args.fields, DEFAULT_MASKS.file);
  }

  /**
   * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/list
   * "This method returns all files by default, including trashed files."
   */
  filesList(principal: Principal, args: Args = {}): SchemaFileList {
    requireScope(principal, READ_SCOPES);
    this.checkDomainPolicy(principal);
    const user = principal.user;
    const corpora = str(args.corpora) ?? 'user';
    const driveId = str(args.driveId);
    // doc: enable-shareddrives — includeItemsFromAllDrives "If not present or set to false, then
    // shared drive items are not returned"; apps must also send supportsAllDrives=true.
    const includeShared =
      (flag(args.includeItemsFromAllDrives) || flag(args.includeTeamDriveItems)) &&
      supportsAllDrives(args);
    if (!['user', 'domain', 'drive', 'allDrives'].includes(corpora)) throw invalid('corpora');
    // Messages from the parameter descriptions on the reference page (no error doc quotes them).
    if ((corpora === 'drive') !== (driveId !== undefined)) {
      throw badRequest(
        'The driveId parameter must be specified if and only if corpora is set to drive.',
      );
    }
    if ((corpora === 'drive' || corpora === 'allDrives') && !includeShared) {
      throw badRequest(
        `The includeItemsFromAllDrives parameter must be set to true when corpora is set to ${corpora}.`,
      );
    }
    if (driveId && !(this.drives.has(driveId) && this.isMember(user, driveId))) {
      throw driveNotFound(driveId);
    }
    const pageSize = pageSizeOf(args.pageSize, 100, 1000);
    const order = parseOrderBy(str(args.orderBy));
    const q = str(args.q);
    const node = q === undefined ? undefined : parseQueryOrThrow(q);
    const memo = new Map<string, Ranks>();
    const predicate = node
      ? compileQuery(node, {
          resolveId: (id) => this.resolveId(user, id),
          hasRole: (view, email, role) => {
            const file = this.files.get(view.id);
            if (!file) return false;
            if (role === 'owner') return file.owner === email;
            return this.rankOf(email, file) >= (role === 'writer' ? WRITER : READER);
          },
        })
      : () => true;

    const pinned = node ? pinnedParents(node) : undefined;
    const candidates: Iterable<StoredFile> = pinned
      ? pinned.flatMap((id) =>
          [...(this.children.get(this.resolveId(user, id)) ?? [])].map((c) => this.files.get(c)!),
        )
      : this.files.values();

    const matches: StoredFile[] = [];
    for (const file of candidates) {
      if (file.isRoot) continue;
      if (file.driveId ? !includeShared || (driveId && file.driveId !== driveId) : driveId) {
        continue;
      }
      // Only what the caller can find: link-only grants (allowFileDiscovery=false) do not list.
      if (this.ranksOf(user, file, memo)[1] < READER) continue;
      if (!predicate(this.queryView(file, principal.project))) continue;
      matches.push(file);
    }

    const signature = numericId(JSON.stringify([q, args.orderBy, corpora, driveId, includeShared]));
    const compare = (a: StoredFile, b: StoredFile) =>
      compareKeys(sortValues(a, order), a.id, sortValues(b, order), b.id, order);
    let page = matches;
    const token = str(args.pageToken);
    if (token) {
      const cursor = decodeCursor(token, signature);
      page = matches.filter(
        (f) => compareKeys(sortValues(f, order), f.id, cursor.v, cursor.id, order) > 0,
      );
    }
    page.sort(compare);
    const files = page.slice(0, pageSize);
    const last = files[files.length - 1];
    const result: SchemaFileList & Args = {
      kind: 'drive#fileList',
      incompleteSearch: false,
      files: files.map((f) => this.fileResource(f, principal, this.ranksOf(user, f, memo)[0])),
    };
    // Cursor tokens (not offsets): deleting listed files between pages skips nothing, as on Drive.
    if (page.length > pageSize && last) {
      result.nextPageToken = encodeCursor({
        v: sortValues(last, order),
        id: last.id,
        s: signature,
      });
    }
    return select(result, args.fields, DEFAULT_MASKS.fileList);
  }

  /** doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/create (metadata only) */
  filesCreate(principal: Principal, resource: SchemaFile, args: Args = {}): SchemaFile {
    requireScope(principal, CREATE_SCOPES);
    this.checkDomainPolicy(principal);
    const parents = resource.parents ?? [];
    // doc: files resource, parents — "A file can only have one parent folder; specifying
    // multiple parents isn't supported."
    if (parents.length > 1) {
      throw badRequest(
        "A file can only have one parent folder; specifying multiple parents isn't supported.",
      );
    }
    const parentArg = parents[0] ?? 'root';
    const parent = this.writableFolder(principal, parentArg, args);
    const id = resource.id ?? this.newFileId();
    if (this.files.has(id)) {
      throw new DriveApiError(
        'ALREADY_EXISTS',
        'A file already exists with the provided ID.',
        'duplicate',
      );
    }
    const now = this.kernel.now();
    const file: StoredFile = {
      id,
      name: resource.name ?? 'Untitled',
      // Drive's type for metadata-only files without a mimeType (our choice; no doc found).
      mimeType: resource.mimeType ?? 'application/octet-stream',
      parent: parent.id,
      owner: parent.driveId ? undefined : principal.user,
      driveId: parent.driveId,
      createdTime: resource.createdTime ? parseRfc3339(resource.createdTime) : now,
      modifiedTime: resource.modifiedTime ? parseRfc3339(resource.modifiedTime) : now,
      trashed: false,
      explicitlyTrashed: false,
      description: resource.description,
      appProperties: new Map(
        resource.appProperties ? [[principal.project, stringRecord(resource.appProperties)]] : [],
      ),
      properties: stringRecord(resource.properties ?? {}),
      permissions: parent.driveId ? [] : [this.userPermission(principal.user, 'owner')],
      isRoot: false,
    };
    this.insert(file);
    return select(
      this.fileResource(file, principal, this.rankOf(principal.user, file)),
      args.fields,
      DEFAULT_MASKS.file,
    );
  }

  /** The folder `folderId` if `principal` may add items to it (404 if unseen, 403 if read-only). */
  private writableFolder(principal: Principal, folderId: string, args: Args): StoredFile {
    const { file, rank } = this.access(principal, folderId, args);
    if (file.mimeType !== FOLDER_MIME) {
      // No doc quotes this message; a non-folder parent is a bad request.
      throw badRequest(`The specified parent is not a folder: ${folderId}.`);
    }
    // doc: ref-roles — "Add items to the folder" / "Add files to shared drives": writer and above.
    if (rank < WRITER) throw insufficient(file.id);
    return file;
  }

  /**
   * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/update
   * Metadata (name, description, properties, appProperties, trashed) and moves with
   * addParents/removeParents.
   */
  filesUpdate(
    principal: Principal,
    fileId: string,
    resource: SchemaFile,
    args: Args = {},
  ): SchemaFile {
    requireScope(principal, UPDATE_SCOPES);
    const body = resource as SchemaFile & Args;
    const user = principal.user;
    const { file, rank } = this.access(principal, fileId, args);
    // Fields Drive computes or moves through addParents/removeParents.
    for (const field of ['parents', 'owners', 'driveId', 'permissions', 'id', 'size', 'kind']) {
      if (body[field] !== undefined) {
        throw forbidden(
          'fieldNotWritable',
          'The resource body includes fields which are not directly writable.',
        );
      }
    }
    const metadata = [
      'name',
      'description',
      'mimeType',
      'properties',
      'appProperties',
      'modifiedTime',
    ];
    const changesMetadata = metadata.some((f) => body[f] !== undefined);
    // doc: ref-roles — "Modify the metadata of the file or folder": writer and above.
    if (changesMetadata && rank < WRITER) throw insufficient(file.id);

    const add = splitIds(args.addParents);
    const remove = splitIds(args.removeParents);
    if (add.length > 0 || remove.length > 0) this.move(principal, file, rank, add, remove, args);

    if (resource.trashed !== undefined && resource.trashed !== file.trashed) {
      if (!this.canTrash(file, rank, user)) throw insufficient(file.id);
      this.setTrashed(file, resource.trashed === true, user);
    }
    if (changesMetadata) {
      if (resource.name !== undefined) file.name = resource.name;
      if (resource.description !== undefined) file.description = resource.description;
      if (resource.mimeType !== undefined) file.mimeType = resource.mimeType;
      if (resource.properties) patchRecord(file.properties, resource.properties);
      if (resource.appProperties) {
        const own = file.appProperties.get(principal.project) ?? {};
        patchRecord(own, resource.appProperties);
        file.appProperties.set(principal.project, own);
      }
      file.modifiedTime = resource.modifiedTime
        ? parseRfc3339(resource.modifiedTime)
        : this.kernel.now();
    }
    return select(
      this.fileResource(file, principal, this.rankOf(user, file)),
      args.fields,
      DEFAULT_MASKS.file,
    );
  }

  /**
   * Single-parent moves.
   * doc: https://developers.google.com/workspace/drive/api/guides/ref-single-parent
   * doc: https://developers.google.com/workspace/drive/api/guides/handle-errors (403 reasons)
   * doc: https://support.google.com/drive/answer/13045066 (who may move into a shared drive)
   */
  private move(
    principal: Principal,
    file: StoredFile,
    rank: number,
    add: string[],
    remove: string[],
    args: Args,
  ): void {
    const user = principal.user;
    const removeIds = remove.map((id) => this.resolveId(user, id));
    const limit = () =>
      file.driveId || add.some((id) => this.files.get(this.resolveId(user, id))?.driveId)
        ? forbidden('teamDrivesParentLimit', 'A shared drive item must have exactly one parent.')
        : forbidden('cannotAddParent', 'Increasing the number of parents is not allowed');
    if (file.isRoot) throw insufficient(file.id);
    if (add.length > 1) throw limit();
    const keepsParent = file.parent !== undefined && !removeIds.includes(file.parent);
    if (add.length === 1 && keepsParent) throw limit();
    if (add.length === 0) {
      if (keepsParent) return; // removing a folder the file is not in changes nothing
      // doc: "Any operation that would have previously resulted in an item no longer having
      // parents will now result in the item being parented under its owner's My Drive."
      if (file.driveId) throw limit();
      if (file.owner !== user) throw insufficient(file.id);
      this.reparent(file, this.rootId(file.owner));
      return;
    }

    const target = this.writableFolder(principal, add[0]!, args);
    if (this.isAncestor(file.id, target)) {
      // doc: handle-errors#badrequest — "You tried to add a parent that would create a cycle".
      throw badRequest('The parent would create a cycle in the directory graph.');
    }
    if (target.id === file.parent) return;
    const from = file.driveId;
    const to = target.driveId;

    if (!from && !to) {
      // doc: ref-single-parent — "You can only move a file if the current user has share access".
      if (!this.canShare(file, rank, user)) throw insufficient(file.id);
      this.reparent(file, target.id);
      return;
    }
    if (!from && to) {
      this.moveIntoSharedDrive(file, rank, target, user);
      return;
    }
    // doc: ref-roles — "Reorganize items within a shared drive": organizer, fileOrganizer;
    // "Move items outside of a shared drive": organizer.
    if (from === to) {
      if (rank < FILE_ORGANIZER) throw insufficient(file.id);
      this.reparent(file, target.id);
      return;
    }
    if (rank < ORGANIZER) throw insufficient(file.id);
    this.reparent(file, target.id);
    for (const item of [file, ...this.descendants(file)]) {
      item.driveId = to;
      if (!to) {
        // Out to My Drive: the mover becomes the owner (our reading of ref-roles; no doc says so).
        item.owner = user;
        item.permissions = [
          this.userPermission(user, 'owner'),
          ...item.permissions.filter((p) => !(p.type === 'user' && p.emailAddress === user)),
        ];
      }
    }
  }

  private moveIntoSharedDrive(
    file: StoredFile,
    rank: number,
    target: StoredFile,
    user: string,
  ): void {
    const driveId = target.driveId!;
    // doc: handle-errors#teamdrivesfoldermoveinnotsupported
    if (file.mimeType === FOLDER_MIME) {
      throw forbidden(
        'teamDrivesFolderMoveInNotSupported',
        'Moving folders into shared drives is not supported.',
      );
    }
    if (file.owner !== user) {
      if (rank < WRITER) throw insufficient(file.id);
      // doc: handle-errors#filewriterteamdrivemoveindisabled (the admin setting is off)
      if (!this.allowEditorsToMoveIntoSharedDrives) {
        throw forbidden(
          'fileWriterTeamDriveMoveInDisabled',
          'The domain administrator has not allowed writers to move items into a shared drive.',
        );
      }
      // doc: handle-errors#fileownernotmemberofteamdrive
      if (!file.owner || !this.isMember(file.owner, driveId)) {
        throw forbidden(
          'fileOwnerNotMemberOfTeamDrive',
          'Cannot move a file into a shared drive as a writer when the owner of the file is not a member of that shared drive.',
        );
      }
    }
    // doc: https://support.google.com/a/answer/7374057 — ownership passes from the user to the
    // organisation; direct sharing is kept, inherited folder access is not (it is not copied).
    // The former owner "can still access the file": we keep them as a writer (our choice).
    const formerOwner = file.owner;
    file.owner = undefined;
    file.driveId = driveId;
    file.permissions = file.permissions.map((p) =>
      p.role === 'owner' && p.emailAddress === formerOwner ? { ...p, role: 'writer' } : p,
    );
    this.reparent(file, target.id);
  }

  /** Trashing a folder trashes its contents implicitly (explicitlyTrashed stays false on them). */
  private setTrashed(file: StoredFile, trashed: boolean, user: string): void {
    const now = this.kernel.now();
    file.trashed = trashed;
    file.explicitlyTrashed = trashed;
    file.trashedTime = trashed ? now : undefined;
    file.trashingUser = trashed && user ? user : undefined;
    for (const item of this.descendants(file)) {
      if (trashed && !item.trashed) {
        item.trashed = true;
        item.explicitlyTrashed = false;
      } else if (!trashed && item.trashed && !item.explicitlyTrashed) {
        item.trashed = false;
      }
    }
  }

  /** doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/files/delete */
  filesDelete(principal: Principal, fileId: string, args: Args = {}): void {
    requireScope(principal, DELETE_SCOPES);
    const { file } = this.access(principal, fileId, args);
    if (!this.canDelete(file, principal.user)) throw insufficient(file.id);
    this.removeTree(file, principal.user);
  }

  /** doc: files/delete — "If the target is a folder, all descendants owned by the user are also deleted." */
  private removeTree(file: StoredFile, user: string): void {
    const doomed = [file];
    for (const item of this.descendants(file)) {
      if (file.driveId || item.owner === user) doomed.push(item);
    }
    const gone = new Set(doomed.map((f) => f.id));
    for (const item of doomed) {
      if (item.parent) this.children.get(item.parent)?.delete(item.id);
      this.files.delete(item.id);
    }
    // What others own below a deleted My Drive folder lands in their own My Drive root.
    for (const item of this.descendants(file)) {
      if (!gone.has(item.id) && item.owner) this.reparent(item, this.rootId(item.owner));
    }
    for (const id of gone) this.children.delete(id);
  }

  // -------------------------------------------------------------------------------------------
  // permissions.*
  // doc: https://developers.google.com/workspace/drive/api/guides/manage-sharing
  // -------------------------------------------------------------------------------------------

  /** The permissions in force on a file: its own, then those inherited from its folders. */
  private effectivePermissions(
    file: StoredFile,
  ): { permission: DrivePermission; from?: string; member: boolean }[] {
    const seen = new Map<string, { permission: DrivePermission; from?: string; member: boolean }>();
    for (const p of file.permissions) seen.set(p.id, { permission: p, member: false });
    let cursor = file.parent ? this.files.get(file.parent) : undefined;
    while (cursor) {
      for (const p of cursor.permissions) {
        const role: DriveRole = p.role === 'owner' ? 'writer' : p.role;
        const existing = seen.get(p.id);
        if (!existing || RANK[existing.permission.role] < RANK[role]) {
          seen.set(p.id, {
            permission: { ...p, role },
            from: cursor.id,
            member: cursor.isRoot && cursor.driveId !== undefined,
          });
        }
      }
      cursor = cursor.parent ? this.files.get(cursor.parent) : undefined;
    }
    return [...seen.values()];
  }

  /** doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/list */
  permissionsList(principal: Principal, fileId: string, args: Args = {}): SchemaPermissionList {
    requireScope(principal, READ_SCOPES);
    const { file, rank } = this.access(principal, fileId, args);
    // doc: ref-roles — "Can access detailed file permissions": writer and above.
    if (rank < WRITER) throw insufficient(file.id);
    const all = this.effectivePermissions(file).map(({ permission, from, member }) =>
      this.permissionResource(
        permission,
        file.driveId ? { inherited: from !== undefined, inheritedFrom: from, member } : undefined,
      ),
    );
    // doc: pageSize — "When not set for files in a shared drive, at most 100 results will be
    // returned. When not set for files that are not in a shared drive, the entire list will be returned."
    const pageSize =
      args.pageSize === undefined && !file.driveId
        ? all.length || 1
        : pageSizeOf(args.pageSize, 100, 100);
    const offset = args.pageToken ? decodeOffset(str(args.pageToken)!) : 0;
    const result: SchemaPermissionList & Args = {
      kind: 'drive#permissionList',
      permissions: all.slice(offset, offset + pageSize),
    };
    if (offset + pageSize < all.length) result.nextPageToken = encodeOffset(offset + pageSize);
    return select(result, args.fields, DEFAULT_MASKS.permissionList);
  }

  /** doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/create */
  permissionsCreate(
    principal: Principal,
    fileId: string,
    resource: SchemaPermission,
    args: Args = {},
  ): SchemaPermission {
    requireScope(principal, SHARE_SCOPES);
    const { file, rank } = this.access(principal, fileId, args);
    const type = resource.type as PermissionType | undefined;
    const role = resource.role as DriveRole | undefined;
    // Messages for missing/invalid fields are ours (the reference marks type and role required).
    if (!type || !['user', 'group', 'domain', 'anyone'].includes(type)) {
      throw new DriveApiError(
        'INVALID_ARGUMENT',
        'The permission type field is required.',
        'required',
        'permission.type',
      );
    }
    if (!role || !(role in RANK)) {
      throw new DriveApiError(
        'INVALID_ARGUMENT',
        'The permission role field is required.',
        'required',
        'permission.role',
      );
    }
    if ((type === 'user' || type === 'group') && !resource.emailAddress) {
      throw new DriveApiError(
        'INVALID_ARGUMENT',
        'The permission emailAddress field is required.',
        'required',
        'permission.emailAddress',
      );
    }
    if (type === 'domain' && !resource.domain) {
      throw new DriveApiError(
        'INVALID_ARGUMENT',
        'The permission domain field is required.',
        'required',
        'permission.domain',
      );
    }
    if (role === 'owner') {
      if (!flag(args.transferOwnership)) {
        throw forbidden(
          'forbidden',
          "The transferOwnership parameter must be enabled when the permission role is 'owner'.",
        );
      }
      throw new Error('SimDrive: ownership transfer is not simulated');
    }
    const isDriveRoot = file.isRoot && file.driveId !== undefined;
    if (isDriveRoot && !SHARED_DRIVE_ROLES.includes(role)) throw invalid('permission.role');
    if (!isDriveRoot && role === 'organizer') throw invalid('permission.role');
    if (!this.canShare(file, rank, principal.user)) throw insufficient(file.id);
    const permission = this.makePermission({
      type,
      role,
      emailAddress: resource.emailAddress?.toLowerCase(),
      domain: resource.domain,
      allowFileDiscovery: resource.allowFileDiscovery,
    });
    // Sharing again with the same grantee replaces the earlier grant.
    file.permissions = [...file.permissions.filter((p) => p.id !== permission.id), permission];
    return select(this.permissionResource(permission), args.fields, DEFAULT_MASKS.permission);
  }

  /** doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/permissions/delete */
  permissionsDelete(
    principal: Principal,
    fileId: string,
    permissionId: string,
    args: Args = {},
  ): void {
    requireScope(principal, SHARE_SCOPES);
    const { file, rank } = this.access(principal, fileId, args);
    if (!this.canShare(file, rank, principal.user)) throw insufficient(file.id);
    const own = file.permissions.find((p) => p.id === permissionId);
    if (!own) {
      const inherited = this.effectivePermissions(file).some(
        (e) => e.permission.id === permissionId,
      );
      // doc: handle-errors#cannotmodifyinheritedteamdrivepermission
      if (inherited && file.driveId) {
        throw forbidden(
          'cannotModifyInheritedTeamDrivePermission',
          'Cannot update or delete an inherited permission on a shared drive item.',
        );
      }
      throw new DriveApiError(
        'NOT_FOUND',
        `Permission not found: ${permissionId}.`,
        'notFound',
        'permissionId',
      );
    }
    if (own.role === 'owner') {
      throw forbidden('cannotRemoveOwner', 'The owner of a file cannot be removed.');
    }
    file.permissions = file.permissions.filter((p) => p.id !== permissionId);
  }

  // -------------------------------------------------------------------------------------------
  // drives.*
  // doc: https://developers.google.com/workspace/drive/api/guides/manage-shareddrives
  // -------------------------------------------------------------------------------------------

  /** doc: drives.create is idempotent per requestId; a changed body may answer 409. */
  drivesCreate(
    principal: Principal,
    requestId: string,
    resource: SchemaDrive,
    args: Args = {},
  ): SchemaDrive {
    requireScope(principal, DRIVES_WRITE_SCOPES);
    if (!requestId) {
      throw new DriveApiError(
        'INVALID_ARGUMENT',
        'Required parameter: requestId',
        'required',
        'requestId',
      );
    }
    const key = `${principal.user}\n${requestId}`;
    const body = JSON.stringify(resource ?? {});
    const previous = this.driveRequests.get(key);
    if (previous) {
      if (previous.body !== body) {
        // The doc promises a 409 but quotes no message; this one is ours.
        throw new DriveApiError(
          'ALREADY_EXISTS',
          'A shared drive with this requestId already exists; use a new requestId.',
          'duplicate',
          'requestId',
        );
      }
      return select(
        this.driveResource(this.drives.get(previous.driveId)!),
        args.fields,
        DEFAULT_MASKS.drive,
      );
    }
    const id = this.createSharedDrive(resource.name ?? 'Untitled shared drive', [
      { email: principal.user, role: 'organizer' },
    ]);
    this.driveRequests.set(key, { driveId: id, body });
    return select(this.driveResource(this.drives.get(id)!), args.fields, DEFAULT_MASKS.drive);
  }

  /** doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/get */
  drivesGet(principal: Principal, driveId: string, args: Args = {}): SchemaDrive {
    requireScope(principal, DRIVES_READ_SCOPES);
    const drive = this.drives.get(driveId);
    if (!drive || !this.isMember(principal.user, driveId)) throw driveNotFound(driveId);
    return select(this.driveResource(drive), args.fields, DEFAULT_MASKS.drive);
  }

  /** doc: drives.list — pageSize "Maximum number of shared drives to return per page" 1..100, default 10. */
  drivesList(principal: Principal, args: Args = {}): SchemaDriveList {
    requireScope(principal, DRIVES_READ_SCOPES);
    if (args.q !== undefined) throw new Error('SimDrive: drives.list q is not simulated');
    const pageSize = pageSizeOf(args.pageSize, 10, 100);
    const mine = [...this.drives.values()].filter((d) => this.isMember(principal.user, d.id));
    const offset = args.pageToken ? decodeOffset(str(args.pageToken)!) : 0;
    const result: SchemaDriveList & Args = {
      kind: 'drive#driveList',
      drives: mine.slice(offset, offset + pageSize).map((d) => this.driveResource(d)),
    };
    if (offset + pageSize < mine.length) result.nextPageToken = encodeOffset(offset + pageSize);
    return select(result, args.fields, DEFAULT_MASKS.driveList);
  }

  // -------------------------------------------------------------------------------------------
  // REST routes
  // -------------------------------------------------------------------------------------------

  private registerRoutes(): void {
    const http = this.kernel.http;
    const q = (ctx: RouteContext): Args => Object.fromEntries(ctx.query.entries());
    const noContent = () => new RawResponse({ code: 204, headers: {}, body: '' });
    http.route(`GET ${API}/files`, 'drive.files.list', (ctx) =>
      this.filesList(ctx.principal, q(ctx)),
    );
    http.route(`POST ${API}/files`, 'drive.files.create', (ctx) =>
      this.filesCreate(ctx.principal, ctx.json(), q(ctx)),
    );
    http.route(`GET ${API}/files/{fileId}`, 'drive.files.get', (ctx) =>
      this.filesGet(ctx.principal, ctx.params.fileId!, q(ctx)),
    );
    http.route(`PATCH ${API}/files/{fileId}`, 'drive.files.update', (ctx) =>
      this.filesUpdate(ctx.principal, ctx.params.fileId!, ctx.json(), q(ctx)),
    );
    http.route(`DELETE ${API}/files/{fileId}`, 'drive.files.delete', (ctx) => {
      this.filesDelete(ctx.principal, ctx.params.fileId!, q(ctx));
      return noContent();
    });
    http.route(`GET ${API}/files/{fileId}/permissions`, 'drive.permissions.list', (ctx) =>
      this.permissionsList(ctx.principal, ctx.params.fileId!, q(ctx)),
    );
    http.route(`POST ${API}/files/{fileId}/permissions`, 'drive.permissions.create', (ctx) =>
      this.permissionsCreate(ctx.principal, ctx.params.fileId!, ctx.json(), q(ctx)),
    );
    http.route(
      `DELETE ${API}/files/{fileId}/permissions/{permissionId}`,
      'drive.permissions.delete',
      (ctx) => {
        this.permissionsDelete(ctx.principal, ctx.params.fileId!, ctx.params.permissionId!, q(ctx));
        return noContent();
      },
    );
    http.route(`POST ${API}/drives`, 'drive.drives.create', (ctx) =>
      this.drivesCreate(ctx.principal, ctx.query.get('requestId') ?? '', ctx.json(), q(ctx)),
    );
    http.route(`GET ${API}/drives/{driveId}`, 'drive.drives.get', (ctx) =>
      this.drivesGet(ctx.principal, ctx.params.driveId!, q(ctx)),
    );
    http.route(`GET ${API}/drives`, 'drive.drives.list', (ctx) =>
      this.drivesList(ctx.principal, q(ctx)),
    );
  }

  // -------------------------------------------------------------------------------------------
  // The Drive v3 advanced service (`Drive` global)
  // doc: https://developers.google.com/apps-script/advanced/drive
  // -------------------------------------------------------------------------------------------

  advancedService(): DriveAdvancedSubset {
    const k = this.kernel;
    const noMedia = (media: unknown) => {
      if (media !== undefined && media !== null)
        throw new Error('SimDrive: media upload is not simulated');
    };
    const Files = {
      create: (
        resource: SchemaFile,
        mediaData?: GoogleAppsScript.Base.Blob | null,
        optionalArgs?: Record<string, unknown>,
      ): SchemaFile =>
        advancedCall(k, 'drive.files.create', (p) => {
          noMedia(mediaData);
          return this.filesCreate(p, resource, optionalArgs);
        }),
      get: (fileId: string, optionalArgs?: Record<string, unknown>): SchemaFile =>
        advancedCall(k, 'drive.files.get', (p) => this.filesGet(p, fileId, optionalArgs)),
      list: (optionalArgs?: Record<string, unknown>): SchemaFileList =>
        advancedCall(k, 'drive.files.list', (p) => this.filesList(p, optionalArgs)),
      update: (
        resource: SchemaFile,
        fileId: string,
        mediaData?: GoogleAppsScript.Base.Blob | null,
        optionalArgs?: Record<string, unknown>,
      ): SchemaFile =>
        advancedCall(k, 'drive.files.update', (p) => {
          noMedia(mediaData);
          return this.filesUpdate(p, fileId, resource, optionalArgs);
        }),
      remove: (fileId: string, optionalArgs?: Record<string, unknown>): void =>
        advancedCall(k, 'drive.files.delete', (p) => this.filesDelete(p, fileId, optionalArgs)),
    } satisfies DriveAdvancedSubset['Files'];
    const Permissions = {
      create: (
        resource: SchemaPermission,
        fileId: string,
        optionalArgs?: Record<string, unknown>,
      ): SchemaPermission =>
        advancedCall(k, 'drive.permissions.create', (p) =>
          this.permissionsCreate(p, fileId, resource, optionalArgs),
        ),
      list: (fileId: string, optionalArgs?: Record<string, unknown>): SchemaPermissionList =>
        advancedCall(k, 'drive.permissions.list', (p) =>
          this.permissionsList(p, fileId, optionalArgs),
        ),
      remove: (
        fileId: string,
        permissionId: string,
        optionalArgs?: Record<string, unknown>,
      ): void =>
        advancedCall(k, 'drive.permissions.delete', (p) =>
          this.permissionsDelete(p, fileId, permissionId, optionalArgs),
        ),
    } satisfies Pick<PermissionsCollection, 'create' | 'list' | 'remove'>;
    const Drives = {
      create: (resource: SchemaDrive, requestId: string): SchemaDrive =>
        advancedCall(k, 'drive.drives.create', (p) => this.drivesCreate(p, requestId, resource)),
      get: (driveId: string, optionalArgs?: Record<string, unknown>): SchemaDrive =>
        advancedCall(k, 'drive.drives.get', (p) => this.drivesGet(p, driveId, optionalArgs)),
      list: (optionalArgs?: Record<string, unknown>): SchemaDriveList =>
        advancedCall(k, 'drive.drives.list', (p) => this.drivesList(p, optionalArgs)),
    } satisfies Pick<DrivesCollection, 'create' | 'get' | 'list'>;
    return { Files, Permissions, Drives };
  }

  // -------------------------------------------------------------------------------------------
  // DriveApp subset (the naive approach most public scripts use)
  // doc: https://developers.google.com/apps-script/reference/drive/drive-app
  // -------------------------------------------------------------------------------------------

  driveAppGlobal(): DriveAppSubset {
    return {
      getFolderById: (id) =>
        this.driveApp('driveapp.getFolderById', () => {
          const folder = this.driveAppItem(id);
          if (folder.mimeType !== FOLDER_MIME) throw noDriveAppItem();
          return this.driveAppFolder(folder.id);
        }),
      getFileById: (id) =>
        this.driveApp('driveapp.getFileById', () => this.driveAppFile(this.driveAppItem(id).id)),
    };
  }

  /** A DriveApp call: counted, and Google failures surface as Apps Script exceptions. */
  private driveApp<T>(key: string, op: () => T): T {
    try {
      return this.kernel.invoke(key, op);
    } catch (error) {
      // No doc lists DriveApp's messages for back-end failures; this is the generic one.
      if (error instanceof GoogleApiError || error instanceof TransportTimeout) {
        throw appsScriptException(
          "We're sorry, a server error occurred. Please wait a bit and try again.",
        );
      }
      throw error;
    }
  }

  private driveAppItem(id: string): StoredFile {
    const user = this.kernel.effectiveUser();
    const file = this.files.get(this.resolveId(user, id));
    // DriveApp reaches shared drives without any supportsAllDrives switch.
    if (!file || this.rankOf(user, file) < READER) throw noDriveAppItem();
    return file;
  }

  private driveAppFolder(id: string): DriveAppFolder {
    const name = () => this.files.get(id)?.name ?? '';
    return {
      getId: () => id,
      getName: name,
      getFiles: () =>
        this.driveApp('driveapp.folder.getFiles', () => {
          const user = this.kernel.effectiveUser();
          // Trashed files are left out (our reading; the reference does not say).
          const ids = [...(this.children.get(id) ?? [])].filter((c) => {
            const f = this.files.get(c);
            return f && f.mimeType !== FOLDER_MIME && !f.trashed && this.rankOf(user, f) >= READER;
          });
          let index = 0;
          return {
            // hasNext() is answered from the page already fetched: not a call of its own.
            hasNext: () => index < ids.length,
            next: () =>
              this.driveApp('driveapp.files.next', () => {
                if (index >= ids.length)
                  throw appsScriptException(
                    'Cannot retrieve the next object: iterator has reached the end.',
                  );
                const fileId = ids[index]!;
                index += 1;
                return this.driveAppFile(fileId);
              }),
          };
        }),
    };
  }

  private driveAppFile(id: string): DriveAppFile {
    const live = () => {
      const file = this.files.get(id);
      if (!file) throw noDriveAppItem();
      return file;
    };
    const handle: DriveAppFile = {
      getId: () => id,
      getName: () => live().name,
      getMimeType: () => live().mimeType,
      getDateCreated: () =>
        this.driveApp('driveapp.file.getDateCreated', () => new Date(live().createdTime)),
      getLastUpdated: () =>
        this.driveApp('driveapp.file.getLastUpdated', () => new Date(live().modifiedTime)),
      isTrashed: () => this.driveApp('driveapp.file.isTrashed', () => live().trashed),
      setTrashed: (trashed) =>
        this.driveApp('driveapp.file.setTrashed', () => {
          const user = this.kernel.effectiveUser();
          const file = live();
          if (!this.canTrash(file, this.rankOf(user, file), user)) {
            throw appsScriptException('Access denied: DriveApp.');
          }
          if (file.trashed !== trashed) this.setTrashed(file, trashed, user);
          return handle;
        }),
      getOwner: () =>
        this.driveApp('driveapp.file.getOwner', () => {
          // Shared-drive items have no owner: DriveApp answers null.
          const owner = live().owner;
          if (!owner) return null;
          return {
            getEmail: () => owner,
            getName: () => this.kernel.directory.byEmail(owner)?.name ?? owner,
          };
        }),
    };
    return handle;
  }

  // -------------------------------------------------------------------------------------------
  // DriveWorld (for Meet, Sheets...): world operations, not counted
  // -------------------------------------------------------------------------------------------

  createFile(spec: {
    name: string;
    mimeType: string;
    owner: string;
    parentId?: string;
    createdTime?: number;
  }): { id: string } {
    return { id: this.addFile(spec) };
  }

  ensureMyDriveFolder(owner: string, name: string): string {
    const root = this.rootId(owner);
    for (const id of this.children.get(root) ?? []) {
      const f = this.files.get(id);
      if (f && f.mimeType === FOLDER_MIME && f.name === name && !f.trashed) return id;
    }
    return this.addFile({ name, mimeType: FOLDER_MIME, owner, parentId: root });
  }

  exists(fileId: string): boolean {
    return this.files.has(fileId);
  }

  isTrashed(fileId: string): boolean {
    return this.files.get(fileId)?.trashed === true;
  }

  canRead(user: string, fileId: string): boolean {
    const file = this.files.get(fileId);
    return file !== undefined && this.rankOf(user, file) >= READER;
  }

  canEdit(user: string, fileId: string): boolean {
    const file = this.files.get(fileId);
    return file !== undefined && this.rankOf(user, file) >= WRITER;
  }

  // -------------------------------------------------------------------------------------------
  // World / test API (not counted)
  // -------------------------------------------------------------------------------------------

  /** A shared drive whose members (users or groups) hold shared-drive roles; returns its id. */
  createSharedDrive(name: string, members: { email: string; role: DriveRole }[]): string {
    const id = this.newDriveId();
    const now = this.kernel.now();
    this.drives.set(id, { id, name, createdTime: now, hidden: false });
    for (const m of members) {
      if (!SHARED_DRIVE_ROLES.includes(m.role))
        throw new Error(`Not a shared drive role: ${m.role}`);
    }
    this.insert({
      id,
      name,
      mimeType: FOLDER_MIME,
      parent: undefined,
      owner: undefined,
      driveId: id,
      createdTime: now,
      modifiedTime: now,
      trashed: false,
      explicitlyTrashed: false,
      appProperties: new Map(),
      properties: {},
      permissions: members.map((m) => this.userPermission(m.email, m.role)),
      isRoot: true,
    });
    return id;
  }

  /** Adds a file as if its owner had made it earlier; returns its id. */
  addFile(spec: AddFileSpec): string {
    const now = this.kernel.now();
    const parentId = spec.parentId ?? (spec.owner ? this.rootId(spec.owner) : undefined);
    if (!parentId) throw new Error('SimDrive.addFile needs a parentId or an owner');
    const parent = this.files.get(parentId);
    if (!parent) throw new Error(`SimDrive.addFile: no folder ${parentId}`);
    const owner = parent.driveId ? undefined : (spec.owner?.toLowerCase() ?? parent.owner);
    if (!parent.driveId && !owner)
      throw new Error('SimDrive.addFile: a My Drive file needs an owner');
    const createdTime = toMs(spec.createdTime, now);
    const file: StoredFile = {
      id: this.newFileId(),
      name: spec.name,
      mimeType: spec.mimeType ?? 'application/octet-stream',
      parent: parentId,
      owner,
      driveId: parent.driveId,
      createdTime,
      modifiedTime: toMs(spec.modifiedTime, createdTime),
      trashed: false,
      explicitlyTrashed: false,
      size: spec.size === undefined ? undefined : String(spec.size),
      description: spec.description,
      appProperties: new Map(
        spec.appProperties ? [[this.kernel.projectNumber, { ...spec.appProperties }]] : [],
      ),
      properties: { ...(spec.properties ?? {}) },
      permissions: [
        ...(owner ? [this.userPermission(owner, 'owner')] : []),
        ...(spec.permissions ?? []).map((p) => this.makePermission(p)),
      ],
      isRoot: false,
    };
    this.insert(file);
    if (spec.trashed) this.setTrashed(file, true, owner ?? '');
    return file.id;
  }

  /** Many files in one folder, fast (benchmarks make 10,000): `make(i)` customises file i. */
  addFilesToFolder(
    folderId: string,
    count: number,
    make: (i: number) => Partial<AddFileSpec> = () => ({}),
  ): string[] {
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) {
      ids.push(this.addFile({ name: `File ${i + 1}`, ...make(i), parentId: folderId }));
    }
    return ids;
  }

  /** Shares a file as its owner would in the Drive UI. */
  share(fileId: string, permission: Omit<DrivePermission, 'id'>): string {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`SimDrive.share: no file ${fileId}`);
    const made = this.makePermission(permission);
    file.permissions = [...file.permissions.filter((p) => p.id !== made.id), made];
    return made.id;
  }

  file(id: string): FileSnapshot | undefined {
    const f = this.files.get(id);
    if (!f) return undefined;
    return {
      id: f.id,
      name: f.name,
      mimeType: f.mimeType,
      parents: f.parent ? [f.parent] : [],
      owners: f.owner ? [f.owner] : [],
      driveId: f.driveId,
      createdTime: iso(f.createdTime),
      modifiedTime: iso(f.modifiedTime),
      trashed: f.trashed,
      explicitlyTrashed: f.explicitlyTrashed,
      size: f.size,
      appProperties: { ...(f.appProperties.get(this.kernel.projectNumber) ?? {}) },
      properties: { ...f.properties },
      permissions: f.permissions.map((p) => ({ ...p })),
    };
  }

  /** Snapshots of what is directly in a folder, trashed items included. */
  filesIn(folderId: string): FileSnapshot[] {
    return [...(this.children.get(folderId) ?? [])].map((id) => this.file(id)!);
  }

  /** The permissions set on the file itself (not inherited ones). */
  permissionsOf(id: string): DrivePermission[] {
    return (this.files.get(id)?.permissions ?? []).map((p) => ({ ...p }));
  }

  sharedDrive(id: string): { id: string; name: string; members: DrivePermission[] } | undefined {
    const drive = this.drives.get(id);
    if (!drive) return undefined;
    return { id, name: drive.name, members: this.permissionsOf(id) };
  }

  /** Every file that is not a folder, wherever it is (trashed ones included). */
  allFiles(): FileSnapshot[] {
    const out: FileSnapshot[] = [];
    for (const f of this.files.values())
      if (!f.isRoot && f.mimeType !== FOLDER_MIME) out.push(this.file(f.id)!);
    return out;
  }

  /**
   * An admin deletes a shared drive and everything in it (Admin console, or drives.delete with
   * useDomainAdminAccess and allowItemDeletion).
   * doc: https://developers.google.com/workspace/drive/api/reference/rest/v3/drives/delete
   */
  deleteSharedDrive(id: string): void {
    const root = this.files.get(id);
    if (!root || !this.drives.has(id)) throw new Error(`SimDrive: no shared drive ${id}`);
    for (const item of this.descendants(root)) {
      this.files.delete(item.id);
      this.children.delete(item.id);
    }
    this.files.delete(id);
    this.children.delete(id);
    this.drives.delete(id);
  }

  /**
   * The file's owner moves it to the Bin from Drive (only the owner can; the Bin keeps it 30
   * days and "other users can't view files in the owner's trash").
   * doc: https://developers.google.com/workspace/drive/api/guides/delete
   */
  trash(fileId: string, by: string): void {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`SimDrive: no file ${fileId}`);
    if (file.owner !== by.toLowerCase())
      throw new Error(`SimDrive: only the owner may trash ${fileId}`);
    this.setTrashed(file, true, by.toLowerCase());
  }

  /** Restores a file from its owner's Bin (same guide: "restore them within 30 days"). */
  untrash(fileId: string, by: string): void {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`SimDrive: no file ${fileId}`);
    this.setTrashed(file, false, by.toLowerCase());
  }

  /**
   * The owner deletes a file for good (empties it from the Bin): it is gone for everyone.
   * doc: https://developers.google.com/workspace/drive/api/guides/delete ("Deleting files and
   * folders removes them permanently from Drive.")
   */
  deleteForever(fileId: string): void {
    const file = this.files.get(fileId);
    if (!file) throw new Error(`SimDrive: no file ${fileId}`);
    for (const item of this.descendants(file)) {
      this.files.delete(item.id);
      this.children.delete(item.id);
    }
    if (file.parent) this.children.get(file.parent)?.delete(fileId);
    this.files.delete(fileId);
    this.children.delete(fileId);
  }

  /** Number of files and folders (roots excluded). */
  count(): number {
    let n = 0;
    for (const f of this.files.values()) if (!f.isRoot) n += 1;
    return n;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function supportsAllDrives(args: Args): boolean {
  // supportsTeamDrives is the deprecated name of the same switch.
  return flag(args.supportsAllDrives) || flag(args.supportsTeamDrives);
}

function noDriveAppItem(): Error {
  // What DriveApp says for a missing or inaccessible id (seen in scripts that match on it; no doc
  // quotes it).
  return appsScriptException(
    'No item with the given ID could be found, or you do not have permission to access it.',
  );
}

function parseQueryOrThrow(q: string) {
  try {
    return parseDriveQuery(q);
  } catch (error) {
    if (error instanceof DriveQueryError) throw invalid('q');
    throw error;
  }
}

/** doc: files.list pageSize — "Acceptable values are 1 to 1000, inclusive. (Default: 100)". */
function pageSizeOf(value: unknown, fallback: number, max: number): number {
  if (value === undefined || value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw invalid(
      'pageSize',
      `Invalid value '${String(value)}'. Values must be within the range: [1, ${max}]`,
    );
  }
  return n;
}

function parseOrderBy(spec: string | undefined): SortKey[] {
  // Without orderBy Drive promises no order; ours is creation order (a choice).
  if (!spec) return [{ field: 'createdTime', desc: false }];
  return spec.split(',').map((part) => {
    const [name, direction, ...rest] = part.trim().split(/\s+/);
    if (name && UNSIMULATED_SORTS.has(name)) {
      throw new Error(`SimDrive: orderBy ${name} is not simulated`);
    }
    const field = name ? SORT_ALIASES[name] : undefined;
    if (!field || rest.length > 0 || (direction !== undefined && direction !== 'desc')) {
      throw invalid('orderBy');
    }
    return { field, desc: direction === 'desc' };
  });
}

function sortValues(file: StoredFile, order: SortKey[]): (string | number)[] {
  return order.map(({ field }) => {
    switch (field) {
      case 'name':
        return file.name.toLowerCase();
      case 'folder':
        return file.mimeType === FOLDER_MIME ? 0 : 1;
      default:
        return file[field];
    }
  });
}

function compareKeys(
  a: (string | number)[],
  aId: string,
  b: (string | number)[],
  bId: string,
  order: SortKey[],
): number {
  for (let i = 0; i < order.length; i += 1) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    const c = x < y ? -1 : 1;
    return order[i]!.desc ? -c : c;
  }
  return aId < bId ? -1 : aId > bId ? 1 : 0;
}

interface Cursor {
  v: (string | number)[];
  id: string;
  s: string;
}

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(token: string, signature: string): Cursor {
  try {
    const cursor = JSON.parse(Buffer.from(token, 'base64url').toString()) as Cursor;
    if (cursor.s === signature && Array.isArray(cursor.v) && typeof cursor.id === 'string')
      return cursor;
  } catch {
    // fall through: a token that is not ours
  }
  // A token from another query (or garbage) is refused like any bad parameter value.
  throw invalid('pageToken');
}

function encodeOffset(offset: number): string {
  return Buffer.from(`o:${offset}`).toString('base64url');
}

function decodeOffset(token: string): number {
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  if (!m) throw invalid('pageToken');
  return Number(m[1]);
}

function splitIds(value: unknown): string[] {
  const text = str(value);
  return text
    ? text
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '')
    : [];
}

function stringRecord(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record))
    if (v !== null && v !== undefined) out[k] = String(v);
  return out;
}

/** Patch semantics for properties: a null value removes the key. */
function patchRecord(target: Record<string, string>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete target[k];
    else target[k] = String(v);
  }
}
