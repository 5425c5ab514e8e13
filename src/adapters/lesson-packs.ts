// Many lesson records in one script property: how the store keeps lessons scheduled days ahead
// (a 100-teacher school plans 3,000 lessons a week; one record each would need three times the
// store's 500 KB). Records of one teacher's lessons differ in a few fields (id, times, event
// id), so a pack is written column by column, each column's distinct values once: about a
// third of the room the records take alone. (Compressing the pack as well, with LZ-string,
// halved it again, but unpacking then cost about 20 times as much, and every execution of the
// minute monitor reads every pack: measured in Node, 89 ms against 4 ms for 2,400 lessons.)
// A pack is at most MAX_PACK_CHARS, under the 9 KB a property value may hold.
// doc: https://developers.google.com/apps-script/guides/services/quotas (Properties: 9 KB a value, 500 KB a store)

/** Under the 9 KB a property value may hold, with room to spare. */
export const MAX_PACK_CHARS = 8_500;
const FORMAT = 'P1:';

/** One column: its field, its distinct values, and for each record the index of its value (-1: absent). */
type Column = [field: string, values: unknown[], rows: number[] | null];

/**
 * Records (each as `encodeLesson` wrote it: one character of version, then a JSON object)
 * into one value. Records of another shape are refused, so nothing is packed that could not
 * be given back as it was.
 */
export function packRecords(records: readonly string[]): string {
  const version = records[0]?.[0] ?? '';
  const objects = records.map((r) => {
    if (r[0] !== version) throw new Error('records of different versions cannot share a pack');
    const parsed: unknown = JSON.parse(r.slice(1));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      throw new Error('only records that are objects can be packed');
    return parsed as Record<string, unknown>;
  });
  const fields = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  const columns: Column[] = fields.map((field) => {
    const distinct = new Map<string, number>();
    const values: unknown[] = [];
    const rows = objects.map((o) => {
      if (!(field in o)) return -1;
      const key = JSON.stringify(o[field]);
      let index = distinct.get(key);
      if (index === undefined) {
        index = values.length;
        distinct.set(key, index);
        values.push(o[field]);
      }
      return index;
    });
    const same = values.length === 1 && rows.every((r) => r === 0);
    return [field, values, same ? null : rows];
  });
  return FORMAT + JSON.stringify({ v: version, n: records.length, c: columns });
}

/** The records of a pack, each as `encodeLesson` wrote it. */
export function unpackRecords(value: string): string[] {
  if (!value.startsWith(FORMAT)) throw new Error('not a pack of lessons');
  const { v, n, c } = JSON.parse(value.slice(FORMAT.length)) as {
    v: string;
    n: number;
    c: Column[];
  };
  const objects: Record<string, unknown>[] = Array.from({ length: n }, () => ({}));
  for (const [field, values, rows] of c)
    objects.forEach((o, i) => {
      const index = rows ? rows[i]! : 0;
      if (index >= 0) o[field] = values[index];
    });
  return objects.map((o) => v + JSON.stringify(o));
}

/**
 * Splits records into packs that each fit MAX_PACK_CHARS, in order: halves a group until its
 * pack fits. A single record always fits (one record is far under the limit). Each pack says
 * how many of the records, in order, it holds.
 */
export function packsOf(records: readonly string[]): { value: string; count: number }[] {
  if (records.length === 0) return [];
  const whole = packRecords(records);
  if (whole.length <= MAX_PACK_CHARS || records.length === 1)
    return [{ value: whole, count: records.length }];
  const half = Math.ceil(records.length / 2);
  return [...packsOf(records.slice(0, half)), ...packsOf(records.slice(half))];
}
