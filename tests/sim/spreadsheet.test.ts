// The simulated SpreadsheetApp against Google's documented (and observed) behaviour:
// typed round trips, exact error messages, formula injection, protections, access,
// A1 parsing, service failures and call counting.

import { SimKernel } from './kernel/kernel';
import type { DriveWorld } from './kernel/world-ports';
import { SimSpreadsheets } from './services/spreadsheet';

const DOMAIN = 'school.test';
const BOT = `automation@${DOMAIN}`;
const TEACHER = `teacher@${DOMAIN}`;
const DSL = `dsl@${DOMAIN}`;
const OUTSIDER = 'someone@elsewhere.test';

/** A tiny Drive: files with an owner and per-user roles. */
class FakeDrive implements DriveWorld {
  readonly files = new Map<
    string,
    { name: string; mimeType: string; owner: string; roles: Map<string, 'reader' | 'writer'> }
  >();
  private serial = 0;

  createFile(spec: { name: string; mimeType: string; owner: string }): { id: string } {
    this.serial += 1;
    const id = `1SimSheet${this.serial.toString().padStart(4, '0')}abcdefghijklmnopqrstuv`;
    this.files.set(id, {
      name: spec.name,
      mimeType: spec.mimeType,
      owner: spec.owner,
      roles: new Map(),
    });
    return { id };
  }

  ensureMyDriveFolder(owner: string, name: string): string {
    return `folder-${owner}-${name}`;
  }

  exists(fileId: string): boolean {
    return this.files.has(fileId);
  }

  canRead(user: string, fileId: string): boolean {
    const file = this.files.get(fileId);
    return !!file && (file.owner === user || file.roles.has(user));
  }

  canEdit(user: string, fileId: string): boolean {
    const file = this.files.get(fileId);
    return !!file && (file.owner === user || file.roles.get(user) === 'writer');
  }

  share(fileId: string, user: string, role: 'reader' | 'writer'): void {
    this.files.get(fileId)!.roles.set(user, role);
  }
}

function setup() {
  const kernel = new SimKernel({ start: Date.UTC(2025, 8, 1, 8, 0, 0), domain: DOMAIN });
  for (const [email, kind] of [
    [BOT, 'service'],
    [TEACHER, 'staff'],
    [DSL, 'staff'],
    [OUTSIDER, 'external'],
  ] as const) {
    kernel.directory.add({ email, name: email, kind });
  }
  const drive = new FakeDrive();
  const sheets = new SimSpreadsheets(kernel, drive);
  const app = sheets.global();
  /** Runs `fn` as one Apps Script execution of `user`, rethrowing what it threw. */
  const as = <T>(user: string, fn: () => T): T => {
    const result = kernel.runExecution({ user, kind: 'trigger', functionName: 'test' }, fn);
    if (!result.ok) throw result.error;
    return result.value as T;
  };
  const newLog = () => as(BOT, () => app.create('Safeguarding log').getId());
  return { kernel, drive, sheets, app, as, newLog };
}

/** The message of what `fn` threw, checking it is an Apps Script Exception. */
function thrown(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect((error as Error).name).toBe('Exception');
    return (error as Error).message;
  }
  throw new Error('expected an exception');
}

