// What every simulated SpreadsheetApp object shares: the stored documents, the kernel
// (each call counted and timed as `sheets.<Class>.<method>`), Drive for access, and the
// mapping of a failed call to the Exception Apps Script throws.

import { GoogleApiError } from '../kernel/google-error';
import { type SimKernel, TransportTimeout } from '../kernel/kernel';
import { latencyFor } from '../kernel/latency';
import type { DriveWorld } from '../kernel/world-ports';
import { SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import type { DocState } from './spreadsheet-model';

export type Access = 'none' | 'read' | 'write';

/**
 * The latency table names `sheets.openById` and `sheets.create`; our keys are
 * `sheets.SpreadsheetApp.openById`..., so they are charged under those names unless the
 * table gains an entry for the full key.
 */
const LATENCY_ALIAS: Record<string, string> = {
  'sheets.SpreadsheetApp.openById': 'sheets.openById',
  'sheets.SpreadsheetApp.openByUrl': 'sheets.openById',
  'sheets.SpreadsheetApp.create': 'sheets.create',
};

/**
 * The methods K of an Apps Script interface with their real parameter lists (a renamed
 * method or changed parameter type is a compile error); results are the simulated classes,
 * so object results are not compared, primitive ones are.
 */
export type Subset<T, K extends keyof T> = {
  [P in K]: T[P] extends (...args: infer A) => infer R
    ? (...args: A) => R extends object ? unknown : R
    : T[P];
};

/** Anything with getEmail(), as Apps Script's User; or a plain address. */
export type UserLike = string | { getEmail(): string };

export function emailOf(user: UserLike): string {
  return (typeof user === 'string' ? user : user.getEmail()).toLowerCase();
}

export function userObject(email: string): GoogleAppsScript.Base.User {
  return {
    getEmail: () => email,
    getUserLoginId: () => email,
  };
}

export class SheetsContext {
  readonly docs = new Map<string, DocState>();
  /** World fault: writes fail until this simulated time. */
  writesFailUntil = 0;

  constructor(
    readonly kernel: SimKernel,
    readonly drive: DriveWorld,
  ) {}

  user(): string {
    return this.kernel.effectiveUser();
  }

  canRead(doc: DocState, user: string): boolean {
    if (this.binnedFor(doc, user)) return false;
    return (
      this.canEdit(doc, user) || this.drive.canRead(user, doc.id) || this.listed(doc.viewers, user)
    );
  }

  canEdit(doc: DocState, user: string): boolean {
    if (this.binnedFor(doc, user)) return false;
    return user === doc.owner || this.drive.canEdit(user, doc.id) || this.listed(doc.editors, user);
  }

  /**
   * A spreadsheet in its owner's Bin: "other users can't view files in the owner's trash"
   * (doc: https://developers.google.com/workspace/drive/api/guides/delete).
   * assumption: the owner's scripts still open it by id (Google is silent; the Drive UI opens a
   * binned file for its owner), so a script can go on writing to a log nobody else can see.
   */
  private binnedFor(doc: DocState, user: string): boolean {
    return user !== doc.owner && this.drive.isTrashed?.(doc.id) === true;
  }

  listed(list: readonly string[], user: string): boolean {
    return list.some((entry) => this.kernel.directory.covers(entry, user));
  }

  /**
   * One SpreadsheetApp call: counted, timed and possibly failed by the kernel, then checked
   * for access to `doc` as the effective user. Google failures become Apps Script's
   * Exceptions about the document.
   */
  call<T>(key: string, doc: DocState | undefined, access: Access, op: () => T, docId = doc?.id): T {
    const alias = LATENCY_ALIAS[key];
    const latencyMs =
      alias && !(key in this.kernel.latency) ? latencyFor(alias, this.kernel.latency) : undefined;
    try {
      return this.kernel.invoke(
        key,
        () => {
          if (doc && access !== 'none') this.checkAccess(doc, access);
          if (access === 'write' && this.kernel.now() < this.writesFailUntil) {
            throw new GoogleApiError('UNAVAILABLE', 'The service is currently unavailable.');
          }
          return op();
        },
        latencyMs === undefined ? {} : { latencyMs },
      );
    } catch (error) {
      throw this.mapFailure(error, docId);
    }
  }

  private checkAccess(doc: DocState, access: Access): void {
    const user = this.user();
    // A deleted (or trashed and purged) file fails like a back-end error.
    if (!this.drive.exists(doc.id)) throw new GoogleApiError('NOT_FOUND', 'File not found');
    const ok = access === 'write' ? this.canEdit(doc, user) : this.canRead(doc, user);
    // No documented message for a viewer writing; Apps Script reports the same access error.
    if (!ok) throw sheetsException(SHEETS_MESSAGES.noAccess);
  }

  mapFailure(error: unknown, docId: string | undefined): unknown {
    if (error instanceof GoogleApiError) {
      if (error.code === 429) return sheetsException(SHEETS_MESSAGES.tooManyCalls);
      return sheetsException(
        docId ? SHEETS_MESSAGES.serviceFailed(docId) : SHEETS_MESSAGES.serviceError,
      );
    }
    if (error instanceof TransportTimeout) {
      return sheetsException(
        docId ? SHEETS_MESSAGES.serviceTimedOut(docId) : SHEETS_MESSAGES.serviceError,
      );
    }
    return error;
  }
}
