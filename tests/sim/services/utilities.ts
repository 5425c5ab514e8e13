// Utilities: the Apps Script helper service (dates, base64, blobs, digests, sleep) plus the
// time-zone arithmetic the rest of the simulation shares (ScriptApp's daily triggers).
// doc: https://developers.google.com/apps-script/reference/utilities/utilities

import { createHash } from 'node:crypto';
import { seededRandom } from '../kernel/faults';
import { appsScriptException } from '../kernel/google-error';
import type { SimKernel } from '../kernel/kernel';

type Byte = GoogleAppsScript.Byte;
type Charset = GoogleAppsScript.Utilities.Charset;
type DigestAlgorithm = GoogleAppsScript.Utilities.DigestAlgorithm;

// Apps Script enums are objects whose string form is their name; strings compare the same way.
const CHARSET = {
  US_ASCII: 'US_ASCII',
  UTF_8: 'UTF_8',
} as unknown as typeof GoogleAppsScript.Utilities.Charset;
const DIGEST = {
  MD2: 'MD2',
  MD5: 'MD5',
  SHA_1: 'SHA_1',
  SHA_256: 'SHA_256',
  SHA_384: 'SHA_384',
  SHA_512: 'SHA_512',
} as unknown as typeof GoogleAppsScript.Utilities.DigestAlgorithm;

const NODE_DIGEST: Record<string, string> = {
  MD5: 'md5',
  SHA_1: 'sha1',
  SHA_256: 'sha256',
  SHA_384: 'sha384',
  SHA_512: 'sha512',
};

/** doc: utilities#sleep(Integer) "The maximum allowed value is 300000 (or 5 minutes)." */
export const MAX_SLEEP_MS = 300_000;

// ---------------------------------------------------------------------------------------------
// Time zones (real rules from Intl, so Europe/London switches between GMT and BST on the day).