describe('create, sheets and typed round trips', () => {
  it('creates the spreadsheet as a Drive file of the automation account', () => {
    const { app, as, drive, sheets } = setup();
    const ss = as(BOT, () => app.create('Safeguarding log'));
    const file = drive.files.get(ss.getId())!;
    expect(file).toMatchObject({ owner: BOT, mimeType: 'application/vnd.google-apps.spreadsheet' });
    expect(ss.getUrl()).toBe(`https://docs.google.com/spreadsheets/d/${ss.getId()}/edit`);
    expect(sheets.sheetNames(ss.getId())).toEqual(['Sheet1']);
    expect(as(BOT, () => ss.getSheets()[0]!.getMaxRows())).toBe(1000);
    expect(as(BOT, () => ss.getSheets()[0]!.getMaxColumns())).toBe(26);
  });

  it('inserts named sheets in order and refuses a duplicate name', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const ss = app.openById(id);
      for (const name of ['Sessions', 'Attendance', 'Incidents']) ss.insertSheet(name);
      expect(ss.getSheetByName('Attendance')!.getName()).toBe('Attendance');
      expect(ss.getSheetByName('Nope')).toBeNull();
      expect(thrown(() => ss.insertSheet('Sessions'))).toBe(
        'A sheet with the name "Sessions" already exists. Please enter another name.',
      );
      expect(thrown(() => ss.insertSheet('SESSIONS'))).toContain('already exists');
    });
    expect(sheets.sheetNames(id)).toEqual(['Sheet1', 'Sessions', 'Attendance', 'Incidents']);
  });

  it('returns numbers, booleans and Dates typed, and empty cells as empty strings', () => {
    const { app, as, newLog } = setup();
    const id = newLog();
    const when = new Date(Date.UTC(2025, 8, 1, 9, 30));
    const values = as(BOT, () => {
      const sheet = app.openById(id).insertSheet('Sessions');
      sheet.getRange(1, 1, 2, 4).setValues([
        ['id', 'start', 'pupils', 'recorded'],
        ['s-1', when, 27, true],
      ]);
      return sheet.getRange('A1:E3').getValues();
    });
    expect(values).toEqual([
      ['id', 'start', 'pupils', 'recorded', ''],
      ['s-1', when, 27, true, ''],
      ['', '', '', '', ''],
    ]);
    expect(values[1]![1]).toBeInstanceOf(Date);
    expect(values[1]![1]).not.toBe(when); // a copy, not our Date
  });

  it('reads whole tables through getDataRange and getLastRow/getLastColumn', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const sheet = app.openById(id).getSheets()[0]!;
      expect(sheet.getLastRow()).toBe(0);
      expect(sheet.getDataRange().getA1Notation()).toBe('A1');
      sheet.getRange('B2:C3').setValues([
        ['a', 'b'],
        ['c', 'd'],
      ]);
      expect(sheet.getLastRow()).toBe(3);
      expect(sheet.getLastColumn()).toBe(3);
      expect(sheet.getDataRange().getA1Notation()).toBe('A1:C3');
    });
    expect(sheets.table(id, 'Sheet1')).toEqual([
      ['', '', ''],
      ['', 'a', 'b'],
      ['', 'c', 'd'],
    ]);
  });

  it('parses number- and boolean-looking strings unless the cell is plain text', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const sheet = app.openById(id).getSheets()[0]!;
      sheet.getRange('A1:E1').setValues([['00123', 'TRUE', 'false', '12%', '2025-09-01']]);
      sheet.getRange('A2:C2').setNumberFormat('@');
      sheet.getRange('A2:C2').setValues([['00123', 'TRUE', '2025-09-01']]);
      expect(sheet.getRange('A2').getNumberFormat()).toBe('@');
    });
    const [parsed, plain] = sheets.table(id, 'Sheet1');
    expect(parsed).toEqual([123, true, false, 0.12, new Date(Date.UTC(2025, 8, 1))]);
    expect(plain!.slice(0, 3)).toEqual(['00123', 'TRUE', '2025-09-01']);
  });
});

describe('setValues dimensions', () => {
  it('throws Apps Script’s messages when the array does not match the range, and writes nothing', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const range = app.openById(id).getSheets()[0]!.getRange(1, 1, 2, 3);
      expect(thrown(() => range.setValues([['a', 'b', 'c']]))).toBe(
        'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
      );
      expect(
        thrown(() =>
          range.setValues([
            ['a', 'b', 'c'],
            ['d', 'e'],
          ]),
        ),
      ).toBe(
        'The number of columns in the data does not match the number of columns in the range. The data has 2 but the range has 3.',
      );
    });
    expect(sheets.table(id, 'Sheet1')).toEqual([]);
  });

  it('rejects a cell over 50,000 characters', () => {
    const { app, as, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const cell = app.openById(id).getSheets()[0]!.getRange('A1');
      expect(thrown(() => cell.setValue('x'.repeat(50_001)))).toBe(
        'Your input contains more than the maximum of 50000 characters in a single cell.',
      );
    });
  });
});

