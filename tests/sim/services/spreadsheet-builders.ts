// The things a sheet carries besides cells, kept as recorded specs: conditional format
// rules (built with SpreadsheetApp.newConditionalFormatRule()), embedded charts (built with
// sheet.newChart()) and the basic filter. Builder steps are local (not Google calls).
// doc: https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule-builder
// doc: https://developers.google.com/apps-script/reference/spreadsheet/embedded-chart-builder
// doc: https://developers.google.com/apps-script/reference/spreadsheet/filter

import type { SheetsContext, Subset } from './spreadsheet-context';
import { SHEETS_MESSAGES, sheetsException } from './spreadsheet-errors';
import type { ChartSpec, ConditionalRuleSpec, DocState } from './spreadsheet-model';
import { SimRange } from './spreadsheet-range';

function rangesOf(ctx: SheetsContext, doc: DocState, refs: ChartSpec['ranges']): SimRange[] {
  return refs.map((r) => new SimRange(ctx, doc, r.sheetId, r.rect));
}

function copyRefs(refs: ChartSpec['ranges']): ChartSpec['ranges'] {
  return refs.map((r) => ({ sheetId: r.sheetId, rect: { ...r.rect } }));
}

export function copyRule(spec: ConditionalRuleSpec): ConditionalRuleSpec {
  return { ...spec, values: [...spec.values], ranges: copyRefs(spec.ranges) };
}

export function copyChart(spec: ChartSpec): ChartSpec {
  return {
    ...spec,
    ranges: copyRefs(spec.ranges),
    position: { ...spec.position },
    options: { ...spec.options },
  };
}

/** A rule's condition and format, as BooleanCondition reports them. */
class SimBooleanCondition
  implements
    Subset<
      GoogleAppsScript.Spreadsheet.BooleanCondition,
      'getCriteriaType' | 'getCriteriaValues' | 'getBackground' | 'getFontColor' | 'getBold'
    >
{
  constructor(private readonly spec: ConditionalRuleSpec) {}

  getCriteriaType(): GoogleAppsScript.Spreadsheet.BooleanCriteria {
    return this.spec.criteria as unknown as GoogleAppsScript.Spreadsheet.BooleanCriteria;
  }

  getCriteriaValues(): unknown[] {
    return [...this.spec.values];
  }

  getBackground(): string | null {
    return this.spec.background ?? null;
  }

  getFontColor(): string | null {
    return this.spec.fontColor ?? null;
  }

  getBold(): boolean | null {
    return this.spec.bold ?? null;
  }
}

export class SimConditionalFormatRule
  implements
    Subset<
      GoogleAppsScript.Spreadsheet.ConditionalFormatRule,
      'getRanges' | 'getBooleanCondition' | 'copy'
    >
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState | undefined,
    readonly spec: ConditionalRuleSpec,
  ) {}

  getRanges(): SimRange[] {
    return this.doc ? rangesOf(this.ctx, this.doc, this.spec.ranges) : [];
  }

  getBooleanCondition(): SimBooleanCondition {
    return new SimBooleanCondition(copyRule(this.spec));
  }

  copy(): SimConditionalFormatRuleBuilder {
    return new SimConditionalFormatRuleBuilder(this.ctx, copyRule(this.spec), this.doc);
  }
}

type RuleBuilderMethods =
  | 'build'
  | 'setBackground'
  | 'setFontColor'
  | 'setBold'
  | 'whenCellEmpty'
  | 'whenCellNotEmpty'
  | 'whenFormulaSatisfied'
  | 'whenNumberBetween'
  | 'whenNumberEqualTo'
  | 'whenNumberGreaterThan'
  | 'whenNumberLessThan'
  | 'whenTextContains'
  | 'whenTextEqualTo'
  | 'whenTextStartsWith'
  | 'whenTextEndsWith';

export class SimConditionalFormatRuleBuilder
  implements Subset<GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder, RuleBuilderMethods>
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly spec: ConditionalRuleSpec = { criteria: '', values: [], ranges: [] },
    private doc?: DocState,
  ) {}

  private when(criteria: string, values: unknown[]): this {
    this.spec.criteria = criteria;
    this.spec.values = values;
    return this;
  }

  whenCellEmpty(): this {
    return this.when('CELL_EMPTY', []);
  }

  whenCellNotEmpty(): this {
    return this.when('CELL_NOT_EMPTY', []);
  }

  whenFormulaSatisfied(formula: string): this {
    return this.when('CUSTOM_FORMULA', [formula]);
  }

  whenNumberBetween(start: number, end: number): this {
    return this.when('NUMBER_BETWEEN', [start, end]);
  }

  whenNumberEqualTo(number: number): this {
    return this.when('NUMBER_EQUAL_TO', [number]);
  }

  whenNumberGreaterThan(number: number): this {
    return this.when('NUMBER_GREATER_THAN', [number]);
  }

  whenNumberLessThan(number: number): this {
    return this.when('NUMBER_LESS_THAN', [number]);
  }

  whenTextContains(text: string): this {
    return this.when('TEXT_CONTAINS', [text]);
  }

  whenTextEqualTo(text: string): this {
    return this.when('TEXT_EQUAL_TO', [text]);
  }

  whenTextStartsWith(text: string): this {
    return this.when('TEXT_STARTS_WITH', [text]);
  }

  whenTextEndsWith(text: string): this {
    return this.when('TEXT_ENDS_WITH', [text]);
  }

  setBackground(color: string | null): this {
    this.spec.background = color ?? undefined;
    return this;
  }

  setFontColor(color: string | null): this {
    this.spec.fontColor = color ?? undefined;
    return this;
  }

  setBold(bold: boolean | null): this {
    this.spec.bold = bold ?? undefined;
    return this;
  }

  /** Takes simulated Ranges (so it is not in the checked subset above). */
  setRanges(ranges: SimRange[]): this {
    this.spec.ranges = ranges.map((r) => r.gridRef());
    this.doc = ranges[0]?.docState();
    return this;
  }

  build(): SimConditionalFormatRule {
    return new SimConditionalFormatRule(this.ctx, this.doc, copyRule(this.spec));
  }
}

