// Google Meet: meeting spaces and what happens in them. The REST API v2 (meet-routes.ts)
// is how the product reaches it; the world API here is how tests act as people in the
// Meet UI (joining, knocking, being admitted, leaving), which is never counted.

import { seededRandom } from '../kernel/faults';
import type { SimKernel } from '../kernel/kernel';
import type { Principal } from '../kernel/tokens';
import type { DriveWorld } from '../kernel/world-ports';
import { type AccessType, configForCreate, defaultConfig, type SpaceConfig } from './meet-config';
import {
  type ConferenceState,
  type MeetPerson,
  type ParticipantState,
  personKey,
  personLabel,
  RECORD_RETENTION_MS,
  type SpaceState,
  spaceJson,
} from './meet-model';
import { registerMeetRoutes } from './meet-routes';

export type JoinOutcome = 'joined' | 'knocking' | 'refused';

export interface SimMeetOptions {
  /** How long after a recorded conference ends its MP4 appears in Drive (default 12 minutes). */
  recordingDelayMs?: number;
  /** The organisation's default access type for new spaces (default TRUSTED). */
  defaultAccessType?: AccessType;
  /** The owner's time zone, used in the recording file's name (default Europe/London). */
  timeZone?: string;
  seed?: number;
}

const SCOPE = (s: string) => `https://www.googleapis.com/auth/${s}`;

export class SimMeet {
  readonly spaces = new Map<string, SpaceState>();
  readonly conferences = new Map<string, ConferenceState>();
  recordingDelayMs: number;
  readonly defaultAccessType: AccessType;
  private readonly timeZone: string;
  private readonly random: () => number;

  constructor(
    readonly kernel: SimKernel,
    private readonly drive: DriveWorld,
    options: SimMeetOptions = {},
  ) {
    this.recordingDelayMs = options.recordingDelayMs ?? 12 * 60_000;
    this.defaultAccessType = options.defaultAccessType ?? 'TRUSTED';
    this.timeZone = options.timeZone ?? 'Europe/London';
    this.random = seededRandom(options.seed ?? 7);
    registerMeetRoutes(kernel, this);
  }

  // ---- used by the REST routes ----

  defaults(): SpaceConfig {
    return defaultConfig(this.defaultAccessType);
  }

  createSpace(principal: Principal, requestConfig: unknown): SpaceState {
    const space: SpaceState = {
      id: this.uniqueId((id) => this.spaces.has(id), 12, 'mixed'),
      meetingCode: this.uniqueMeetingCode(),
      owner: principal.user.toLowerCase(),
      project: principal.project,
      config: configForCreate(requestConfig, this.defaults()),
      invitees: new Set(),
      knocking: new Map(),
    };
    this.spaces.set(space.id, space);
    return space;
  }

  /** `spaces/{id}` (case-sensitive) or, where the method allows it, `spaces/{meetingCode}`. */
  findSpace(idOrCode: string, allowCode: boolean): SpaceState | undefined {
    const byId = this.spaces.get(idOrCode);
    if (byId || !allowCode) return byId;
    const code = idOrCode.toLowerCase();
    return [...this.spaces.values()].find((s) => s.meetingCode === code);
  }

  /** meetings.space.created reaches only spaces made by the caller's own Cloud project. */
  reaches(principal: Principal, space: SpaceState, broadScopes: string[]): boolean {
    const broad = broadScopes.some((s) => principal.scopes.includes(SCOPE(s)));
    return broad || space.project === principal.project;
  }

  isInCall(space: SpaceState, person: MeetPerson): boolean {
    const conference = space.activeConference
      ? this.conferences.get(space.activeConference)
      : undefined;
    return (
      !!conference && this.openParticipants(conference).some((p) => p.key === personKey(person))
    );
  }

  /** Live (not yet expired) conference records. */
  liveConferences(): ConferenceState[] {
    const now = this.kernel.now();
    return [...this.conferences.values()].filter(
      (c) => c.endTime === undefined || now < c.endTime + RECORD_RETENTION_MS,
    );
  }

  /** doc: https://developers.google.com/workspace/meet/api/guides/conferences — owners and participants. */
  canSeeConference(principal: Principal, conference: ConferenceState): boolean {
    const space = this.spaces.get(conference.spaceId)!;
    const user = principal.user.toLowerCase();
    const involved =
      space.owner === user || conference.participants.some((p) => p.signedIn?.email === user);
    return involved && this.reaches(principal, space, ['meetings.space.readonly']);
  }