export interface ZonedFields {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO day of week: 1 = Monday ... 7 = Sunday. */
  weekday: number;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

const WEEKDAY_INDEX: Record<string, number> = {
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
  Sun: 7,
};
const FIXED_ZONE = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Java falls back to GMT for an id it does not know (java.util.TimeZone#getTimeZone). */
function fixedOffset(timeZone: string): number | undefined {
  const m = FIXED_ZONE.exec(timeZone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function formatterFor(timeZone: string): Intl.DateTimeFormat | undefined {
  if (formatters.has(timeZone)) return formatters.get(timeZone);
  try {
    const f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
    return f;
  } catch {
    return undefined;
  }
}

/** The wall-clock fields of instant `ms` in `timeZone` (unknown ids read as GMT, as Java does). */
export function zonedFields(ms: number, timeZone: string): ZonedFields {
  const fixed = fixedOffset(timeZone);
  const formatter = fixed === undefined ? formatterFor(timeZone) : undefined;
  const offsetFixed = fixed ?? 0;
  if (!formatter) {
    const d = new Date(ms + offsetFixed * 60_000);
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millisecond: d.getUTCMilliseconds(),
      weekday: ((d.getUTCDay() + 6) % 7) + 1,
      offsetMinutes: offsetFixed,
    };
  }
  const parts: Record<string, string> = {};
  for (const p of formatter.formatToParts(new Date(ms))) parts[p.type] = p.value;
  const fields = {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
  const wholeSeconds = Math.floor(ms / 1000) * 1000;
  const asUtc = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
  );
  return {
    ...fields,
    millisecond: ms - wholeSeconds,
    weekday: WEEKDAY_INDEX[parts.weekday ?? 'Mon'] ?? 1,
    offsetMinutes: Math.round((asUtc - wholeSeconds) / 60_000),
  };
}

/** The instant at which the wall clock in `timeZone` reads the given local time. */
export function zonedTimeToUtc(
  local: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): number {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  let guess = naive;
  for (let i = 0; i < 3; i += 1) {
    guess = naive - zonedFields(guess, timeZone).offsetMinutes * 60_000;
  }
  return guess;
}

function zoneName(ms: number, timeZone: string, style: 'short' | 'long'): string {
  const fixed = fixedOffset(timeZone);
  if (fixed !== undefined || !formatterFor(timeZone)) {
    return fixed === undefined || fixed === 0 ? 'GMT' : `GMT${offsetText(fixed, ':')}`;
  }
  const nameIn = (locale: string) =>
    new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style })
      .formatToParts(new Date(ms))
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  // en-US knows "EDT" but says "GMT+1" for London; en-GB knows "BST"/"CET".
  let name = nameIn('en-US');
  if (/^GMT[+-]/.test(name)) name = nameIn('en-GB');
  if (/^GMT[+-]/.test(name))
    name = `GMT${offsetText(zonedFields(ms, timeZone).offsetMinutes, ':')}`;
  return name;
}

function offsetText(minutes: number, separator: string, hoursOnly = false): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  const hh = pad(Math.floor(abs / 60), 2);
  return hoursOnly ? `${sign}${hh}` : `${sign}${hh}${separator}${pad(abs % 60, 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

// ---------------------------------------------------------------------------------------------
// Java SimpleDateFormat, the pattern language Utilities.formatDate documents.
// doc: https://docs.oracle.com/javase/7/docs/api/java/text/SimpleDateFormat.html

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function dayOfYear(f: ZonedFields): number {
  return (Date.UTC(f.year, f.month - 1, f.day) - Date.UTC(f.year, 0, 1)) / 86_400_000 + 1;
}

function formatField(
  letter: string,
  count: number,
  f: ZonedFields,
  ms: number,
  tz: string,
): string {
  switch (letter) {
    case 'G':
      return f.year > 0 ? 'AD' : 'BC';
    case 'y':
    case 'Y': // week-year: the calendar year except around New Year (not simulated)
      return count === 2 ? pad(f.year % 100, 2) : pad(f.year, count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month - 1]!;
      if (count === 3) return MONTHS[f.month - 1]!.slice(0, 3);
      return pad(f.month, count);
    case 'd':
      return pad(f.day, count);
    case 'D':
      return pad(dayOfYear(f), count);
    case 'E':
      return count >= 4 ? DAYS[f.weekday - 1]! : DAYS[f.weekday - 1]!.slice(0, 3);
    case 'u':
      return pad(f.weekday, count);
    case 'a':
      return f.hour < 12 ? 'AM' : 'PM';
    case 'H':
      return pad(f.hour, count);
    case 'k':
      return pad(f.hour === 0 ? 24 : f.hour, count);
    case 'K':
      return pad(f.hour % 12, count);
    case 'h':
      return pad(f.hour % 12 === 0 ? 12 : f.hour % 12, count);
    case 'm':
      return pad(f.minute, count);
    case 's':
      return pad(f.second, count);
    case 'S':
      return pad(f.millisecond, count);
    case 'z':
      return zoneName(ms, tz, count >= 4 ? 'long' : 'short');
    case 'Z':
      return offsetText(f.offsetMinutes, '');
    case 'X':
      if (count > 3) throw appsScriptException(`invalid ISO 8601 format: length=${count}`);
      if (f.offsetMinutes === 0) return 'Z';
      return offsetText(f.offsetMinutes, count === 3 ? ':' : '', count === 1);
    default:
      if ('wWF'.includes(letter)) {
        // Valid in Java but locale-dependent; no product uses them. Say so rather than guess.
        throw new Error(`SimUtilities: pattern letter '${letter}' is not simulated`);
      }
      throw appsScriptException(`Illegal pattern character '${letter}'`);
  }
}

/** Formats instant `ms` with a SimpleDateFormat pattern in `timeZone`. */
export function formatSimpleDate(ms: number, timeZone: string, pattern: string): string {
  const f = zonedFields(ms, timeZone);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      i += 1;
      while (i < pattern.length) {
        if (pattern[i] === "'") {
          if (pattern[i + 1] === "'") {
            out += "'";
            i += 2;
            continue;
          }
          break;
        }
        out += pattern[i];
        i += 1;
      }
      i += 1; // closing quote
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let count = 1;
      while (pattern[i + count] === c) count += 1;
      out += formatField(c, count, f, ms, timeZone);
      i += count;
      continue;
    }
    out += c;
    i += 1;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bytes: Apps Script byte arrays are Java bytes, signed -128..127.

export function toSignedBytes(buffer: Uint8Array): Byte[] {
  return Array.from(buffer, (b) => (b > 127 ? b - 256 : b));
}

export function fromBytes(bytes: readonly number[]): Buffer {
  return Buffer.from(bytes.map((b) => b & 0xff));
}

function textBytes(data: string | Byte[], charset?: Charset): Buffer {
  if (typeof data !== 'string') return fromBytes(data);
  return Buffer.from(data, String(charset) === 'US_ASCII' ? 'latin1' : 'utf8');
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64_WEB_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

function decodeBase64(encoded: string, pattern: RegExp): Byte[] {
  const clean = String(encoded).replace(/\s+/g, '');
  // Node's decoder skips bad characters silently; Apps Script refuses the string.
  if (!pattern.test(clean) || clean.replace(/=+$/, '').length % 4 === 1) {
    throw appsScriptException('Could not decode string.');
  }
  return toSignedBytes(Buffer.from(clean, 'base64'));
}

// ---------------------------------------------------------------------------------------------
// Blob (the minimal subset products use).

type BlobSubset = Pick<
  GoogleAppsScript.Base.Blob,
  | 'copyBlob'
  | 'getBlob'
  | 'getBytes'
  | 'getContentType'
  | 'getDataAsString'
  | 'getName'
  | 'setBytes'
  | 'setContentType'
  | 'setDataFromString'
  | 'setName'
>;

export class SimBlob implements BlobSubset {
  private bytes: Buffer;
  constructor(
    data: Buffer,
    private contentType: string | null = null,
    private name: string | null = null,
  ) {
    this.bytes = Buffer.from(data);
  }
  copyBlob(): GoogleAppsScript.Base.Blob {
    return new SimBlob(
      this.bytes,
      this.contentType,
      this.name,
    ) as unknown as GoogleAppsScript.Base.Blob;
  }
  getBlob(): GoogleAppsScript.Base.Blob {
    return this.copyBlob();
  }
  getBytes(): Byte[] {
    return toSignedBytes(this.bytes);
  }
  getContentType(): string | null {
    return this.contentType;
  }
  getDataAsString(charset?: string): string {
    const latin = charset !== undefined && /^(us-ascii|iso-8859-1)$/i.test(charset);
    return this.bytes.toString(latin ? 'latin1' : 'utf8');
  }
  getName(): string | null {
    return this.name;
  }
  setBytes(data: Byte[]): GoogleAppsScript.Base.Blob {
    this.bytes = fromBytes(data);
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
  setContentType(contentType: string | null): GoogleAppsScript.Base.Blob {
    this.contentType = contentType;
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
  setDataFromString(value: string): GoogleAppsScript.Base.Blob {
    this.bytes = Buffer.from(value, 'utf8');
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
  setName(name: string): GoogleAppsScript.Base.Blob {
    this.name = name;
    return this as unknown as GoogleAppsScript.Base.Blob;
  }
}

// ---------------------------------------------------------------------------------------------

function isDate(value: unknown): value is Date {
  // A Date from the product's vm context is not `instanceof` this realm's Date.
  return Object.prototype.toString.call(value) === '[object Date]';
}

/** Parses CSV as RFC 4180 (quoted fields, doubled quotes, CRLF or LF). */
function parseCsv(csv: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i += 1) {
    const c = csv[i]!;
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export type UtilitiesGlobal = Pick<
  GoogleAppsScript.Utilities.Utilities,
  | 'Charset'
  | 'DigestAlgorithm'
  | 'base64Decode'
  | 'base64DecodeWebSafe'
  | 'base64Encode'
  | 'base64EncodeWebSafe'
  | 'computeDigest'
  | 'formatDate'
  | 'getUuid'
  | 'newBlob'
  | 'parseCsv'
  | 'sleep'
>;

export class SimUtilities {
  private random: () => number;

  constructor(
    private readonly kernel: SimKernel,
    seed = 7,
  ) {
    // Seeded, so a run's UUIDs (and anything keyed by them) replay identically.
    this.random = seededRandom(seed);
  }

  global(): UtilitiesGlobal {
    const k = this.kernel;
    const local = <T>(method: string, op: () => T): T => k.invoke(`utilities.${method}`, op);
    return {
      Charset: CHARSET,
      DigestAlgorithm: DIGEST,
      // doc: utilities#formatDate(Date,String,String) "Formats date according to specification
      // described in Java SE SimpleDateFormat class."
      formatDate: (date, timeZone, format) =>
        local('formatDate', () => {
          // No doc for a non-Date argument; the simulation's wording.
          if (!isDate(date)) throw appsScriptException('Invalid argument: date');
          return formatSimpleDate(
            (date as unknown as Date).getTime(),
            String(timeZone),
            String(format),
          );
        }),
      getUuid: () => local('getUuid', () => this.uuid()),
      // doc: utilities#sleep(Integer): the script sleeps; time counts toward the execution's limit.
      sleep: (milliseconds) => {
        const ms = Math.max(0, Math.floor(Number(milliseconds)));
        // The reference gives the maximum but not the error text: this wording is the simulation's.
        if (ms > MAX_SLEEP_MS) throw appsScriptException('Invalid argument: milliseconds');
        k.invoke('utilities.sleep', () => undefined, { latencyMs: ms });
      },
      base64Encode: (data: string | Byte[], charset?: Charset) =>
        local('base64Encode', () => textBytes(data, charset).toString('base64')),
      // doc: base64EncodeWebSafe: the URL-safe alphabet ('-' and '_'); padding is kept.
      base64EncodeWebSafe: (data: string | Byte[], charset?: Charset) =>
        local('base64EncodeWebSafe', () =>
          textBytes(data, charset).toString('base64').replace(/\+/g, '-').replace(/\//g, '_'),
        ),
      // doc: base64Decode returns Byte[] (signed Java bytes), not a string.
      base64Decode: (encoded: string, _charset?: Charset) =>
        local('base64Decode', () => decodeBase64(encoded, BASE64)),
      base64DecodeWebSafe: (encoded: string, _charset?: Charset) =>
        local('base64DecodeWebSafe', () => decodeBase64Safe(encoded)),
      computeDigest: (algorithm: DigestAlgorithm, value: string | Byte[], charset?: Charset) =>
        local('computeDigest', () => {
          const name = NODE_DIGEST[String(algorithm)];
          if (!name) throw new Error(`SimUtilities: digest ${String(algorithm)} is not simulated`);
          return toSignedBytes(createHash(name).update(textBytes(value, charset)).digest());
        }),
      newBlob: (data: string | Byte[], contentType?: string, name?: string) =>
        local(
          'newBlob',
          () =>
            new SimBlob(
              typeof data === 'string' ? Buffer.from(data, 'utf8') : fromBytes(data),
              contentType ?? null,
              name ?? null,
            ) as unknown as GoogleAppsScript.Base.Blob,
        ),
      parseCsv: (csv: string, delimiter?: string) =>
        local('parseCsv', () => parseCsv(String(csv), delimiter ?? ',')),
    };
  }

  /** A version-4 UUID in Apps Script's lower-case hyphenated form. */
  private uuid(): string {
    const bytes = Array.from({ length: 16 }, () => Math.floor(this.random() * 256));
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

function decodeBase64Safe(encoded: string): Byte[] {
  const clean = String(encoded).replace(/\s+/g, '');
  if (!BASE64_WEB_SAFE.test(clean)) throw appsScriptException('Could not decode string.');
  return decodeBase64(clean.replace(/-/g, '+').replace(/_/g, '/'), BASE64);
}