describe('formula injection', () => {
  const link = '=HYPERLINK("https://evil.example/x","Open recording")';

  it('turns a raw "=..." string into a formula, whichever way it is written', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    const read = as(BOT, () => {
      const sheet = app.openById(id).getSheets()[0]!;
      sheet.getRange('A1').setValues([[link]]);
      sheet.getRange('B1').setValue('=IMPORTXML("https://evil.example","//a")');
      sheet.appendRow(['=1+1', 'plain']);
      return {
        values: sheet.getRange('A1:B2').getValues(),
        formulas: sheet.getRange('A1:B2').getFormulas(),
      };
    });
    expect(read.formulas).toEqual([
      [link, '=IMPORTXML("https://evil.example","//a")'],
      ['=1+1', ''],
    ]);
    // Not evaluated: HYPERLINK shows its label, anything else '#NAME?'.
    expect(read.values).toEqual([
      ['Open recording', '#NAME?'],
      ['#NAME?', 'plain'],
    ]);
    expect(sheets.formulaCells(id).map((f) => f.a1)).toEqual(['A1', 'B1', 'A2']);
  });

  it('keeps a leading-apostrophe string as text and drops the apostrophe', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    const read = as(BOT, () => {
      const sheet = app.openById(id).getSheets()[0]!;
      sheet.getRange('A1:B1').setValues([[`'${link}`, "'00123"]]);
      sheet.appendRow([`'=1+1`]);
      return {
        values: sheet.getRange('A1:B2').getValues(),
        formulas: sheet.getRange('A1:B1').getFormulas(),
      };
    });
    expect(read.values).toEqual([
      [link, '00123'],
      ['=1+1', ''],
    ]);
    expect(read.formulas).toEqual([['', '']]);
    expect(sheets.formulaCells(id)).toEqual([]);
  });

  it('keeps "=..." literal in a plain-text (@) cell', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const range = app.openById(id).getSheets()[0]!.getRange('A1');
      range.setNumberFormat('@').setValue(link);
    });
    expect(sheets.formulaCells(id)).toEqual([]);
    expect(sheets.table(id, 'Sheet1')).toEqual([[link]]);
  });
});

describe('protected ranges', () => {
  function protectedLog() {
    const env = setup();
    const id = env.newLog();
    env.as(BOT, () => {
      const ss = env.app.openById(id);
      ss.addEditor(TEACHER).addEditor(DSL);
      const sheet = ss.insertSheet('Incidents');
      const protection = sheet.getRange('A1:F10').protect().setDescription('Incident log');
      // Before the editor list changes, the protection mirrors the spreadsheet's sharing.
      expect(env.sheets.protections(id)[0]!.mirrorsSpreadsheet).toBe(true);
      protection.addEditor(BOT);
      protection.removeEditors(protection.getEditors());
      protection.addEditor(DSL);
    });
    return { ...env, id };
  }

  it('refuses a spreadsheet editor who is not an editor of the protection', () => {
    const { app, as, id, sheets } = protectedLog();
    expect(sheets.protections(id)).toEqual([
      expect.objectContaining({
        sheet: 'Incidents',
        type: 'RANGE',
        a1: 'A1:F10',
        description: 'Incident log',
        editors: [BOT, DSL],
      }),
    ]);
    as(TEACHER, () => {
      const sheet = app.openById(id).getSheetByName('Incidents')!;
      expect(thrown(() => sheet.getRange('B2').setValue('changed'))).toBe(
        'You are trying to edit a protected cell or object. Please contact the spreadsheet owner to remove protection if you need to edit.',
      );
      expect(thrown(() => sheet.getRange('F10:G11').setBackground('#ff0000'))).toContain(
        'protected cell',
      );
      expect(thrown(() => sheet.deleteRow(5))).toContain('protected cell');
      expect(sheet.getRange('A1').canEdit()).toBe(false);
      const [protection] = sheet.getProtections(app.ProtectionType.RANGE);
      expect(protection!.canEdit()).toBe(false);
      sheet.getRange('G1').setValue('outside'); // unprotected cells stay editable
      expect(sheet.getRange('G1').canEdit()).toBe(true);
    });
    as(DSL, () => app.openById(id).getSheetByName('Incidents')!.getRange('B2').setValue('by dsl'));
    as(BOT, () =>
      app.openById(id).getSheetByName('Incidents')!.getRange('B3').setValue('by owner'),
    );
    expect(sheets.table(id, 'Incidents').map((r) => r[1])).toEqual(['', 'by dsl', 'by owner']);
    expect(() => sheets.editAsUser(TEACHER, id, 'Incidents!C3', [['typed']])).toThrow(
      'protected cell',
    );
  });

  it('keeps the owner and the current user when removing editors, and lets warning-only through', () => {
    const { app, as, id, sheets } = protectedLog();
    as(BOT, () => {
      const [p] = app.openById(id).getProtections(app.ProtectionType.RANGE);
      p!.removeEditors([BOT, DSL]);
      expect(p!.getEditors().map((u) => u.getEmail())).toEqual([BOT]);
      p!.setWarningOnly(true);
    });
    as(TEACHER, () => app.openById(id).getSheetByName('Incidents')!.getRange('A1').setValue('ok'));
    expect(sheets.table(id, 'Incidents')).toEqual([['ok']]);
  });

  it('moves with the rows when rows are inserted above it', () => {
    const { app, as, id, sheets } = protectedLog();
    as(BOT, () => app.openById(id).getSheetByName('Incidents')!.insertRowsAfter(1, 2));
    expect(sheets.protections(id)[0]!.a1).toBe('A1:F12');
    as(TEACHER, () => {
      expect(
        thrown(() => app.openById(id).getSheetByName('Incidents')!.getRange('A12').setValue('x')),
      ).toContain('protected cell');
    });
  });
});