  endConference(space: SpaceState): void {
    const conference = space.activeConference
      ? this.conferences.get(space.activeConference)
      : undefined;
    if (!conference) return;
    const now = this.kernel.now();
    for (const p of conference.participants) {
      for (const s of p.sessions) if (s.endTime === undefined) s.endTime = now;
    }
    conference.endTime = now;
    space.activeConference = undefined;
    space.knocking.clear();
    for (const recording of conference.recordings) {
      if (recording.state !== 'STARTED') continue;
      recording.state = 'ENDED';
      recording.endTime = now;
      const at = now + this.recordingDelayMs;
      this.kernel.clock.schedule(at, `meet recording ${recording.id}`, () => {
        const parentId = this.drive.ensureMyDriveFolder(space.owner, 'Meet Recordings');
        const file = this.drive.createFile({
          name: this.recordingFileName(space.meetingCode, recording.startTime),
          mimeType: 'video/mp4',
          owner: space.owner,
          parentId,
          createdTime: at,
        });
        recording.fileId = file.id;
        recording.state = 'FILE_GENERATED';
      });
    }
  }

  // ---- world API: people in the Meet UI (not counted) ----

  /**
   * Someone opens the meeting link. Who gets in without knocking follows SpaceConfig.AccessType
   * (doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/spaces#AccessType):
   * OPEN — anyone with the link; TRUSTED — members of the host's organisation, invited users and
   * dial-in users; RESTRICTED — only invitees (the owner, and users passed to `invite`).
   * Anonymous guests always knock (the school's Workspace policy; a choice). A space whose
   * entryPointAccess is CREATOR_APP_ONLY refuses the Meet UI (`via: 'meet-ui'`, the default):
   * only the creating project's own entry points (`via: 'creator-app'`) may join.
   */
  join(
    person: MeetPerson,
    meetingCodeOrUri: string,
    options: { via?: 'meet-ui' | 'creator-app' } = {},
  ): JoinOutcome {
    const space = this.requireSpace(meetingCodeOrUri);
    if (
      (options.via ?? 'meet-ui') === 'meet-ui' &&
      space.config.entryPointAccess === 'CREATOR_APP_ONLY'
    ) {
      return 'refused';
    }
    if (typeof person === 'string') this.kernel.directory.require(person);
    if (this.isInCall(space, person)) return 'joined';
    if (this.entersWithoutKnocking(space, person)) {
      this.enter(space, person);
      return 'joined';
    }
    space.knocking.set(personKey(person), person);
    return 'knocking';
  }

  /** The host lets a knocking person in (the host must be in the call, as in Meet). */
  admit(hostEmail: string, meetingCodeOrUri: string, person: MeetPerson): void {
    const space = this.requireHostInCall(hostEmail, meetingCodeOrUri);
    if (!space.knocking.has(personKey(person))) {
      throw new Error(`${personLabel(person)} is not knocking on ${space.meetingCode}`);
    }
    this.enter(space, person);
  }

  /** The host refuses a knocking person. */
  deny(hostEmail: string, meetingCodeOrUri: string, person: MeetPerson): void {
    const space = this.requireHostInCall(hostEmail, meetingCodeOrUri);
    space.knocking.delete(personKey(person));
  }

  /** Someone leaves; when the last one leaves, the conference ends. */
  leave(person: MeetPerson, meetingCodeOrUri: string): void {
    const space = this.requireSpace(meetingCodeOrUri);
    space.knocking.delete(personKey(person));
    const conference = space.activeConference
      ? this.conferences.get(space.activeConference)
      : undefined;
    if (!conference) return;
    const participant = conference.participants.find((p) => p.key === personKey(person));
    const open = participant?.sessions.find((s) => s.endTime === undefined);
    if (!open) return;
    open.endTime = this.kernel.now();
    if (this.openParticipants(conference).length === 0) this.endConference(space);
  }

  invite(meetingCodeOrUri: string, email: string): void {
    this.requireSpace(meetingCodeOrUri).invitees.add(email.toLowerCase());
  }

  /** Who is in the call now: emails, or display names for guests and callers. */
  participantsNow(meetingCodeOrUri: string): string[] {
    const space = this.requireSpace(meetingCodeOrUri);
    const conference = space.activeConference
      ? this.conferences.get(space.activeConference)
      : undefined;
    return conference ? this.openParticipants(conference).map((p) => personLabel(p.person)) : [];
  }

  knockingNow(meetingCodeOrUri: string): string[] {
    return [...this.requireSpace(meetingCodeOrUri).knocking.values()].map(personLabel);
  }

