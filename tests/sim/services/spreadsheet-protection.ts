// Protected ranges and sheets (Range.protect / Sheet.protect) and the rule they enforce:
// a user who is neither the spreadsheet owner nor an editor of the protection cannot
// change the protected cells.
// doc: https://developers.google.com/apps-script/reference/spreadsheet/protection

import { rectToA1 } from './spreadsheet-a1';
import {
  emailOf,
  type SheetsContext,
  type Subset,
  type UserLike,
  userObject,
} from './spreadsheet-context';
import { SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import type { DocState, ProtectionState, SheetState } from './spreadsheet-model';
import { SimRange } from './spreadsheet-range';

type Real = GoogleAppsScript.Spreadsheet.Protection;

/** True when `user` may edit cells under `p`. */
export function protectionAllows(
  ctx: SheetsContext,
  doc: DocState,
  p: ProtectionState,
  user: string,
): boolean {
  if (user === doc.owner) return true; // "The owner of the spreadsheet is always able to edit"
  if (p.mirrorsSpreadsheet) return ctx.canEdit(doc, user);
  if (ctx.listed(p.editors, user)) return true;
  return p.domainEdit && ctx.kernel.directory.inDomain(user);
}

/** Throws Apps Script's protected-cell error unless every protection over the cells allows `user`. */
export function assertUnprotected(
  ctx: SheetsContext,
  doc: DocState,
  protections: ProtectionState[],
  user: string,
): void {
  for (const p of protections) {
    // Warning-only protection asks the UI user to confirm; a script's edit goes through.
    // doc: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#ProtectedRange
    //      ("every user can edit data in the protected range, except editing will prompt a
    //      warning asking the user to confirm the edit ... if this field is true, then editors
    //      are ignored")
    if (p.warningOnly) continue;
    if (!protectionAllows(ctx, doc, p, user)) throw sheetsException(SHEETS_MESSAGES.protectedCell);
  }
}

export class SimProtection
  implements
    Subset<
      Real,
      | 'addEditor'
      | 'addEditors'
      | 'canDomainEdit'
      | 'canEdit'
      | 'getDescription'
      | 'getEditors'
      | 'getProtectionType'
      | 'getRange'
      | 'getUnprotectedRanges'
      | 'isWarningOnly'
      | 'remove'
      | 'removeEditor'
      | 'removeEditors'
      | 'setDescription'
      | 'setDomainEdit'
      | 'setWarningOnly'
    >
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState,
    private readonly id: number,
  ) {}

  private state(): ProtectionState {
    const p = this.doc.protections.find((x) => x.id === this.id);
    // A removed protection: Apps Script reports it as a back-end failure on the document.
    if (!p) throw sheetsException(SHEETS_MESSAGES.serviceFailed(this.doc.id));
    return p;
  }

  private sheet(p: ProtectionState): SheetState {
    const sheet = this.doc.sheets.find((s) => s.sheetId === p.sheetId);
    if (!sheet) throw sheetsException(SHEETS_MESSAGES.serviceFailed(this.doc.id));
    return sheet;
  }

  /** Changing a protection needs the right to edit it (we chose the protected-cell message). */
  private change(method: string, fn: (p: ProtectionState) => void): this {
    return this.ctx.call(`sheets.Protection.${method}`, this.doc, 'write', () => {
      const p = this.state();
      if (!protectionAllows(this.ctx, this.doc, p, this.ctx.user())) {
        throw sheetsException(SHEETS_MESSAGES.protectedCell);
      }
      fn(p);
      return this;
    });
  }

  private read<T>(method: string, fn: (p: ProtectionState) => T): T {
    return this.ctx.call(`sheets.Protection.${method}`, this.doc, 'read', () => fn(this.state()));
  }

  /** Editing the list ends the mirroring of the spreadsheet's permissions. */
  private setEditors(p: ProtectionState, editors: string[]): void {
    if (p.mirrorsSpreadsheet) {
      p.mirrorsSpreadsheet = false;
    }
    p.editors = [...new Set(editors)];
  }

  addEditor(user: UserLike): SimProtection {
    return this.change('addEditor', (p) => this.setEditors(p, [...p.editors, emailOf(user)]));
  }

  addEditors(emailAddresses: string[]): SimProtection {
    return this.change('addEditors', (p) =>
      this.setEditors(p, [...p.editors, ...emailAddresses.map((e) => e.toLowerCase())]),
    );
  }

  removeEditor(user: UserLike): SimProtection {
    return this.removeAll('removeEditor', [user]);
  }

  removeEditors(users: UserLike[]): SimProtection {
    return this.removeAll('removeEditors', users);
  }

  /** "Neither the owner of the spreadsheet nor the current user can be removed." */
  private removeAll(method: string, users: UserLike[]): SimProtection {
    const keep = new Set([this.doc.owner, this.ctx.user()]);
    const gone = new Set(users.map(emailOf).filter((e) => !keep.has(e)));
    return this.change(method, (p) =>
      this.setEditors(
        p,
        p.editors.filter((e) => !gone.has(e)),
      ),
    );
  }

  getEditors(): GoogleAppsScript.Base.User[] {
    return this.read('getEditors', (p) => p.editors.map(userObject));
  }

  canEdit(): boolean {
    return this.read('canEdit', (p) => protectionAllows(this.ctx, this.doc, p, this.ctx.user()));
  }

  canDomainEdit(): boolean {
    return this.read('canDomainEdit', (p) => p.domainEdit);
  }

  setDomainEdit(editable: boolean): SimProtection {
    return this.change('setDomainEdit', (p) => {
      p.mirrorsSpreadsheet = false;
      p.domainEdit = editable;
    });
  }

  getDescription(): string {
    return this.read('getDescription', (p) => p.description);
  }

  setDescription(description: string): SimProtection {
    return this.change('setDescription', (p) => {
      p.description = description;
    });
  }

  isWarningOnly(): boolean {
    return this.read('isWarningOnly', (p) => p.warningOnly);
  }

  setWarningOnly(warningOnly: boolean): SimProtection {
    return this.change('setWarningOnly', (p) => {
      p.warningOnly = warningOnly;
    });
  }

  /**
   * "Unprotects the given array of ranges within a protected sheet." Each range must be on
   * the protected sheet, and only a SHEET protection has holes (a Range protection refuses);
   * the new list replaces the old one.
   * doc: https://developers.google.com/apps-script/reference/spreadsheet/protection#setUnprotectedRanges(Range)
   * doc: https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/sheets#ProtectedRange
   *      ("Unprotected ranges are only supported on protected sheets.")
   * assumption: the wording of the refusal (Google documents that it throws, not the text).
   * Takes simulated Ranges, so it is outside the checked subset above.
   */
  setUnprotectedRanges(ranges: SimRange[]): SimProtection {
    return this.change('setUnprotectedRanges', (p) => {
      if (p.kind !== 'SHEET')
        throw sheetsException('Unprotected ranges can only be set on a protected sheet.');
      const refs = ranges.map((r) => r.gridRef());
      if (refs.some((r) => r.sheetId !== p.sheetId))
        throw sheetsException('The unprotected ranges must be on the protected sheet.');
      p.unprotected = refs.map((r) => ({ ...r.rect }));
    });
  }

  /** "If the Protection object corresponds to a protected range ... returns an empty array." */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/protection#getUnprotectedRanges()
  getUnprotectedRanges(): SimRange[] {
    return this.read('getUnprotectedRanges', (p) =>
      p.unprotected.map((rect) => new SimRange(this.ctx, this.doc, p.sheetId, rect)),
    );
  }

  getProtectionType(): GoogleAppsScript.Spreadsheet.ProtectionType {
    return this.read(
      'getProtectionType',
      (p) => p.kind as unknown as GoogleAppsScript.Spreadsheet.ProtectionType,
    );
  }

  getRange(): SimRange {
    return this.read('getRange', (p) => {
      const sheet = this.sheet(p);
      const rect = p.rect ?? { row: 1, col: 1, numRows: sheet.maxRows, numCols: sheet.maxCols };
      return new SimRange(this.ctx, this.doc, sheet.sheetId, rect);
    });
  }

  remove(): void {
    this.change('remove', (p) => {
      this.doc.protections = this.doc.protections.filter((x) => x !== p);
    });
  }
}

/** Protections as plain data, for world/test inspection. */
export function describeProtection(doc: DocState, p: ProtectionState) {
  const sheet = doc.sheets.find((s) => s.sheetId === p.sheetId);
  return {
    sheet: sheet?.name ?? '',
    type: p.kind,
    a1: p.rect ? rectToA1(p.rect) : null,
    description: p.description,
    editors: [...p.editors],
    domainEdit: p.domainEdit,
    warningOnly: p.warningOnly,
    mirrorsSpreadsheet: p.mirrorsSpreadsheet,
    unprotected: p.unprotected.map(rectToA1),
  };
}
