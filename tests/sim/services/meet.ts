// Google Meet: meeting spaces and what happens in them. The REST API v2 (meet-routes.ts)
// is how the product reaches it; the world API here is how tests act as people in the
// Meet UI (joining, knocking, being admitted, leaving), which is never counted.

import { seededRandom } from '../kernel/faults';
import type { SimKernel } from '../kernel/kernel';
import type { Principal } from '../kernel/tokens';
import type { DriveWorld } from '../kernel/world-ports';
import { type AccessType, configForCreate, defaultConfig, type SpaceConfig } from './meet-config';
import {
  type ArtifactKind,
  type ConferenceState,
  type MeetPerson,
  type ParticipantState,
  personKey,
  personLabel,
  RECORD_RETENTION_MS,
  type RecordingState,
  type SpaceState,
  spaceJson,
} from './meet-model';
import { registerMeetRoutes } from './meet-routes';

export type JoinOutcome = 'joined' | 'knocking' | 'refused';

export interface SimMeetOptions {
  /**
   * How long after a recording ends its MP4 appears in Drive (default 12 minutes).
   * assumption: Google documents no delay; "minutes" is what schools see.
   */
  recordingDelayMs?: number;
  /** The organisation's default access type for new spaces (default TRUSTED). */
  defaultAccessType?: AccessType;
  /** The owner's time zone, used in the recording file's name (default Europe/London). */
  timeZone?: string;
  seed?: number;
}

const SCOPE = (s: string) => `https://www.googleapis.com/auth/${s}`;

/** The organisation's defaults for what Meet makes, applied to spaces that do not set them. */
export interface OrgArtifactDefaults {
  attendanceReportGenerationType?: 'GENERATE_REPORT' | 'DO_NOT_GENERATE';
  autoTranscriptionGeneration?: 'ON' | 'OFF';
  autoSmartNotesGeneration?: 'ON' | 'OFF';
}

/** What each artifact is called in Drive and what it is. assumption: names as Meet shows them in Drive. */
const ARTIFACT_FILES: Record<ArtifactKind, { suffix: string; mimeType: string }> = {
  transcript: { suffix: 'Transcript', mimeType: 'application/vnd.google-apps.document' },
  'smart-notes': { suffix: 'Notes by Gemini', mimeType: 'application/vnd.google-apps.document' },
  'attendance-report': {
    suffix: 'Attendance report',
    mimeType: 'application/vnd.google-apps.spreadsheet',
  },
};