describe('protected sheets with holes (Protection.setUnprotectedRanges)', () => {
  function lockedLog() {
    const env = setup();
    const id = env.newLog();
    env.as(BOT, () => {
      const ss = env.app.openById(id);
      ss.addEditor(DSL).addEditor(TEACHER);
      const sheet = ss.insertSheet('Incidents');
      const p = sheet.protect().setDescription('Written by the automation');
      p.addEditor(BOT);
      p.removeEditors(p.getEditors());
      p.setUnprotectedRanges([sheet.getRange('L2:M'), sheet.getRange('R2:U')]);
    });
    return { ...env, id };
  }

  it('blocks a spreadsheet editor everywhere on the sheet except its unprotected ranges', () => {
    const { app, as, id, sheets } = lockedLog();
    expect(sheets.protections(id)).toEqual([
      expect.objectContaining({
        sheet: 'Incidents',
        type: 'SHEET',
        editors: [BOT],
        warningOnly: false,
        mirrorsSpreadsheet: false,
        unprotected: ['L2:M1000', 'R2:U1000'],
      }),
    ]);
    expect(() => sheets.editAsUser(DSL, id, 'Incidents!A2', [['changed']])).toThrow(
      'protected cell',
    );
    // A block that reaches one cell outside a hole is still refused.
    expect(() => sheets.editAsUser(DSL, id, 'Incidents!K2:L2', [['x', 'y']])).toThrow(
      'protected cell',
    );
    sheets.editAsUser(DSL, id, 'Incidents!L2:M2', [['closed', 'Spoke to parents']]);
    sheets.editAsUser(DSL, id, 'Incidents!R3', [['yes']]);
    as(DSL, () => {
      const sheet = app.openById(id).getSheetByName('Incidents')!;
      expect(thrown(() => sheet.getRange('B2').setValue('x'))).toContain('protected cell');
      expect(sheet.getRange('L5').canEdit()).toBe(true);
      expect(sheet.getRange('A5:L5').canEdit()).toBe(false);
      const [p] = sheet.getProtections(app.ProtectionType.SHEET);
      // An editor of the spreadsheet who is not an editor of the protection cannot lift it.
      expect(thrown(() => p!.remove())).toContain('protected cell');
      expect(thrown(() => p!.setWarningOnly(true))).toContain('protected cell');
      expect(p!.getUnprotectedRanges().map((r) => r.getA1Notation())).toEqual([
        'L2:M1000',
        'R2:U1000',
      ]);
    });
    // The owner writes anywhere, as the automation does.
    as(BOT, () => app.openById(id).getSheetByName('Incidents')!.getRange('A2').setValue('ok'));
    expect(sheets.table(id, 'Incidents')[1]!.slice(0, 1)).toEqual(['ok']);
    expect(sheets.table(id, 'Incidents')[1]![11]).toBe('closed');
  });

  it('refuses holes on a range protection and moves holes with inserted rows', () => {
    const { app, as, id, sheets } = lockedLog();
    as(BOT, () => {
      const sheet = app.openById(id).getSheetByName('Incidents')!;
      const rangeProtection = sheet.getRange('A1:B2').protect();
      expect(thrown(() => rangeProtection.setUnprotectedRanges([sheet.getRange('A1')]))).toMatch(
        /protected sheet/,
      );
      expect(rangeProtection.getUnprotectedRanges()).toEqual([]);
      rangeProtection.remove();
      sheet.insertRowsBefore(1, 2);
    });
    expect(sheets.protections(id)[0]!.unprotected).toEqual(['L4:M1002', 'R4:U1002']);
    expect(() => sheets.editAsUser(DSL, id, 'Incidents!L3', [['x']])).toThrow('protected cell');
    sheets.editAsUser(DSL, id, 'Incidents!L4', [['x']]);
  });

  it('lets a reader narrow a sheet with a temporary filter view, changing nothing', () => {
    const { as, app, id, sheets } = lockedLog();
    as(BOT, () =>
      app
        .openById(id)
        .getSheetByName('Incidents')!
        .getRange('A1:B3')
        .setValues([
          ['Teacher', 'Status'],
          ['a@school.test', 'open'],
          ['b@school.test', 'closed'],
        ]),
    );
    const before = JSON.stringify(sheets.table(id, 'Incidents'));
    expect(sheets.filterViewAsUser(DSL, id, 'Incidents', 'Status', 'open')).toEqual([
      ['Teacher', 'Status'],
      ['a@school.test', 'open'],
    ]);
    expect(JSON.stringify(sheets.table(id, 'Incidents'))).toBe(before);
    expect(() => sheets.filterViewAsUser(OUTSIDER, id, 'Incidents', 'Status', 'open')).toThrow(
      'permission',
    );
  });
});

