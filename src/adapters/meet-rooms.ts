// Google Meet REST API v2 (there is no Apps Script advanced service), as the teacher.
// doc: https://developers.google.com/meet/api/reference/rest/v2/spaces
// doc: https://developers.google.com/meet/api/reference/rest/v2/conferenceRecords.participants/list

import { isFailure, ServiceFailure } from '../core/errors';
import type { Room } from '../core/lesson';
import { type CallParticipant, cleanDisplayName } from '../core/participants';
import type { CallNow, EndAnswer, RoomHistory, RoomSettings, Rooms } from '../core/ports';
import type { RoomCall } from '../core/recording';
import type { Credentials } from './credentials';
import { type OnLostChunk, query, RestClient, type RestRequest } from './rest-client';

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
 * pupils join as viewers when the school says so (`pupilsJoinAsViewers`), else as
 * contributors; recorded automatically unless the school's recording setting leaves this
 * lesson out (R25, recording-policy.ts).
 * doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces#DefaultJoinAsViewerType
 * ("By default users will join as contributors. Hosts can restrict users to join as viewers."
 * ON: "Users will by default join as viewers.") A viewer cannot share audio or video until a
 * host makes them a contributor; the teacher, the space's owner, is a host.
 * doc: https://developers.google.com/meet/api/reference/rest/v2/spaces#recordingconfig
 * ("autoRecordingGeneration: Defines whether a meeting space is automatically recorded
 * when someone with the privilege to record joins the meeting")
 * R27: no other artifact with pupils' data is asked for, each set off explicitly so that a
 * school default cannot turn it on: no attendance report (attendance comes from the
 * participants API), no transcript, no smart notes.
 * doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces#SpaceConfig
 * (AttendanceReportGenerationType DO_NOT_GENERATE; ArtifactConfig.AutoGenerationType OFF)
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
      defaultJoinAsViewerType: settings.pupilsJoinAsViewers ? 'ON' : 'OFF',
    },
    attendanceReportGenerationType: 'DO_NOT_GENERATE',
    artifactConfig: {
      recordingConfig: { autoRecordingGeneration: settings.autoRecording ? 'ON' : 'OFF' },
      transcriptionConfig: { autoTranscriptionGeneration: 'OFF' },
      smartNotesConfig: { autoSmartNotesGeneration: 'OFF' },
    },
  };
}

export class MeetRooms implements Rooms {
  constructor(
    private readonly rest: RestClient,
    private readonly credentials: Credentials,
    private readonly now: () => number,
  ) {}

  /** New spaces are never asked for twice: a lost answer leaves an unused space nobody has the link to. */
  create(requests: readonly { host: string; settings: RoomSettings }[]): (Room | Error)[] {
    this.credentials.warm(requests.map((r) => r.host));
    const answers = this.rest.jsonAll<MeetSpace>(
      RestClient.build(requests, (r) => ({
        method: 'post',
        url: `${MEET}/spaces`,
        token: this.credentials.token(r.host),
        body: { config: safeSpaceConfig(r.settings) },
      })),
      'never',
    );
    return answers.map((space) =>
      space instanceof ServiceFailure
        ? space
        : { space: space.name, meetingUri: space.meetingUri, meetingCode: space.meetingCode },
    );
  }

  /**
   * doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces.members/create
   * doc: https://developers.google.com/workspace/meet/api/guides/meeting-space-members ("These
   * users can join the meeting space without requesting permission to connect"). The role is
   * left unspecified ("determined upon joining ... between 'contributor' and 'viewer'"): COHOST
   * would let a mistyped address admit people and manage the call. Asked again after a lost
   * answer: one already a member answers ALREADY_EXISTS (409), which is what was wanted.
   */
  addMembers(requests: readonly { host: string; room: Room; email: string }[]): (Error | null)[] {
    this.credentials.warm(requests.map((r) => r.host));
    const answers = this.rest.jsonAll<unknown>(
      RestClient.build(requests, (r) => ({
        method: 'post',
        url: `${MEET}/${r.room.space}/members`,
        token: this.credentials.token(r.host),
        body: { email: r.email },
      })),
      'again',
    );
    return answers.map((a) => (a instanceof ServiceFailure && a.status !== 409 ? a : null));
  }

