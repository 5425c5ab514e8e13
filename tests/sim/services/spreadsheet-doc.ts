// Spreadsheet: one spreadsheet document as SpreadsheetApp.openById/create return it:
// its sheets, A1 ranges across sheets, protections and sharing.
// doc: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet

import { splitSheetPrefix } from './spreadsheet-a1';
import {
  emailOf,
  type SheetsContext,
  type Subset,
  type UserLike,
  userObject,
} from './spreadsheet-context';
import { SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import {
  DEFAULT_COLUMNS,
  DEFAULT_ROWS,
  type DocState,
  ensureRoom,
  newSheet,
  type SheetState,
} from './spreadsheet-model';
import { SimProtection } from './spreadsheet-protection';
import type { SimRange } from './spreadsheet-range';
import { assertFreeName, SimSheet } from './spreadsheet-sheet';

type Real = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const SPREADSHEET_MIME_TYPE = 'application/vnd.google-apps.spreadsheet';
export const SPREADSHEET_TIME_ZONE = 'Etc/UTC';

export function spreadsheetUrl(id: string): string {
  return `https://docs.google.com/spreadsheets/d/${id}/edit`;
}

/** Sheet ids (gids): 0 for the first sheet, then large stable numbers as Sheets gives. */
export function nextSheetId(doc: DocState): number {
  doc.nextSheetId = (doc.nextSheetId * 48_271 + 12_345) % 2_147_483_647;
  return doc.nextSheetId;
}

/** Which sheet new sheets go after and A1 ranges without a sheet name refer to. */
const activeSheets = new WeakMap<DocState, number>();

export class SimSpreadsheet
  implements
    Subset<
      Real,
      | 'getId'
      | 'getUrl'
      | 'getName'
      | 'rename'
      | 'getSheets'
      | 'getNumSheets'
      | 'getSheetByName'
      | 'getSheetById'
      | 'getActiveSheet'
      | 'insertSheet'
      | 'getRange'
      | 'getProtections'
      | 'addEditor'
      | 'addEditors'
      | 'addViewer'
      | 'addViewers'
      | 'removeEditor'
      | 'removeViewer'
      | 'getEditors'
      | 'getViewers'
      | 'getOwner'
      | 'getSpreadsheetTimeZone'
    >
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState,
  ) {}

  private read<T>(method: string, fn: () => T): T {
    return this.ctx.call(`sheets.Spreadsheet.${method}`, this.doc, 'read', fn);
  }

  private write<T>(method: string, fn: () => T): T {
    return this.ctx.call(`sheets.Spreadsheet.${method}`, this.doc, 'write', fn);
  }

  private sheetObject(sheet: SheetState): SimSheet {
    return new SimSheet(this.ctx, this.doc, sheet.sheetId);
  }

  private active(): SheetState {
    const id = activeSheets.get(this.doc);
    return this.doc.sheets.find((s) => s.sheetId === id) ?? this.doc.sheets[0]!;
  }

  // ---- identity (no call) ----

  getId(): string {
    return this.doc.id;
  }

  getUrl(): string {
    return spreadsheetUrl(this.doc.id);
  }

  getName(): string {
    return this.doc.name;
  }

  getSpreadsheetTimeZone(): string {
    return SPREADSHEET_TIME_ZONE;
  }

  rename(newName: string): void {
    this.write('rename', () => {
      this.doc.name = newName;
    });
  }

  // ---- sheets ----

  getSheets(): SimSheet[] {
    return this.read('getSheets', () => this.doc.sheets.map((s) => this.sheetObject(s)));
  }

  getNumSheets(): number {
    return this.read('getNumSheets', () => this.doc.sheets.length);
  }

  /** "Returns a sheet with the given name" or null. */
  getSheetByName(name: string): SimSheet | null {
    return this.read('getSheetByName', () => {
      const sheet = this.doc.sheets.find((s) => s.name === name);
      return sheet ? this.sheetObject(sheet) : null;
    });
  }

  getSheetById(id: number): SimSheet | null {
    return this.read('getSheetById', () => {
      const sheet = this.doc.sheets.find((s) => s.sheetId === id);
      return sheet ? this.sheetObject(sheet) : null;
    });
  }

  getActiveSheet(): SimSheet {
    return this.sheetObject(this.active());
  }

  /**
   * insertSheet([sheetName][, sheetIndex][, options]): a new 1000x26 sheet, placed after the
   * active sheet unless an index is given; it becomes the active sheet. (options.template is
   * not simulated.)
   */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#insertsheetsheetname
  insertSheet(a?: string | number | object, b?: number | object, _c?: object): SimSheet {
    return this.write('insertSheet', () => {
      const name = typeof a === 'string' ? a : this.defaultName();
      const index =
        typeof a === 'number'
          ? a
          : typeof b === 'number'
            ? b
            : this.doc.sheets.indexOf(this.active()) + 1;
      assertFreeName(this.doc, name);
      ensureRoom(this.doc, DEFAULT_ROWS * DEFAULT_COLUMNS);
      const sheet = newSheet(nextSheetId(this.doc), name);
      this.doc.sheets.splice(Math.max(0, Math.min(index, this.doc.sheets.length)), 0, sheet);
      activeSheets.set(this.doc, sheet.sheetId);
      return this.sheetObject(sheet);
    });
  }

  private defaultName(): string {
    for (let n = this.doc.sheets.length + 1; ; n += 1) {
      const name = `Sheet${n}`;
      if (!this.doc.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) return name;
    }
  }

  /** 'Sessions!A1:B2', or an A1 range on the active sheet. */
  getRange(a1Notation: string): SimRange {
    const { sheetName } = splitSheetPrefix(a1Notation);
    const sheet =
      sheetName === undefined ? this.active() : this.doc.sheets.find((s) => s.name === sheetName);
    if (!sheet) throw sheetsException(SHEETS_MESSAGES.rangeNotFound);
    return this.sheetObject(sheet).getRange(a1Notation);
  }

  getProtections(type: GoogleAppsScript.Spreadsheet.ProtectionType): SimProtection[] {
    return this.read('getProtections', () =>
      this.doc.protections
        .filter((p) => p.kind === String(type))
        .map((p) => new SimProtection(this.ctx, this.doc, p.id)),
    );
  }

  // ---- sharing ----

  addEditor(user: UserLike): SimSpreadsheet {
    return this.share('addEditor', [emailOf(user)], 'editor');
  }

  addEditors(emailAddresses: string[]): SimSpreadsheet {
    return this.share(
      'addEditors',
      emailAddresses.map((e) => e.toLowerCase()),
      'editor',
    );
  }

  addViewer(user: UserLike): SimSpreadsheet {
    return this.share('addViewer', [emailOf(user)], 'viewer');
  }

  addViewers(emailAddresses: string[]): SimSpreadsheet {
    return this.share(
      'addViewers',
      emailAddresses.map((e) => e.toLowerCase()),
      'viewer',
    );
  }

  /** An editor added as a viewer stays an editor (Drive keeps the higher role). */
  private share(method: string, emails: string[], role: 'editor' | 'viewer'): SimSpreadsheet {
    return this.write(method, () => {
      for (const email of emails) {
        if (email === this.doc.owner) continue;
        if (role === 'editor') {
          this.doc.viewers = this.doc.viewers.filter((v) => v !== email);
          if (!this.doc.editors.includes(email)) this.doc.editors.push(email);
        } else if (!this.doc.editors.includes(email) && !this.doc.viewers.includes(email)) {
          this.doc.viewers.push(email);
        }
      }
      return this;
    });
  }

  removeEditor(user: UserLike): SimSpreadsheet {
    return this.write('removeEditor', () => {
      const email = emailOf(user);
      this.doc.editors = this.doc.editors.filter((e) => e !== email);
      return this;
    });
  }

  removeViewer(user: UserLike): SimSpreadsheet {
    return this.write('removeViewer', () => {
      const email = emailOf(user);
      this.doc.viewers = this.doc.viewers.filter((e) => e !== email);
      return this;
    });
  }

  /** The owner and editors; empty for a user who cannot edit (as DriveApp's File.getEditors). */
  getEditors(): GoogleAppsScript.Base.User[] {
    return this.read('getEditors', () =>
      this.ctx.canEdit(this.doc, this.ctx.user())
        ? [this.doc.owner, ...this.doc.editors].map(userObject)
        : [],
    );
  }

  getViewers(): GoogleAppsScript.Base.User[] {
    return this.read('getViewers', () =>
      this.ctx.canEdit(this.doc, this.ctx.user()) ? this.doc.viewers.map(userObject) : [],
    );
  }

  getOwner(): GoogleAppsScript.Base.User {
    return this.read('getOwner', () => userObject(this.doc.owner));
  }
}