  /** The space as its owner sees it on the API (a copy). */
  spaceInfo(meetingCodeOrUri: string): Record<string, unknown> {
    return spaceJson(this.requireSpace(meetingCodeOrUri), { config: true, activeConference: true });
  }

  // ---- internals ----

  private entersWithoutKnocking(space: SpaceState, person: MeetPerson): boolean {
    if (typeof person !== 'string') {
      if ('anonymous' in person) return false;
      return space.config.accessType !== 'RESTRICTED'; // dial-in users: OPEN and TRUSTED
    }
    const email = person.toLowerCase();
    if (email === space.owner || space.invitees.has(email)) return true;
    switch (space.config.accessType) {
      case 'OPEN':
        return true;
      case 'TRUSTED':
        return this.kernel.directory.inDomain(email);
      case 'RESTRICTED':
        return false;
    }
  }

  private enter(space: SpaceState, person: MeetPerson): void {
    const now = this.kernel.now();
    let conference = space.activeConference
      ? this.conferences.get(space.activeConference)
      : undefined;
    if (!conference) {
      // The first person in starts a new conference (a new conference record).
      conference = {
        id: this.uniqueId((id) => this.conferences.has(id), 20, 'lower'),
        spaceId: space.id,
        startTime: now,
        participants: [],
        recordings: [],
      };
      this.conferences.set(conference.id, conference);
      space.activeConference = conference.id;
      if (space.config.artifactConfig.recordingConfig.autoRecordingGeneration === 'ON') {
        conference.recordings.push({
          id: this.uniqueId(() => false, 16, 'mixed'),
          state: 'STARTED',
          startTime: now,
        });
      }
    }
    const key = personKey(person);
    let participant = conference.participants.find((p) => p.key === key);
    if (!participant) {
      participant = { id: this.uniqueId(() => false, 19, 'digits'), key, person, sessions: [] };
      if (typeof person === 'string') {
        const user = this.kernel.directory.require(person);
        participant.signedIn = { userId: user.id, displayName: user.name, email: user.email };
      }
      conference.participants.push(participant);
    }
    participant.sessions.push({ id: this.uniqueId(() => false, 20, 'lower'), startTime: now });
    space.knocking.delete(key);
  }

  private openParticipants(conference: ConferenceState): ParticipantState[] {
    return conference.participants.filter((p) => p.sessions.some((s) => s.endTime === undefined));
  }

  private requireSpace(meetingCodeOrUri: string): SpaceState {
    const code = meetingCodeOrUri.replace(/^https:\/\/meet\.google\.com\//, '').toLowerCase();
    const space = [...this.spaces.values()].find((s) => s.meetingCode === code);
    if (!space) throw new Error(`No simulated Meet space ${meetingCodeOrUri}`);
    return space;
  }

  private requireHostInCall(hostEmail: string, meetingCodeOrUri: string): SpaceState {
    const space = this.requireSpace(meetingCodeOrUri);
    const host = hostEmail.toLowerCase();
    if (host !== space.owner || !this.isInCall(space, host)) {
      throw new Error(`${hostEmail} is not hosting ${space.meetingCode} right now`);
    }
    return space;
  }

  /** E.g. "abc-mnop-xyz (2026-11-23 09:00 GMT) - Recording", in the owner's time zone. */
  private recordingFileName(meetingCode: string, startMs: number): string {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-GB', {
        timeZone: this.timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'short',
      })
        .formatToParts(new Date(startMs))
        .map((p) => [p.type, p.value]),
    );
    return `${meetingCode} (${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}) - Recording`;
  }

  private uniqueMeetingCode(): string {
    const letters = (n: number) =>
      Array.from({ length: n }, () =>
        String.fromCharCode(97 + Math.floor(this.random() * 26)),
      ).join('');
    for (;;) {
      // doc: Space.meetingCode "Format: [a-z]+-[a-z]+-[a-z]+. For example, abc-mnop-xyz."
      const code = `${letters(3)}-${letters(4)}-${letters(3)}`;
      if (![...this.spaces.values()].some((s) => s.meetingCode === code)) return code;
    }
  }

  private uniqueId(
    taken: (id: string) => boolean,
    length: number,
    kind: 'mixed' | 'lower' | 'digits',
  ): string {
    const alphabet =
      kind === 'digits'
        ? '0123456789'
        : kind === 'lower'
          ? 'abcdefghijklmnopqrstuvwxyz0123456789'
          : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    for (;;) {
      const id = Array.from(
        { length },
        () => alphabet[Math.floor(this.random() * alphabet.length)],
      ).join('');
      if (!taken(id)) return id;
    }
  }
}