describe('data validation (a dropdown of allowed values)', () => {
  it('makes a person pick from the list when invalid input is rejected, but not a script', () => {
    const { app, as, kernel, newLog, sheets } = setup();
    const id = newLog();
    kernel.calls.reset();
    as(BOT, () => {
      const ss = app.openById(id);
      ss.addEditor(DSL);
      const rule = app
        .newDataValidation()
        .requireValueInList(['open', 'in progress', 'closed'], true)
        .setAllowInvalid(false)
        .setHelpText('Choose a status')
        .build();
      const range = ss.getSheetByName('Sheet1')!.getRange('B2:B10');
      range.setDataValidation(rule);
      const read = range.getDataValidation()!;
      expect(read.getCriteriaType()).toBe(app.DataValidationCriteria.VALUE_IN_LIST);
      expect(read.getCriteriaValues()).toEqual([['open', 'in progress', 'closed'], true]);
      expect(read.getAllowInvalid()).toBe(false);
      // assumption (see spreadsheet-validation.ts): a script's write is not validated.
      range.getCell(9, 1).setValue('whatever');
    });
    // Builder steps are local; setting and reading the rule are calls.
    expect(kernel.calls.count('sheets.Range')).toBe(3);
    expect(sheets.validation(id, 'Sheet1', 'B5')).toMatchObject({
      values: ['open', 'in progress', 'closed'],
      allowInvalid: false,
    });
    expect(() => sheets.editAsUser(DSL, id, 'Sheet1!B3', [['shut']])).toThrow(
      /item on the specified list/,
    );
    sheets.editAsUser(DSL, id, 'Sheet1!B3', [['closed']]);
    sheets.editAsUser(DSL, id, 'Sheet1!B4', [['']]);
    expect(sheets.table(id, 'Sheet1').map((r) => r[1])).toEqual([
      '',
      '',
      'closed',
      '',
      '',
      '',
      '',
      '',
      '',
      'whatever',
    ]);
    // A new rule only warns unless told to reject ("The default ... is true").
    expect(app.newDataValidation().requireValueInList(['a']).build().getAllowInvalid()).toBe(true);
  });
});

describe('dashboard formatting and a chart kept in place', () => {
  it('sets a block of font weights in one call and updates a chart without replacing it', () => {
    const { app, as, kernel, newLog, sheets } = setup();
    const id = newLog();
    as(BOT, () => {
      const sheet = app.openById(id).getSheetByName('Sheet1')!;
      sheet.insertChart(
        sheet.newChart().addRange(sheet.getRange('A1:B3')).setPosition(1, 4, 0, 0).build(),
      );
    });
    const [before] = sheets.charts(id, 'Sheet1');
    kernel.calls.reset();
    as(BOT, () => {
      const sheet = app.openById(id).getSheetByName('Sheet1')!;
      sheet.getRange('A1:B2').setFontWeights([
        ['bold', 'bold'],
        [null, 'normal'],
      ]);
      const [chart] = sheet.getCharts();
      sheet.updateChart(
        chart!
          .modify()
          .clearRanges()
          .addRange(sheet.getRange('A1:B5'))
          .setPosition(2, 4, 0, 0)
          .build(),
      );
    });
    expect(kernel.calls.snapshot()).toEqual({
      'sheets.SpreadsheetApp.openById': 1,
      'sheets.Spreadsheet.getSheetByName': 1,
      'sheets.Range.setFontWeights': 1,
      'sheets.Sheet.getCharts': 1,
      'sheets.Sheet.updateChart': 1,
    });
    expect(sheets.cell(id, 'Sheet1', 'A1')?.fontWeight).toBe('bold');
    expect(sheets.cell(id, 'Sheet1', 'A2')?.fontWeight).toBe('normal');
    const after = sheets.charts(id, 'Sheet1');
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ chartId: before!.chartId, ranges: ['A1:B5'] });
    expect(after[0]!.position.anchorRow).toBe(2);
  });
});

