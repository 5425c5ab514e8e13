// Meet REST v2 as the recordings collector reads it, as each room's owner (the teacher, by
// keyless delegation): the room's calls (conference records) and each call's recordings.
// Calls already known with their times (the monitor lists them when it closes the lesson, or
// an earlier look did) are not listed again.
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords/list
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.recordings/list
// doc: https://developers.google.com/workspace/meet/api/guides/artifacts — "Meet has access to the
// recording ID after the recording file is generated": a recording in progress is not listed.

import { ServiceFailure } from '../core/errors';
import type { RecordingFinder } from '../core/ports';
import type { FoundCall, FoundRecordings, MeetRecording, RoomCall } from '../core/recording';
import type { Credentials } from './credentials';
import { query, RestClient } from './rest-client';

const MEET = 'https://meet.googleapis.com/v2';
/** doc: conferenceRecords/list and recordings/list — page size at most 100. */
const PAGE = 100;
/** doc: conferenceRecords.participants/list — page size at most 250. */
const PEOPLE_PAGE = 250;

interface WireConference {
  name: string;
  startTime?: string;
  endTime?: string;
}
interface RecordPage {
  conferenceRecords?: WireConference[];
  nextPageToken?: string;
}
interface WireRecording {
  name: string;
  state?: string;
  startTime?: string;
  endTime?: string;
  driveDestination?: { file?: string };
}
interface RecordingPage {
  recordings?: WireRecording[];
  nextPageToken?: string;
}
/** doc: Participant — exactly one of signedinUser (`users/{id}`), anonymousUser, phoneUser. */
interface PeoplePage {
  participants?: { signedinUser?: { user?: string } }[];
  nextPageToken?: string;
}

type Room = { host: string; space: string; conferences?: readonly RoomCall[] };

const time = (iso: string | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isFinite(ms) ? ms : null;
};

const toCall = (c: WireConference): FoundCall => ({
  name: c.name,
  start: time(c.startTime),
  end: time(c.endTime),
  recordings: [],
});

export class MeetRecordingFinder implements RecordingFinder {
  constructor(
    private readonly rest: RestClient,
    private readonly credentials: Credentials,
  ) {}

  find(requests: readonly Room[]): Map<string, FoundRecordings | Error> {
    const out = new Map<string, FoundRecordings | Error>();
    const calls = new Map<string, FoundCall[]>();
    this.credentials.warm(requests.map((r) => r.host));
    // A room whose calls are all known with their times (they have ended) is not listed again;
    // any other is listed in one request (cheaper than getting each call known by name only).
    const lookups: Room[] = [];
    for (const room of requests) {
      const known = room.conferences ?? [];
      const complete =
        known.length > 0 && known.every((c) => c.start !== undefined && typeof c.end === 'number');
      if (!complete) {
        lookups.push(room);
        continue;
      }
      calls.set(
        room.space,
        known.map((c) => ({ name: c.name, start: c.start!, end: c.end!, recordings: [] })),
      );
    }

    const answers = this.rest.jsonAll<RecordPage>(
      RestClient.build(lookups, (room) => ({
        method: 'get',
        url: `${MEET}/conferenceRecords${query({ filter: `space.name = "${room.space}"`, pageSize: PAGE })}`,
        token: this.credentials.token(room.host),
      })),
    );
    lookups.forEach((room, i) => {
      const answer = answers[i]!;
      if (answer instanceof ServiceFailure) {
        out.set(room.space, answer);
        return;
      }
      // A room holds one lesson's calls: more than a page of them is not a real lesson.
      calls.set(room.space, (answer.conferenceRecords ?? []).map(toCall));
    });

    const wanted = requests.flatMap((room) =>
      out.has(room.space) ? [] : (calls.get(room.space) ?? []).map((call) => ({ room, call })),
    );
    const pages = this.rest.jsonAll<RecordingPage>(
      RestClient.build(wanted, (w) => ({
        method: 'get',
        url: `${MEET}/${w.call.name}/recordings${query({ pageSize: PAGE })}`,
        token: this.credentials.token(w.room.host),
      })),
    );
    wanted.forEach((w, i) => {
      const page = pages[i]!;
      if (page instanceof ServiceFailure) {
        out.set(w.room.space, page);
        return;
      }
      w.call.recordings.push(...(page.recordings ?? []).map(toRecording));
    });
    for (const room of requests) {
      if (!out.has(room.space)) out.set(room.space, { calls: calls.get(room.space) ?? [] });
    }
    return out;
  }

  peopleIn(host: string, conferences: readonly string[]): Map<string, (string | null)[] | Error> {
    return peopleInCalls(this.rest, this.credentials, host, conferences);
  }
}

/**
 * Who was in each call, as its owner: account ids, null for a guest or a caller. Asked only of a
 * call that left no recording, past the limit (a standard lesson never asks).
 * doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants/list
 */
function peopleInCalls(
  rest: RestClient,
  credentials: Credentials,
  host: string,
  conferences: readonly string[],
): Map<string, (string | null)[] | Error> {
  const token = credentials.token(host);
  const lists = rest.pagedAll<PeoplePage, string, string | null>(
    conferences,
    (conference, pageToken) => ({
      method: 'get',
      url: `${MEET}/${conference}/participants${query({ pageSize: PEOPLE_PAGE, pageToken })}`,
      token,
    }),
    (page) =>
      (page.participants ?? []).map(
        (p) => (p.signedinUser?.user ?? '').replace(/^users\//, '') || null,
      ),
  );
  return new Map(conferences.map((c, i) => [c, lists[i]!] as const));
}

function toRecording(x: WireRecording): MeetRecording {
  return {
    name: x.name,
    state: x.state ?? 'STATE_UNSPECIFIED',
    fileId: x.driveDestination?.file ?? null,
    start: time(x.startTime),
    end: time(x.endTime),
  };
}