  whoIsIn(
    requests: readonly { host: string; room: Room; conference: string | null }[],
    stopIf: () => boolean = () => false,
    { askAgain = false }: { askAgain?: boolean } = {},
  ): Map<string, CallNow | null | Error> {
    const result = new Map<string, CallNow | null | Error>();
    // Each round can take a minute when Google leaves a request unanswered: a link that comes
    // due meanwhile must not wait for the rest of the look (R10). The rooms not yet answered
    // are left out; the monitor looks at them on its next pass, after the safety steps.
    if (stopIf()) return result;
    this.credentials.warm(
      requests.map((r) => r.host),
      { askAgain },
    );
    if (stopIf()) return result;
    // Rooms whose running conference we do not know yet: ask the space first.
    const unknown = requests.filter((r) => !r.conference);
    // A lost round is not asked again here: the monitor looks again within seconds, after any
    // safety step that fell due meanwhile (an unanswered request can take a minute).
    const spaces = this.rest.jsonAll<MeetSpace>(
      RestClient.build(unknown, (r) => ({
        method: 'get',
        url: `${MEET}/${r.room.space}`,
        token: this.credentials.token(r.host),
      })),
      'never',
    );
    const toList: { host: string; space: string; conference: string }[] = [];
    unknown.forEach((r, i) => {
      const answer = spaces[i]!;
      if (answer instanceof ServiceFailure) {
        result.set(r.room.space, answer);
        return;
      }
      const conference = answer.activeConference?.conferenceRecord;
      if (conference) toList.push({ host: r.host, space: r.room.space, conference });
      else result.set(r.room.space, null);
    });
    for (const r of requests)
      if (r.conference)
        toList.push({ host: r.host, space: r.room.space, conference: r.conference });
    if (toList.length > 0 && stopIf()) return result;

    // Everyone in the call, present or gone: who is in now (latestEndTime unset) and when each
    // who left last left, which says when the last member of staff went (R21) and who came and
    // went between two looks (R22). One list, the same request count as the present only.
    // doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants
    // ("latestEndTime: Time when the participant left the meeting for the last time. This can be
    // null if it's an active meeting.")
    const pages = this.allPages(toList, (r) => r.conference, undefined, 'never');
    toList.forEach((r, i) => {
      const everyone = pages[i]!;
      if (everyone instanceof ServiceFailure) {
        result.set(r.space, everyone);
        return;
      }
      const participants = everyone.filter((p) => p.lastLeft === null);
      const departed = everyone.filter((p) => p.lastLeft !== null);
      // Nobody left in a known conference: it has ended; the next look asks the space again.
      result.set(
        r.space,
        participants.length > 0 ? { conference: r.conference, participants, departed } : null,
      );
    });
    return result;
  }

  /**
   * Ends each call, then locks each room (CREATOR_APP_ONLY: it can no longer be joined from
   * Meet, so nobody can re-enter). Both are safe to send again, so a lost round is asked again;
   * a lost round of ends is asked again with each end sent twice (rest-client.ts `twice`).
   */
  endAndLock(requests: readonly { host: string; room: Room }[]): EndAnswer[] {
    this.credentials.warm(
      requests.map((r) => r.host),
      { askAgain: true },
    );
    const ended = this.rest.jsonAll(
      RestClient.build(requests, (r) => ({
        method: 'post',
        url: `${MEET}/${r.room.space}:endActiveConference`,
        token: this.credentials.token(r.host),
        body: {},
      })),
      'twice',
    );
    const locked = this.rest.jsonAll(
      RestClient.build(requests, (r) => ({
        method: 'patch',
        url: `${MEET}/${r.room.space}${query({ updateMask: 'config.accessType,config.entryPointAccess' })}`,
        token: this.credentials.token(r.host),
        body: { config: { accessType: 'RESTRICTED', entryPointAccess: 'CREATOR_APP_ONLY' } },
      })),
      'again',
    );
    return requests.map((_, i) => {
      const end = ended[i];
      // No conference running (nobody joined, or it already ended) is what we wanted.
      const endFailed =
        end instanceof ServiceFailure && !isFailure(end, 'permanent') && !isFailure(end, 'gone');
      const lock = locked[i];
      return {
        end: endFailed ? end : null,
        lock: lock instanceof ServiceFailure ? lock : null,
      };
    });
  }

