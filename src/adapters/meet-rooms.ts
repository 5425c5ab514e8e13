// Google Meet REST API v2 (there is no Apps Script advanced service), as the teacher.
// doc: https://developers.google.com/meet/api/reference/rest/v2/spaces
// doc: https://developers.google.com/meet/api/reference/rest/v2/conferenceRecords.participants/list

import { isFailure, ServiceFailure } from '../core/errors';
import type { Room } from '../core/lesson';
import type { CallParticipant } from '../core/participants';
import type { CallNow, RoomSettings, Rooms } from '../core/ports';
import type { Credentials } from './credentials';
import { query, RestClient, type RestRequest } from './rest-client';

const MEET = 'https://meet.googleapis.com/v2';
/** participants.list accepts at most 250 a page. */
const PARTICIPANT_PAGE = 250;
/** conferenceRecords.list accepts at most 100 a page. */
const RECORD_PAGE = 100;

/** The few Meet REST shapes we read (see @googleapis/meet Schema$Space etc.). */
export interface MeetSpace {
  name: string;
  meetingUri: string;
  meetingCode: string;
  activeConference?: { conferenceRecord?: string };
}
interface MeetParticipant {
  name: string;
  earliestStartTime?: string;
  latestEndTime?: string;
  signedinUser?: { user?: string; displayName?: string };
  anonymousUser?: { displayName?: string };
  phoneUser?: { displayName?: string };
}
interface ParticipantPage {
  participants?: MeetParticipant[];
  nextPageToken?: string;
}
interface RecordPage {
  conferenceRecords?: { name: string; startTime?: string; endTime?: string }[];
  nextPageToken?: string;
}

/**
 * The safe room (R7-R9, R16): everyone not invited knocks (RESTRICTED) or at least
 * outsiders do (TRUSTED); moderation on; chat, reactions and presenting for hosts only;
 * pupils join as viewers off; recorded automatically with an attendance report.
 */
export function safeSpaceConfig(settings: RoomSettings): Record<string, unknown> {
  return {
    accessType: settings.accessType,
    entryPointAccess: 'ALL',
    moderation: 'ON',
    moderationRestrictions: {
      chatRestriction: 'HOSTS_ONLY',
      reactionRestriction: 'HOSTS_ONLY',
      presentRestriction: 'HOSTS_ONLY',
      defaultJoinAsViewerType: 'OFF',
    },
    attendanceReportGenerationType: 'GENERATE_REPORT',
    artifactConfig: { recordingConfig: { autoRecordingGeneration: 'ON' } },
  };
}

export class MeetRooms implements Rooms {
  constructor(
    private readonly rest: RestClient,
    private readonly credentials: Credentials,
    private readonly now: () => number,
  ) {}

  create(host: string, settings: RoomSettings): Room {
    const space = this.rest.json<MeetSpace>({
      method: 'post',
      url: `${MEET}/spaces`,
      token: this.credentials.token(host),
      body: { config: safeSpaceConfig(settings) },
    });
    return { space: space.name, meetingUri: space.meetingUri, meetingCode: space.meetingCode };
  }

  whoIsIn(
    requests: readonly { host: string; room: Room; conference: string | null }[],
  ): Map<string, CallNow | null> {
    const result = new Map<string, CallNow | null>();
    this.credentials.warm(requests.map((r) => r.host));
    // Rooms whose running conference we do not know yet: ask the space first.
    const unknown = requests.filter((r) => !r.conference);
    const spaces = this.rest.jsonAll<MeetSpace>(
      RestClient.build(unknown, (r) => ({
        method: 'get',
        url: `${MEET}/${r.room.space}`,
        token: this.credentials.token(r.host),
      })),
    );
    const toList: { host: string; space: string; conference: string }[] = [];
    unknown.forEach((r, i) => {
      const answer = spaces[i]!;
      if (answer instanceof ServiceFailure) return;
      const conference = answer.activeConference?.conferenceRecord;
      if (conference) toList.push({ host: r.host, space: r.room.space, conference });
      else result.set(r.room.space, null);
    });
    for (const r of requests)
      if (r.conference)
        toList.push({ host: r.host, space: r.room.space, conference: r.conference });

    const pages = this.rest.jsonAll<ParticipantPage>(
      RestClient.build(toList, (r) =>
        this.participantsRequest(r.host, r.conference, 'latest_end_time IS NULL'),
      ),
    );
    toList.forEach((r, i) => {
      const page = pages[i]!;
      if (page instanceof ServiceFailure) return;
      const participants = this.collect(r.host, r.conference, page, 'latest_end_time IS NULL');
      // Nobody left in a known conference: it has ended; the next look asks the space again.
      result.set(
        r.space,
        participants.length > 0 ? { conference: r.conference, participants } : null,
      );
    });
    return result;
  }

