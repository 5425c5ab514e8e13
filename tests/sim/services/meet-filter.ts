// The `filter` parameter of Meet's list methods: the documented subset of the EBNF
// grammar — comparisons joined by AND, and `field IS NULL`.
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords/list
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants/list

import { GoogleApiError } from '../kernel/google-error';

/** A filterable field: a string, or a time in ms; undefined when unset (IS NULL). */
export type FieldValue = string | number | undefined;
export type FieldReaders<T> = Record<
  string,
  { kind: 'string' | 'time'; read: (item: T) => FieldValue; caseInsensitive?: boolean }
>;

type Op = '=' | '!=' | '<' | '<=' | '>' | '>=';
interface Condition {
  field: string;
  op: Op | 'IS NULL';
  value?: string | number;
}

// Choice (no doc gives the wording): a filter outside the grammar is INVALID_ARGUMENT.
const invalid = (filter: string) =>
  new GoogleApiError('INVALID_ARGUMENT', `Invalid filter: ${filter}`);

const TERM = /^\s*([a-z_.]+)\s*(?:(IS\s+NULL)|(<=|>=|!=|=|<|>)\s*("(?:[^"\\]|\\.)*"|[^\s"]+))\s*$/i;

function parse<T>(filter: string, fields: FieldReaders<T>): Condition[] {
  return filter.split(/\s+AND\s+/).map((term) => {
    const m = TERM.exec(term);
    if (!m) throw invalid(filter);
    const [, field, isNull, op, rawValue] = m as unknown as [string, string, string?, Op?, string?];
    const reader = fields[field];
    if (!reader) throw invalid(filter);
    if (isNull) return { field, op: 'IS NULL' };
    let text = rawValue!;
    if (text.startsWith('"')) text = JSON.parse(text) as string;
    if (reader.kind === 'time') {
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) throw invalid(filter);
      return { field, op: op!, value: ms };
    }
    return { field, op: op!, value: reader.caseInsensitive ? text.toLowerCase() : text };
  });
}

function holds(actual: FieldValue, condition: Condition): boolean {
  if (condition.op === 'IS NULL') return actual === undefined;
  if (actual === undefined) return false;
  const expected = condition.value!;
  switch (condition.op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
  }
}

/** Keeps the items that match `filter` (all of them when it is empty). */
export function applyFilter<T>(items: T[], filter: string | null, fields: FieldReaders<T>): T[] {
  if (!filter || filter.trim() === '') return items;
  const conditions = parse(filter.trim(), fields);
  return items.filter((item) => conditions.every((c) => holds(fields[c.field]!.read(item), c)));
}
