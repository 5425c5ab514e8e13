// What the simulated Meet remembers (spaces, conferences, participants, sessions,
// recordings) and how each is shown on the wire, per the v2 resource pages.
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces
// doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords

import type { SpaceConfig } from './meet-config';

/** Someone in the Meet UI: a signed-in user (email), an anonymous guest, or a dial-in caller. */
export type MeetPerson = string | { anonymous: string } | { phone: string };

export interface SpaceState {
  id: string;
  meetingCode: string;
  /** The creator: the only owner the simulation models (co-hosts are not modelled). */
  owner: string;
  /** Cloud project whose OAuth client created it (meetings.space.created reaches only these). */
  project: string;
  config: SpaceConfig;
  /** Invited users (RESTRICTED lets only invitees in without knocking). */
  invitees: Set<string>;
  /**
   * Members made with spaces.members.create, by email: they join without knocking, and a
   * COHOST may admit people who knock.
   * doc: https://developers.google.com/workspace/meet/api/guides/meeting-space-members ("These
   * users can join the meeting space without requesting permission to connect"; "COHOST which
   * allows them to co-manage the meeting during a conference").
   */
  members: Map<string, { id: string; role: 'COHOST' | 'ROLE_UNSPECIFIED' }>;
  /** People knocking, by identity key. */
  knocking: Map<string, MeetPerson>;
  activeConference?: string;
}

export interface SessionState {
  id: string;
  startTime: number;
  endTime?: number;
}

export interface ParticipantState {
  id: string;
  /** `user:<email>`, `anon:<name>` or `phone:<number>`. */
  key: string;
  person: MeetPerson;
  signedIn?: { userId: string; displayName: string; email: string };
  sessions: SessionState[];
}

export type RecordingStateName = 'STARTED' | 'ENDED' | 'FILE_GENERATED';

export interface RecordingState {
  id: string;
  state: RecordingStateName;
  startTime: number;
  endTime?: number;
  fileId?: string;
}

/** Other artifacts a conference may leave in its organiser's Drive (never listed by our routes). */
export type ArtifactKind = 'transcript' | 'smart-notes' | 'attendance-report';

export interface ConferenceState {
  id: string;
  spaceId: string;
  startTime: number;
  endTime?: number;
  participants: ParticipantState[];
  recordings: RecordingState[];
  /** Automatic recording has started once in this conference (it does not start again). */
  autoRecorded?: boolean;
  /** Artifacts being made in this conference, written to Drive when it ends. */
  artifacts: Set<ArtifactKind>;
}

/** Records are deleted 30 days after the conference ends (ConferenceRecord.expireTime). */
export const RECORD_RETENTION_MS = 30 * 86_400_000;

const iso = (ms: number) => new Date(ms).toISOString();

export function personKey(person: MeetPerson): string {
  if (typeof person === 'string') return `user:${person.toLowerCase()}`;
  if ('anonymous' in person) return `anon:${person.anonymous}`;
  return `phone:${person.phone}`;
}

export function personLabel(person: MeetPerson): string {
  if (typeof person === 'string') return person.toLowerCase();
  return 'anonymous' in person ? person.anonymous : person.phone;
}

export function spaceJson(
  space: SpaceState,
  view: { config: boolean; activeConference: boolean },
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: `spaces/${space.id}`,
    meetingUri: `https://meet.google.com/${space.meetingCode}`,
    meetingCode: space.meetingCode,
  };
  if (view.config) json.config = structuredClone(space.config);
  if (view.activeConference && space.activeConference) {
    json.activeConference = { conferenceRecord: `conferenceRecords/${space.activeConference}` };
  }
  return json;
}

export function conferenceJson(conference: ConferenceState): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: `conferenceRecords/${conference.id}`,
    startTime: iso(conference.startTime),
  };
  if (conference.endTime !== undefined) {
    json.endTime = iso(conference.endTime);
    json.expireTime = iso(conference.endTime + RECORD_RETENTION_MS);
  }
  json.space = `spaces/${conference.spaceId}`;
  return json;
}

export function earliestStart(participant: ParticipantState): number {
  return Math.min(...participant.sessions.map((s) => s.startTime));
}

/** Unset while any of the participant's sessions is still open. */
export function latestEnd(participant: ParticipantState): number | undefined {
  if (participant.sessions.some((s) => s.endTime === undefined)) return undefined;
  return Math.max(...participant.sessions.map((s) => s.endTime!));
}

export function participantJson(
  conference: ConferenceState,
  participant: ParticipantState,
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: `conferenceRecords/${conference.id}/participants/${participant.id}`,
  };
  const person = participant.person;
  // Exactly one of signedinUser / anonymousUser / phoneUser.
  if (participant.signedIn) {
    json.signedinUser = {
      user: `users/${participant.signedIn.userId}`,
      displayName: participant.signedIn.displayName,
    };
  } else if (typeof person === 'object' && 'anonymous' in person) {
    json.anonymousUser = { displayName: person.anonymous };
  } else if (typeof person === 'object' && 'phone' in person) {
    json.phoneUser = { displayName: redactedPhone(person.phone) };
  }
  json.earliestStartTime = iso(earliestStart(participant));
  const end = latestEnd(participant);
  if (end !== undefined) json.latestEndTime = iso(end);
  return json;
}

/**
 * doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants#PhoneUser
 * ("displayName: Partially redacted user's phone number when calling.")
 * assumption: the format is not documented; every digit but the last three is hidden.
 */
export function redactedPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '').length;
  let seen = 0;
  return phone.replace(/\d/g, (d) => {
    seen += 1;
    return seen > digits - 3 ? d : '*';
  });
}

export function sessionJson(
  conference: ConferenceState,
  participant: ParticipantState,
  session: SessionState,
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: `conferenceRecords/${conference.id}/participants/${participant.id}/participantSessions/${session.id}`,
    startTime: iso(session.startTime),
  };
  if (session.endTime !== undefined) json.endTime = iso(session.endTime);
  return json;
}

export function recordingJson(
  conference: ConferenceState,
  recording: RecordingState,
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    name: `conferenceRecords/${conference.id}/recordings/${recording.id}`,
    state: recording.state,
    startTime: iso(recording.startTime),
  };
  if (recording.endTime !== undefined) json.endTime = iso(recording.endTime);
  // doc: driveDestination is where the MP4 "is saved" — only once the file exists.
  if (recording.state === 'FILE_GENERATED' && recording.fileId) {
    json.driveDestination = {
      file: recording.fileId,
      exportUri: `https://drive.google.com/file/d/${recording.fileId}/view`,
    };
  }
  return json;
}