  endAndLock(host: string, room: Room): void {
    const token = this.credentials.token(host);
    try {
      this.rest.json({
        method: 'post',
        url: `${MEET}/${room.space}:endActiveConference`,
        token,
        body: {},
      });
    } catch (error) {
      // No conference running (nobody joined, or it already ended) is what we wanted.
      if (!isFailure(error, 'permanent') && !isFailure(error, 'gone')) throw error;
    }
    // CREATOR_APP_ONLY: the room can no longer be joined from Meet, so nobody can re-enter.
    this.rest.json({
      method: 'patch',
      url: `${MEET}/${room.space}${query({ updateMask: 'config.accessType,config.entryPointAccess' })}`,
      token,
      body: { config: { accessType: 'RESTRICTED', entryPointAccess: 'CREATOR_APP_ONLY' } },
    });
  }

  setChat(host: string, room: Room, pupilsMayChat: boolean): void {
    this.rest.json({
      method: 'patch',
      url: `${MEET}/${room.space}${query({ updateMask: 'config.moderationRestrictions.chatRestriction' })}`,
      token: this.credentials.token(host),
      body: {
        config: {
          moderationRestrictions: {
            chatRestriction: pupilsMayChat ? 'NO_RESTRICTION' : 'HOSTS_ONLY',
          },
        },
      },
    });
  }

  history(host: string, room: Room): CallParticipant[] {
    const token = this.credentials.token(host);
    const records: string[] = [];
    let pageToken: string | undefined;
    do {
      const page: RecordPage = this.rest.json<RecordPage>({
        method: 'get',
        url: `${MEET}/conferenceRecords${query({ filter: `space.name = "${room.space}"`, pageSize: RECORD_PAGE, pageToken })}`,
        token,
      });
      for (const r of page.conferenceRecords ?? []) records.push(r.name);
      pageToken = page.nextPageToken;
    } while (pageToken);
    const all: CallParticipant[] = [];
    for (const record of records) {
      const first = this.rest.json<ParticipantPage>(
        this.participantsRequest(host, record, undefined),
      );
      all.push(...this.collect(host, record, first, undefined));
    }
    return all;
  }

  private participantsRequest(
    host: string,
    conference: string,
    filter: string | undefined,
  ): RestRequest {
    return {
      method: 'get',
      url: `${MEET}/${conference}/participants${query({ filter, pageSize: PARTICIPANT_PAGE })}`,
      token: this.credentials.token(host),
    };
  }

  /** The first page plus any further ones (more than 250 people is rare but possible). */
  private collect(
    host: string,
    conference: string,
    first: ParticipantPage,
    filter: string | undefined,
  ): CallParticipant[] {
    const out = (first.participants ?? []).map((p) => this.toParticipant(p));
    let next = first.nextPageToken;
    while (next) {
      const page = this.rest.json<ParticipantPage>({
        ...this.participantsRequest(host, conference, filter),
        url: `${MEET}/${conference}/participants${query({ filter, pageSize: PARTICIPANT_PAGE, pageToken: next })}`,
      });
      out.push(...(page.participants ?? []).map((p) => this.toParticipant(p)));
      next = page.nextPageToken;
    }
    return out;
  }

  private toParticipant(p: MeetParticipant): CallParticipant {
    const firstJoined = p.earliestStartTime ? Date.parse(p.earliestStartTime) : this.now();
    const lastLeft = p.latestEndTime ? Date.parse(p.latestEndTime) : null;
    // The participants list gives first join and last leave; time away in between would
    // need participantSessions (one call per person), which the log does not need.
    const minutesInCall = Math.max(
      0,
      Math.round(((lastLeft ?? this.now()) - firstJoined) / 60_000),
    );
    if (p.signedinUser) {
      return {
        kind: 'signed-in',
        userId: (p.signedinUser.user ?? '').replace(/^users\//, '') || null,
        displayName: p.signedinUser.displayName ?? '',
        firstJoined,
        lastLeft,
        minutesInCall,
      };
    }
    if (p.phoneUser)
      return {
        kind: 'phone',
        userId: null,
        displayName: p.phoneUser.displayName ?? 'Phone',
        firstJoined,
        lastLeft,
        minutesInCall,
      };
    return {
      kind: 'anonymous',
      userId: null,
      displayName: p.anonymousUser?.displayName ?? 'Guest',
      firstJoined,
      lastLeft,
      minutesInCall,
    };
  }
}