export class SimEmbeddedChart
  implements
    Subset<GoogleAppsScript.Spreadsheet.EmbeddedChart, 'getChartId' | 'getRanges' | 'modify'>
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState,
    readonly spec: ChartSpec,
  ) {}

  /** Null until the chart is inserted in a sheet. */
  getChartId(): number | null {
    return this.spec.chartId === 0 ? null : this.spec.chartId;
  }

  getRanges(): SimRange[] {
    return rangesOf(this.ctx, this.doc, this.spec.ranges);
  }

  /**
   * "Returns an EmbeddedChartBuilder that can be used to modify this chart. Invoke
   * sheet.updateChart(chart) to save changes." A local builder, not a call.
   */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/embedded-chart#modify()
  modify(): SimEmbeddedChartBuilder {
    return new SimEmbeddedChartBuilder(this.ctx, this.doc, copyChart(this.spec));
  }
}

export class SimEmbeddedChartBuilder
  implements
    Subset<
      GoogleAppsScript.Spreadsheet.EmbeddedChartBuilder,
      | 'setChartType'
      | 'getChartType'
      | 'setPosition'
      | 'setOption'
      | 'build'
      | 'getRanges'
      | 'clearRanges'
    >
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState,
    private readonly spec: ChartSpec = {
      chartId: 0,
      chartType: 'COLUMN',
      ranges: [],
      position: { anchorRow: 1, anchorColumn: 1, offsetX: 0, offsetY: 0 },
      options: {},
    },
  ) {}

  /** "Removes all ranges from the chart this builder modifies." */
  // doc: https://developers.google.com/apps-script/reference/spreadsheet/embedded-chart-builder#clearRanges()
  clearRanges(): this {
    this.spec.ranges = [];
    return this;
  }

  /** Takes a simulated Range (so it is not in the checked subset above). */
  addRange(range: SimRange): this {
    this.spec.ranges.push(range.gridRef());
    return this;
  }

  setChartType(type: GoogleAppsScript.Charts.ChartType): this {
    this.spec.chartType = String(type);
    return this;
  }

  getChartType(): GoogleAppsScript.Charts.ChartType {
    return this.spec.chartType as unknown as GoogleAppsScript.Charts.ChartType;
  }

  setPosition(anchorRowPos: number, anchorColPos: number, offsetX: number, offsetY: number): this {
    this.spec.position = { anchorRow: anchorRowPos, anchorColumn: anchorColPos, offsetX, offsetY };
    return this;
  }

  setOption(option: string, value: unknown): this {
    this.spec.options[option] = value;
    return this;
  }

  getRanges(): SimRange[] {
    return rangesOf(this.ctx, this.doc, this.spec.ranges);
  }

  build(): SimEmbeddedChart {
    return new SimEmbeddedChart(this.ctx, this.doc, copyChart(this.spec));
  }
}

export class SimFilter
  implements Subset<GoogleAppsScript.Spreadsheet.Filter, 'getRange' | 'remove'>
{
  constructor(
    private readonly ctx: SheetsContext,
    private readonly doc: DocState,
    private readonly sheetId: number,
  ) {}

  private sheetFilter() {
    const sheet = this.doc.sheets.find((s) => s.sheetId === this.sheetId);
    if (!sheet?.filter) throw sheetsException(SHEETS_MESSAGES.serviceFailed(this.doc.id));
    return { sheet, rect: sheet.filter };
  }

  getRange(): SimRange {
    return this.ctx.call('sheets.Filter.getRange', this.doc, 'read', () => {
      const { rect } = this.sheetFilter();
      return new SimRange(this.ctx, this.doc, this.sheetId, rect);
    });
  }

  remove(): void {
    this.ctx.call('sheets.Filter.remove', this.doc, 'write', () => {
      this.sheetFilter().sheet.filter = undefined;
    });
  }
}

/** Charts.ChartType as strings: in Apps Script an enum value prints as its name. */
export const CHART_TYPES = Object.freeze(
  Object.fromEntries(
    [
      'TIMELINE',
      'AREA',
      'BAR',
      'BUBBLE',
      'CANDLESTICK',
      'COLUMN',
      'COMBO',
      'GAUGE',
      'GEO',
      'HISTOGRAM',
      'RADAR',
      'LINE',
      'ORG',
      'PIE',
      'SCATTER',
      'SPARKLINE',
      'STEPPED_AREA',
      'TABLE',
      'TREEMAP',
      'WATERFALL',
    ].map((n) => [n, n]),
  ),
) as unknown as typeof GoogleAppsScript.Charts.ChartType;