export class SimMeet {
  readonly spaces = new Map<string, SpaceState>();
  readonly conferences = new Map<string, ConferenceState>();
  recordingDelayMs: number;
  /** Delays for the next recordings' files, in the order they end ('never': not made); then recordingDelayMs. */
  readonly nextRecordingDelays: (number | 'never')[] = [];
  /**
   * The school's Workspace edition allows recording.
   * doc: https://support.google.com/meet/answer/9308681 — "You can record video meetings with these
   * Google Workspace editions: ... Education Plus ... Teaching and Learning Upgrade".
   */
  editionRecords = true;
  /** Space owners whose account holds no licence that records (the licence that counts is the organiser's). */
  readonly unlicensed = new Set<string>();
  /** What the school's admin turned on for every meeting unless the space says otherwise. */
  orgArtifactDefaults: OrgArtifactDefaults = {};
  /** Every file Meet has put in someone's Drive (world record for tests: where did it end up?). */
  readonly made: { fileId: string; kind: ArtifactKind | 'recording'; meetingCode: string }[] = [];
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
    const config = defaultConfig(this.defaultAccessType);
    const org = this.orgArtifactDefaults;
    // doc: SpaceConfig — *_UNSPECIFIED is the "default value specified by user policy".
    if (org.attendanceReportGenerationType)
      config.attendanceReportGenerationType = org.attendanceReportGenerationType;
    if (org.autoTranscriptionGeneration)
      config.artifactConfig.transcriptionConfig.autoTranscriptionGeneration =
        org.autoTranscriptionGeneration;
    if (org.autoSmartNotesGeneration)
      config.artifactConfig.smartNotesConfig.autoSmartNotesGeneration =
        org.autoSmartNotesGeneration;
    return config;
  }

  /**
   * Whether `person` may record (or transcribe, or take notes) in this space's calls.
   * doc: https://support.google.com/meet/answer/9308681 — the editions that record; "People outside
   * of your organization ... cannot control the recording".
   * assumption (PLATFORM-FACTS, "Learned since"): in Education editions only staff may record,
   * and the licence that counts is the space owner's.
   */
  mayRecord(space: SpaceState, person: MeetPerson): boolean {
    if (!this.editionRecords || this.unlicensed.has(space.owner)) return false;
    if (typeof person !== 'string') return false;
    const user = this.kernel.directory.byEmail(person);
    return user?.kind === 'staff' && this.kernel.directory.inDomain(person);
  }

  createSpace(principal: Principal, requestConfig: unknown): SpaceState {
    const space: SpaceState = {
      id: this.uniqueId((id) => this.spaces.has(id), 12, 'mixed'),
      meetingCode: this.uniqueMeetingCode(),
      owner: principal.user.toLowerCase(),
      project: principal.project,
      config: configForCreate(requestConfig, this.defaults()),
      invitees: new Set(),
      members: new Map(),
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
    // doc: https://support.google.com/meet/answer/9308681 — "The recording stops automatically
    // when everyone leaves the meeting."
    const running = conference.recordings.find((r) => r.state === 'STARTED');
    if (running) this.endRecording(space, running);
    // doc: https://developers.google.com/workspace/meet/api/guides/artifacts — "After a conference
    // ends, Meet saves recordings and transcripts to the meeting organizer's Google Drive."
    // doc: SpaceConfig.AttendanceReportGenerationType GENERATE_REPORT — "Attendance report will be
    // generated and sent to drive/email." assumption: all land beside the recordings.
    const made = [...conference.artifacts];
    if (space.config.attendanceReportGenerationType === 'GENERATE_REPORT')
      made.push('attendance-report');
    for (const kind of made) {
      const at = now + this.recordingDelayMs;
      this.kernel.clock.schedule(at, `meet ${kind} ${conference.id}`, () => {
        const { suffix, mimeType } = ARTIFACT_FILES[kind];
        const file = this.drive.createFile({
          name: this.artifactName(space.meetingCode, conference.startTime, suffix),
          mimeType,
          owner: space.owner,
          parentId: this.drive.ensureMyDriveFolder(space.owner, 'Meet Recordings'),
          createdTime: at,
        });
        this.made.push({ fileId: file.id, kind, meetingCode: space.meetingCode });
      });
    }
  }

  /** A recording session ends; its MP4 is made in the organiser's "Meet Recordings" later (or never). */
  private endRecording(space: SpaceState, recording: RecordingState): void {
    const now = this.kernel.now();
    recording.state = 'ENDED';
    recording.endTime = now;
    const delay = this.nextRecordingDelays.shift() ?? this.recordingDelayMs;
    if (delay === 'never') return;
    const at = now + delay;
    this.kernel.clock.schedule(at, `meet recording ${recording.id}`, () => {
      const parentId = this.drive.ensureMyDriveFolder(space.owner, 'Meet Recordings');
      const file = this.drive.createFile({
        name: this.artifactName(space.meetingCode, recording.startTime, 'Recording'),
        mimeType: 'video/mp4',
        owner: space.owner,
        parentId,
        createdTime: at,
      });
      recording.fileId = file.id;
      recording.state = 'FILE_GENERATED';
      this.made.push({ fileId: file.id, kind: 'recording', meetingCode: space.meetingCode });
    });
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

  /**
   * Someone already in the call joins again from a second device (a laptop and a phone): the
   * same participant gets a second session; they are in the call until every session has ended,
   * and `leave` ends one session at a time.
   * doc: https://developers.google.com/workspace/meet/api/reference/rest/v2/conferenceRecords.participants.participantSessions
   * ("Refers to each unique join or leave session when a user joins a conference from a device.")
   */
  joinFromAnotherDevice(person: MeetPerson, meetingCodeOrUri: string): void {
    const space = this.requireSpace(meetingCodeOrUri);
    if (!this.isInCall(space, person))
      throw new Error(`${personLabel(person)} is not in the call on ${space.meetingCode}`);
    this.enter(space, person);
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

  /**
   * Someone in the call starts recording from the Activities panel.
   * doc: https://support.google.com/meet/answer/9308681 — "Click Start recording"; one recording runs at a time.
   */
  startRecording(who: string, meetingCodeOrUri: string): void {
    const { space, conference } = this.callWith(who, meetingCodeOrUri);
    if (!this.mayRecord(space, who))
      throw new Error(`${who} may not record in ${space.meetingCode}`);
    if (conference.recordings.some((r) => r.state === 'STARTED'))
      throw new Error(`${space.meetingCode} is already being recorded`);
    conference.recordings.push({
      id: this.uniqueId(() => false, 16, 'mixed'),
      state: 'STARTED',
      startTime: this.kernel.now(),
    });
  }

  /** Someone in the call stops the recording ("Stop recording"): its file is made later. */
  stopRecording(who: string, meetingCodeOrUri: string): void {
    const { space, conference } = this.callWith(who, meetingCodeOrUri);
    if (!this.mayRecord(space, who))
      throw new Error(`${who} may not record in ${space.meetingCode}`);
    const running = conference.recordings.find((r) => r.state === 'STARTED');
    if (!running) throw new Error(`${space.meetingCode} is not being recorded`);
    this.endRecording(space, running);
  }

  /** Whether the room's call is being recorded right now (what everyone in the call is shown). */
  isRecording(meetingCodeOrUri: string): boolean {
    const space = this.requireSpace(meetingCodeOrUri);
    const conference = space.activeConference
      ? this.conferences.get(space.activeConference)
      : undefined;
    return !!conference?.recordings.some((r) => r.state === 'STARTED');
  }

  /** The space's members, as spaces.members.create made them (email and role). */
  membersOf(meetingCodeOrUri: string): { email: string; role: string }[] {
    return [...this.requireSpace(meetingCodeOrUri).members].map(([email, m]) => ({
      email,
      role: m.role,
    }));
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
    if (email === space.owner || space.invitees.has(email) || space.members.has(email)) return true;
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
        artifacts: new Set(),
      };
      this.conferences.set(conference.id, conference);
      space.activeConference = conference.id;
    }
    this.startAutomaticArtifacts(space, conference, person);
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

  /**
   * doc: SpaceConfig.ArtifactConfig — a space "is automatically recorded when someone with the
   * privilege to record joins the meeting"; transcripts and smart notes likewise when someone
   * with the privilege joins. Not when the first person (perhaps a pupil) joins.
   * assumption: automatic recording starts once per conference; if it is stopped by hand it
   * is not restarted by the next person who joins.
   */
  private startAutomaticArtifacts(
    space: SpaceState,
    conference: ConferenceState,
    person: MeetPerson,
  ): void {
    if (!this.mayRecord(space, person)) return;
    const artifacts = space.config.artifactConfig;
    if (
      artifacts.recordingConfig.autoRecordingGeneration === 'ON' &&
      !conference.autoRecorded &&
      !conference.recordings.some((r) => r.state === 'STARTED')
    ) {
      conference.autoRecorded = true;
      conference.recordings.push({
        id: this.uniqueId(() => false, 16, 'mixed'),
        state: 'STARTED',
        startTime: this.kernel.now(),
      });
    }
    if (artifacts.transcriptionConfig.autoTranscriptionGeneration === 'ON')
      conference.artifacts.add('transcript');
    if (artifacts.smartNotesConfig.autoSmartNotesGeneration === 'ON')
      conference.artifacts.add('smart-notes');
  }

  /** The running call of a room and the person in it. */
  private callWith(
    who: string,
    meetingCodeOrUri: string,
  ): { space: SpaceState; conference: ConferenceState } {
    const space = this.requireSpace(meetingCodeOrUri);
    const conference = space.activeConference
      ? this.conferences.get(space.activeConference)
      : undefined;
    if (!conference || !this.isInCall(space, who))
      throw new Error(`${who} is not in a call in ${space.meetingCode}`);
    return { space, conference };
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

  /** The owner, or a COHOST member (meeting-space-members guide: co-hosts co-manage the call). */
  private requireHostInCall(hostEmail: string, meetingCodeOrUri: string): SpaceState {
    const space = this.requireSpace(meetingCodeOrUri);
    const host = hostEmail.toLowerCase();
    const hosts = host === space.owner || space.members.get(host)?.role === 'COHOST';
    if (!hosts || !this.isInCall(space, host)) {
      throw new Error(`${hostEmail} is not hosting ${space.meetingCode} right now`);
    }
    return space;
  }

  /** E.g. "abc-mnop-xyz (2026-11-23 09:00 GMT) - Recording", in the owner's time zone. */
  private artifactName(meetingCode: string, startMs: number, suffix: string): string {
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
    return `${meetingCode} (${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}) - ${suffix}`;
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