describe('access', () => {
  it('opens only spreadsheets the user can read, and writes only with edit access', () => {
    const { app, as, drive, newLog, sheets } = setup();
    const id = newLog();
    expect(thrown(() => as(BOT, () => app.openById('no-such-id')))).toBe(
      'Unexpected error while getting the method or property openById on object SpreadsheetApp.',
    );
    expect(thrown(() => as(OUTSIDER, () => app.openById(id)))).toBe(
      'You do not have permission to access the requested document.',
    );
    drive.share(id, OUTSIDER, 'reader');
    as(OUTSIDER, () => {
      const range = app
        .openByUrl(`https://docs.google.com/spreadsheets/d/${id}/edit#gid=0`)
        .getSheets()[0]!
        .getRange('A1');
      expect(range.getValues()).toEqual([['']]);
      expect(thrown(() => range.setValue('x'))).toBe(
        'You do not have permission to access the requested document.',
      );
    });
    as(BOT, () => app.openById(id).addViewer(TEACHER));
    expect(as(TEACHER, () => app.openById(id).getName())).toBe('Safeguarding log');
    expect(sheets.sharing(id)).toEqual({ owner: BOT, editors: [], viewers: [TEACHER] });
  });
});

describe('A1 notation', () => {
  it('parses cells, blocks, open ends, whole columns and sheet prefixes', () => {
    const { app, as, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const ss = app.openById(id);
      ss.insertSheet('Sessions');
      ss.insertSheet('My sheet');
      const sheet = ss.getSheetByName('Sessions')!;
      const dims = (r: {
        getRow(): number;
        getColumn(): number;
        getNumRows(): number;
        getNumColumns(): number;
      }) => [r.getRow(), r.getColumn(), r.getNumRows(), r.getNumColumns()];
      expect(dims(sheet.getRange('A1:F10'))).toEqual([1, 1, 10, 6]);
      expect(dims(sheet.getRange('b3'))).toEqual([3, 2, 1, 1]);
      expect(dims(sheet.getRange('C3:A1'))).toEqual([1, 1, 3, 3]);
      expect(dims(sheet.getRange('A:C'))).toEqual([1, 1, 1000, 3]);
      expect(dims(sheet.getRange('A2:C'))).toEqual([2, 1, 999, 3]);
      expect(dims(sheet.getRange('2:3'))).toEqual([2, 1, 2, 26]);
      expect(dims(sheet.getRange('Z1'))).toEqual([1, 26, 1, 1]);
      expect(dims(app.create('wide', 5, 30).getSheets()[0]!.getRange('AA1'))).toEqual([
        1, 27, 1, 1,
      ]);
      expect(sheet.getRange(2, 2, 3, 4).getA1Notation()).toBe('B2:E4');

      const onSheet = ss.getRange('Sessions!A1:B2');
      expect(onSheet.getSheet().getName()).toBe('Sessions');
      expect(onSheet.getA1Notation()).toBe('A1:B2');
      expect(ss.getRange("'My sheet'!B2").getSheet().getName()).toBe('My sheet');

      expect(thrown(() => sheet.getRange('not a range'))).toBe('Range not found');
      expect(thrown(() => ss.getRange('Nope!A1'))).toBe('Range not found');
      expect(thrown(() => sheet.getRange('A1:A1001'))).toBe(
        'The coordinates of the range are outside the dimensions of the sheet.',
      );
      expect(thrown(() => sheet.getRange(0, 1))).toBe(
        'The starting row of the range is too small.',
      );
      expect(thrown(() => sheet.getRange(1, 1, 0, 1))).toBe(
        'The number of rows in the range must be at least 1.',
      );
    });
  });
});

