// Data validation rules (SpreadsheetApp.newDataValidation()), as far as the product uses them:
// a list of allowed values shown as a dropdown, which a person typing in the Sheets UI must
// pick from when invalid input is rejected. Builder steps are local (not Google calls);
// Range.setDataValidation stores the rule on each cell of the range.
// doc: https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder
// doc: https://developers.google.com/apps-script/reference/spreadsheet/data-validation

import type { Subset } from './spreadsheet-context';

export interface ValidationSpec {
  criteria: 'VALUE_IN_LIST';
  values: string[];
  showDropdown: boolean;
  /** "true if the rule shows a warning when input fails data validation, or false if it rejects the input entirely" */
  allowInvalid: boolean;
  helpText: string | null;
}

export function copyValidation(spec: ValidationSpec): ValidationSpec {
  return { ...spec, values: [...spec.values] };
}

/** DataValidationCriteria as strings: in Apps Script an enum value prints as its name. */
export const DATA_VALIDATION_CRITERIA = Object.freeze(
  Object.fromEntries(
    [
      'DATE_AFTER',
      'DATE_BEFORE',
      'DATE_BETWEEN',
      'DATE_EQUAL_TO',
      'DATE_IS_VALID_DATE',
      'DATE_NOT_BETWEEN',
      'DATE_ON_OR_AFTER',
      'DATE_ON_OR_BEFORE',
      'NUMBER_BETWEEN',
      'NUMBER_EQUAL_TO',
      'NUMBER_GREATER_THAN',
      'NUMBER_GREATER_THAN_OR_EQUAL_TO',
      'NUMBER_LESS_THAN',
      'NUMBER_LESS_THAN_OR_EQUAL_TO',
      'NUMBER_NOT_BETWEEN',
      'NUMBER_NOT_EQUAL_TO',
      'TEXT_CONTAINS',
      'TEXT_DOES_NOT_CONTAIN',
      'TEXT_EQUAL_TO',
      'TEXT_IS_VALID_EMAIL',
      'TEXT_IS_VALID_URL',
      'VALUE_IN_LIST',
      'VALUE_IN_RANGE',
      'CUSTOM_FORMULA',
      'CHECKBOX',
    ].map((n) => [n, n]),
  ),
) as unknown as typeof GoogleAppsScript.Spreadsheet.DataValidationCriteria;

export class SimDataValidation
  implements
    Subset<
      GoogleAppsScript.Spreadsheet.DataValidation,
      'getAllowInvalid' | 'getCriteriaType' | 'getCriteriaValues' | 'copy'
    >
{
  constructor(readonly spec: ValidationSpec) {}

  getAllowInvalid(): boolean {
    return this.spec.allowInvalid;
  }

  getCriteriaType(): GoogleAppsScript.Spreadsheet.DataValidationCriteria {
    return this.spec.criteria as unknown as GoogleAppsScript.Spreadsheet.DataValidationCriteria;
  }

  /** For VALUE_IN_LIST: [values, showDropdown], as the reference shows for requireValueInList. */
  getCriteriaValues(): unknown[] {
    return [[...this.spec.values], this.spec.showDropdown];
  }

  /** "the rule's help text, or null if no help text is set" (@types says string: outside the subset). */
  getHelpText(): string | null {
    return this.spec.helpText;
  }

  copy(): SimDataValidationBuilder {
    return new SimDataValidationBuilder(copyValidation(this.spec));
  }
}

export class SimDataValidationBuilder
  implements
    Subset<
      GoogleAppsScript.Spreadsheet.DataValidationBuilder,
      | 'build'
      | 'getAllowInvalid'
      | 'getCriteriaType'
      | 'getCriteriaValues'
      | 'requireValueInList'
      | 'setAllowInvalid'
      | 'setHelpText'
    >
{
  /** "The default for new data validation rules is true" (invalid input shows a warning only). */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder#getAllowInvalid()
  constructor(
    private readonly spec: ValidationSpec = {
      criteria: 'VALUE_IN_LIST',
      values: [],
      showDropdown: true,
      allowInvalid: true,
      helpText: null,
    },
  ) {}

  /** "Sets the data validation rule to require that the input is equal to one of the given values." */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder#requireValueInList(String,Boolean)
  requireValueInList(values: string[], showDropdown = true): this {
    this.spec.criteria = 'VALUE_IN_LIST';
    this.spec.values = values.map(String);
    this.spec.showDropdown = showDropdown;
    return this;
  }

  setAllowInvalid(allowInvalidData: boolean): this {
    this.spec.allowInvalid = allowInvalidData;
    return this;
  }

  setHelpText(helpText: string): this {
    this.spec.helpText = helpText;
    return this;
  }

  getAllowInvalid(): boolean {
    return this.spec.allowInvalid;
  }

  getCriteriaType(): GoogleAppsScript.Spreadsheet.DataValidationCriteria {
    return this.spec.criteria as unknown as GoogleAppsScript.Spreadsheet.DataValidationCriteria;
  }

  getCriteriaValues(): unknown[] {
    return [[...this.spec.values], this.spec.showDropdown];
  }

  getHelpText(): string | null {
    return this.spec.helpText;
  }

  build(): SimDataValidation {
    return new SimDataValidation(copyValidation(this.spec));
  }
}

/**
 * Whether a person may type `value` into a cell carrying `rule` in the Sheets UI. A blank
 * cell is always allowed (clearing is not input).
 * assumption: matching is exact on the text, as the dropdown offers it; Google documents
 * "equal to one of the given values" and nothing about case or spaces.
 */
export function acceptsInput(rule: ValidationSpec | undefined, value: unknown): boolean {
  if (!rule || rule.allowInvalid) return true;
  const text = value instanceof Date ? value.toISOString() : String(value ?? '');
  if (text === '') return true;
  return rule.values.includes(text);
}
