// How a lesson is written into one script property: the same JSON with short keys and times in
// base 36, so a 100-teacher school's day (300 lessons running, 600 more scheduled) fits the
// store's 500 KB (a plain record is about 1 KB; this one about half). Plain JSON records from
// before are still read.
// doc: https://developers.google.com/apps-script/guides/services/quotas (Properties: 9 KB a value, 500 KB a store)

/** Every field name a lesson record uses; the code is its index, written in capitals. */
const FIELDS = [
  'status',
  'id',
  'courseId',
  'courseName',
  'teacher',
  'teacherUserId',
  'secondStaff',
  'secondStaffUserId',
  'coTeachers',
  'userId',
  'name',
  'title',
  'start',
  'end',
  'calendarEventId',
  'scheduledAt',
  'approval',
  'state',
  'by',
  'at',
  'reason',
  'flags',
  'code',
  'severity',
  'detail',
  'consentConfirmedAt',
  'version',
  'loggedVersion',
  'linkLiveAlertedAt',
  'teacherLogAt',
  'lease',
  'owner',
  'until',
  'room',
  'space',
  'meetingUri',
  'meetingCode',
  'openedAt',
  'post',
  'sharedAt',
  'withdrawnAt',
  'since',
  'conference',
  'reported',
  'roomShownAt',
  'pupilChat',
  'endedAt',
  'closedAt',
  'report',
  'hostJoinedAt',
  'actualStart',
  'actualEnd',
  'durationMinutes',
  'attendance',
  'counts',
  'pupilsPresent',
  'pupilsAbsent',
  'staff',
  'uninvited',
  'external',
  'conferences',
  'cancelledAt',
  'attemptedMove',
  'refusedMove',
  'pupilsOnRoster',
  'parentPresentAt',
  'attendanceChunks',
  'key',
  'role',
  'firstJoined',
  'lastLeft',
  'minutes',
  'consent',
  // Added later: appended only, so records already stored keep their codes.
  'logMark',
  'sltToldAt',
  'inCall',
  'gaps',
  'oneToOne',
  'oneToOnes',
  'endFailures',
  'endFailureToldAt',
  'from',
  'to',
  'closedBy',
  'alertedAt',
  'linkBackAt',
  'endAskedAt',
  'toldAt',
  'why',
  'doneAt',
  'phone',
  'unverified',
  'lockFailures',
  'lockFailureToldAt',
  'lockedAt',
  'email',
  'eventGuests',
  'hostLateToldAt',
  'hostAbsentToldAt',
  'coverReadAt',
];

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** A..Z, then AA..ZZ: capitals, which no field name starts with, so codes never clash. */
const codeOf = (i: number) =>
  i < 26 ? LETTERS[i]! : LETTERS[Math.floor(i / 26) - 1]! + LETTERS[i % 26]!;
const TO_CODE = new Map(FIELDS.map((f, i) => [f, codeOf(i)]));
const FROM_CODE = new Map(FIELDS.map((f, i) => [codeOf(i), f]));

/** Times (ms since 1973) are written as `~` and base 36: 8 characters instead of 13. */
const TIME_FLOOR = 1e11;
const VERSION = '1';

export function encodeLesson(value: unknown): string {
  return VERSION + JSON.stringify(pack(value));
}

export function decodeLesson<T>(text: string): T {
  if (text.startsWith(VERSION)) return unpack(JSON.parse(text.slice(VERSION.length))) as T;
  return JSON.parse(text) as T;
}

function pack(value: unknown): unknown {
  if (typeof value === 'number')
    return Number.isInteger(value) && value >= TIME_FLOOR ? `~${value.toString(36)}` : value;
  if (typeof value === 'string') return value.startsWith('~') ? `~${value}` : value;
  if (Array.isArray(value)) return value.map(pack);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      out[TO_CODE.get(k) ?? k] = pack(v);
    }
    return out;
  }
  return value;
}

function unpack(value: unknown): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('~~')) return value.slice(1);
    if (value.startsWith('~')) return Number.parseInt(value.slice(1), 36);
    return value;
  }
  if (Array.isArray(value)) return value.map(unpack);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[FROM_CODE.get(k) ?? k] = unpack(v);
    return out;
  }
  return value;
}