describe('appendRow and rows', () => {
  it('appends after the last row with content and grows the grid past its edge', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const sheet = app.openById(id).getSheets()[0]!;
      sheet.appendRow(['id', 'count']);
      sheet.getRange('A5').setValue('gap');
      sheet.appendRow(['s-1', '7']);
      expect(sheet.getLastRow()).toBe(6);
      sheet.getRange('A1000').setValue('bottom');
      sheet.appendRow(['past', 'edge']);
      expect(sheet.getMaxRows()).toBe(1001);
    });
    const table = sheets.table(id, 'Sheet1');
    expect(table[0]).toEqual(['id', 'count']);
    expect(table[5]).toEqual(['s-1', 7]);
    expect(table[1000]).toEqual(['past', 'edge']);
  });

  it('deletes rows (not all of them) and inserts rows', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    as(BOT, () => {
      const sheet = app.openById(id).getSheets()[0]!;
      sheet.getRange('A1:A3').setValues([['a'], ['b'], ['c']]);
      sheet.deleteRow(2);
      sheet.insertRowsAfter(1, 1);
      expect(sheet.getMaxRows()).toBe(1000);
      expect(thrown(() => sheet.deleteRows(1, 1000))).toBe(
        'Sorry, it is not possible to delete all non-frozen rows.',
      );
      expect(thrown(() => sheet.deleteRow(1001))).toBe('Those rows are out of bounds.');
    });
    expect(sheets.table(id, 'Sheet1')).toEqual([['a'], [''], ['c']]);
  });

  it('holds at most 10 million cells per spreadsheet', () => {
    const { app, as } = setup();
    expect(thrown(() => as(BOT, () => app.create('too big', 100_001, 100)))).toBe(
      'This action would increase the number of cells in the workbook above the limit of 10000000 cells.',
    );
    as(BOT, () => {
      const ss = app.create('nearly full', 99_900, 100); // 9,990,000 cells
      expect(thrown(() => ss.insertSheet('Extra'))).toContain('above the limit of 10000000 cells');
    });
  });
});

describe('formats, rules, filter and charts are recorded', () => {
  it('records frozen rows, formats, conditional rules, a filter and a chart', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    const charts = sheets.chartsGlobal();
    as(BOT, () => {
      const sheet = app.openById(id).insertSheet('Dashboard');
      sheet.setFrozenRows(1);
      sheet.getRange('A1:C1').setFontWeight('bold').setBackground('#eeeeee');
      const rule = app
        .newConditionalFormatRule()
        .whenFormulaSatisfied('=$C2="open"')
        .setBackground('#f4cccc')
        .setRanges([sheet.getRange('A2:C100')])
        .build();
      const rule2 = app
        .newConditionalFormatRule()
        .whenTextEqualTo('closed')
        .setBackground('#d9ead3')
        .setRanges([sheet.getRange('C2:C100')])
        .build();
      sheet.setConditionalFormatRules([rule, rule2]);
      sheet.getRange('A1:C20').createFilter();
      expect(thrown(() => sheet.getRange('A1:B2').createFilter())).toBe(
        "You can't create a filter in a sheet that already has a filter.",
      );
      sheet.autoResizeColumns(1, 3);
      sheet.setColumnWidth(2, 240);
      const chart = sheet
        .newChart()
        .setChartType(charts.ChartType.COLUMN)
        .addRange(sheet.getRange('A1:B8'))
        .setPosition(2, 5, 0, 0)
        .build();
      sheet.insertChart(chart);
      expect(sheet.getCharts()).toHaveLength(1);
      expect(
        sheet.getConditionalFormatRules()[0]!.getBooleanCondition().getCriteriaValues(),
      ).toEqual(['=$C2="open"']);
    });
    expect(sheets.frozenRows(id, 'Dashboard')).toBe(1);
    expect(sheets.cell(id, 'Dashboard', 'B1')).toMatchObject({
      fontWeight: 'bold',
      background: '#eeeeee',
    });
    expect(sheets.conditionalFormats(id, 'Dashboard')).toEqual([
      expect.objectContaining({
        criteria: 'CUSTOM_FORMULA',
        values: ['=$C2="open"'],
        background: '#f4cccc',
        ranges: ['A2:C100'],
      }),
      expect.objectContaining({
        criteria: 'TEXT_EQUAL_TO',
        values: ['closed'],
        ranges: ['C2:C100'],
      }),
    ]);
    expect(sheets.filter(id, 'Dashboard')).toBe('A1:C20');
    expect(sheets.columnWidth(id, 'Dashboard', 2)).toBe(240);
    expect(sheets.charts(id, 'Dashboard')).toEqual([
      expect.objectContaining({
        chartType: 'COLUMN',
        ranges: ['A1:B8'],
        position: { anchorRow: 2, anchorColumn: 5, offsetX: 0, offsetY: 0 },
      }),
    ]);
  });
});