  /** One round lists every room's conferences; one more lists everyone in each of them. */
  history(requests: readonly { host: string; room: Room }[]): Map<string, RoomHistory | Error> {
    this.credentials.warm(requests.map((r) => r.host));
    const result = new Map<string, RoomHistory | Error>();
    const records = this.allRecords(requests);
    const toList: { host: string; space: string; conference: string; call: RoomCall }[] = [];
    requests.forEach((r, i) => {
      const found = records[i]!;
      if (found instanceof ServiceFailure) result.set(r.room.space, found);
      else
        for (const call of found)
          toList.push({ host: r.host, space: r.room.space, conference: call.name, call });
    });
    const pages = this.allPages(toList, (r) => r.conference, undefined);
    for (const r of requests) {
      if (result.has(r.room.space)) continue;
      result.set(r.room.space, { conferences: [], participants: [] });
    }
    toList.forEach((r, i) => {
      const seen = result.get(r.space)!;
      if (seen instanceof Error) return;
      const answer = pages[i]!;
      if (answer instanceof ServiceFailure) {
        result.set(r.space, answer);
        return;
      }
      seen.conferences.push(r.call);
      seen.participants.push(...answer);
    });
    return result;
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

  /** Each room's conference records (`conferenceRecords.list` filtered by space), every page. */
  private allRecords(
    requests: readonly { host: string; room: Room }[],
  ): (RoomCall[] | ServiceFailure)[] {
    const request = (r: { host: string; room: Room }, pageToken?: string): RestRequest => ({
      method: 'get',
      url: `${MEET}/conferenceRecords${query({ filter: `space.name = "${r.room.space}"`, pageSize: RECORD_PAGE, pageToken })}`,
      token: this.credentials.token(r.host),
    });
    const time = (t: string | undefined) => (t ? Date.parse(t) : undefined);
    return this.rest.pagedAll<RecordPage, { host: string; room: Room }, RoomCall>(
      requests,
      request,
      (page) =>
        (page.conferenceRecords ?? []).map((c) => ({
          name: c.name,
          ...(c.startTime ? { start: time(c.startTime) } : {}),
          end: c.endTime ? (time(c.endTime) ?? null) : null,
        })),
    );
  }

  /** The participants of each conference, every page (more than 250 people is rare but possible). */
  private allPages<T extends { host: string }>(
    items: readonly T[],
    conferenceOf: (item: T) => string,
    filter: string | undefined,
    onLost: OnLostChunk = 'again',
  ): (CallParticipant[] | ServiceFailure)[] {
    const request = (item: T, pageToken?: string): RestRequest => ({
      method: 'get',
      url: `${MEET}/${conferenceOf(item)}/participants${query({ filter, pageSize: PARTICIPANT_PAGE, pageToken })}`,
      token: this.credentials.token(item.host),
    });
    const lists = this.rest.pagedAll<ParticipantPage, T, CallParticipant>(
      items,
      request,
      (page) => (page.participants ?? []).map((p) => this.toParticipant(p)),
      onLost,
    );
    // Pages read while people join can name someone twice: once each.
    return lists.map((list) => (list instanceof ServiceFailure ? list : onceEach(list)));
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
    // Display names are whatever people typed: one line, cut, before anything stores them.
    const times = { id: p.name, firstJoined, lastLeft, minutesInCall };
    if (p.signedinUser) {
      return {
        kind: 'signed-in',
        userId: (p.signedinUser.user ?? '').replace(/^users\//, '') || null,
        displayName: cleanDisplayName(p.signedinUser.displayName, 'Signed-in user'),
        ...times,
      };
    }
    // doc: PhoneUser.displayName is the "partially redacted user's phone number when calling".
    if (p.phoneUser)
      return {
        kind: 'phone',
        userId: null,
        displayName: cleanDisplayName(p.phoneUser.displayName, 'Phone'),
        ...times,
      };
    return {
      kind: 'anonymous',
      userId: null,
      displayName: cleanDisplayName(p.anonymousUser?.displayName, 'Guest'),
      ...times,
    };
  }
}

/** One entry per participant resource (a list read in pages while people join may repeat one). */
function onceEach(list: CallParticipant[]): CallParticipant[] {
  const seen = new Set<string>();
  return list.filter((p) => {
    if (!p.id) return true;
    if (seen.has(p.id)) return false;
    seen.add(p.id);
    return true;
  });
}