describe('service failures', () => {
  it('turns an injected 500 into Apps Script’s document error', () => {
    const { app, as, kernel, newLog } = setup();
    const id = newLog();
    kernel.faults.inject({ match: 'sheets.*', kind: 500, times: 1 });
    expect(thrown(() => as(BOT, () => app.openById(id)))).toBe(
      `Service Spreadsheets failed while accessing document with id ${id}.`,
    );
    kernel.faults.inject({ match: 'sheets.Range.getValues', kind: 500, times: 1 });
    expect(
      thrown(() => as(BOT, () => app.openById(id).getSheets()[0]!.getRange('A1').getValues())),
    ).toBe(`Service Spreadsheets failed while accessing document with id ${id}.`);
    expect(as(BOT, () => app.openById(id).getName())).toBe('Safeguarding log');
  });

  it('reports a 429 as the short-term rate limit and a time-out as timed out', () => {
    const { app, as, kernel, newLog } = setup();
    const id = newLog();
    kernel.faults.inject({ match: 'sheets.Sheet.appendRow', kind: 429, times: 1 });
    expect(thrown(() => as(BOT, () => app.openById(id).getSheets()[0]!.appendRow(['x'])))).toBe(
      'Service invoked too many times in a short time: spreadsheets. Try Utilities.sleep(1000) between calls.',
    );
    kernel.faults.inject({ match: 'sheets.Range.setValues', kind: 'timeout', times: 1 });
    expect(
      thrown(() =>
        as(BOT, () =>
          app
            .openById(id)
            .getSheets()[0]!
            .getRange('A1')
            .setValues([['x']]),
        ),
      ),
    ).toBe(`Service Spreadsheets timed out while accessing document with id ${id}.`);
  });

  it('fails writes, not reads, during a world outage', () => {
    const { app, as, sheets, kernel, newLog } = setup();
    const id = newLog();
    sheets.failWritesFor(60_000);
    as(BOT, () => {
      const range = app.openById(id).getSheets()[0]!.getRange('A1');
      expect(range.getValues()).toEqual([['']]);
      expect(thrown(() => range.setValue('x'))).toBe(
        `Service Spreadsheets failed while accessing document with id ${id}.`,
      );
    });
    kernel.clock.advance(60_000);
    as(BOT, () => app.openById(id).getSheets()[0]!.getRange('A1').setValue('x'));
    expect(sheets.table(id, 'Sheet1')).toEqual([['x']]);
  });
});

describe('call counting', () => {
  it('counts each Sheets call by key, but not local Range handles or builders', () => {
    const { app, as, kernel, newLog } = setup();
    const id = newLog();
    kernel.calls.reset();
    const before = kernel.now();
    as(BOT, () => {
      const sheet = app.openById(id).getSheetByName('Sheet1')!;
      const range = sheet.getRange(1, 1, 1, 2);
      range.setValues([['a', 'b']]);
      range.getValues();
      sheet.appendRow(['c', 'd']);
      app.newConditionalFormatRule().whenCellEmpty().setBackground('#fff').build();
      app.flush();
    });
    expect(kernel.calls.snapshot()).toEqual({
      'sheets.SpreadsheetApp.flush': 1,
      'sheets.SpreadsheetApp.openById': 1,
      'sheets.Spreadsheet.getSheetByName': 1,
      'sheets.Range.setValues': 1,
      'sheets.Range.getValues': 1,
      'sheets.Sheet.appendRow': 1,
    });
    // openById is charged as `sheets.openById` (350 ms), the others as `sheets` (120 ms).
    expect(kernel.now() - before).toBe(350 + 5 * 120);
  });
});

describe('the grid and Google’s 10 million cells', () => {
  it('deletes columns, moving what is right of them left, and counts every cell of every grid', () => {
    const { app, as, sheets, newLog } = setup();
    const id = newLog();
    expect(sheets.cellCount(id)).toBe(1000 * 26);
    as(BOT, () => {
      const sheet = app.openById(id).getSheets()[0]!;
      sheet.getRange('A1:C1').setValues([['a', 'b', 'c']]);
      sheet.deleteColumns(2, 1);
      expect(sheet.getRange('A1:B1').getValues()).toEqual([['a', 'c']]);
      expect(sheet.getMaxColumns()).toBe(25);
      sheet.deleteColumns(3, 23);
      expect(sheet.getMaxColumns()).toBe(2);
      expect(thrown(() => sheet.deleteColumns(3, 1))).toBe('Those columns are out of bounds.');
      expect(thrown(() => sheet.deleteColumns(1, 2))).toBe(
        'Sorry, it is not possible to delete all non-frozen columns.',
      );
    });
    expect(sheets.grid(id, 'Sheet1')).toEqual({ rows: 1000, columns: 2 });
    expect(sheets.cellCount(id)).toBe(2000);
  });
});
