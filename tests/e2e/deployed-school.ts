// A school that has deployed Safe Live Lessons on the simulated Workspace: setup run
// by the administrator (as the automation account), settings filled in by SLT, and
// optionally keyless delegation. Tests drive it as people do: teachers through the
// sidebar (the built bundle's card actions), pupils through Meet and Classroom, time
// through installable triggers.

import { DELEGATED_SCOPES } from '../../src/adapters/credentials';
import { decodeLesson } from '../../src/adapters/lesson-codec';
import { unpackRecords } from '../../src/adapters/lesson-packs';
import { noticesIn } from '../../src/core/mail-plan';
import { Bundle } from '../sim/bundle';
import type { FormValue } from '../sim/card-driver';
import { cardOf, cardsOf, click, findAll, notificationOf } from '../sim/card-driver';
import type { ExecutionResult } from '../sim/kernel/execution';
import { DELEGATION_SA, makeSchool, type School, type SchoolSpec } from '../sim/school';

let shared: Bundle | undefined;
export function bundle(): Bundle {
  shared ??= new Bundle();
  return shared;
}

export interface DeployOptions extends SchoolSpec {
  delegation?: boolean;
  approvalRequired?: boolean;
  settings?: Record<string, string>;
  /** The script the school runs (default: the shipped bundle). */
  bundle?: Bundle;
}

export const MIN = 60_000;

export class DeployedSchool {
  readonly school: School;
  readonly bundle: Bundle;
  logId = '';

  constructor(options: DeployOptions = {}) {
    this.bundle = options.bundle ?? bundle();
    this.school = makeSchool(options);
    const { ws, automation } = this.school;
    if (options.delegation ?? true) {
      this.school.enableDelegation(DELEGATED_SCOPES);
      ws.properties.seedScript({ delegationServiceAccount: DELEGATION_SA });
    }
    const first = this.run('setup', {}, automation.email, 'editor') as { spreadsheetId: string };
    this.logId = first.spreadsheetId;
    const settings: Record<string, string> = {
      staffDomain: this.school.domain,
      sltEmails: this.school.slt.email,
      dslEmails: this.school.dsl.email,
      approvers: this.school.head.email,
      approvalRequired: options.approvalRequired ? 'yes' : 'no',
      ...options.settings,
    };
    this.writeSettings(settings);
    this.run('setup', {}, automation.email, 'editor');
  }

  get ws() {
    return this.school.ws;
  }

  /** SLT edit the Settings sheet (column A keys, column B values). */
  writeSettings(values: Record<string, string>): void {
    const table = this.ws.sheets.table(this.logId, 'Settings');
    for (const [key, value] of Object.entries(values)) {
      const index = table.findIndex((row) => row[0] === key);
      const row = index >= 0 ? index + 1 : table.length + 1;
      if (index < 0) table.push([key, value]);
      this.ws.sheets.editAsUser(
        this.school.automation.email,
        this.logId,
        `Settings!A${row}:B${row}`,
        [[key, value]],
      );
    }
  }

  /** Runs an entry point of the shipped bundle; throws what the execution threw. */
  run(
    name: string,
    event: unknown,
    user: string,
    kind: 'card' | 'trigger' | 'editor' = 'card',
  ): unknown {
    const result = this.bundle.run(this.ws, name, event, { user, kind });
    if (result.error) throw result.error;
    return result.value;
  }

  tryRun(
    name: string,
    event: unknown,
    user: string,
    kind: 'card' | 'trigger' | 'editor' = 'card',
  ): ExecutionResult<unknown> {
    return this.bundle.run(this.ws, name, event, { user, kind });
  }

  /** Moves time on, firing every trigger on the way (the minute monitor, hourly jobs...). */
  advance(ms: number, onRun?: (name: string, result: ExecutionResult<unknown>) => void): number {
    return this.bundle.runUntil(this.ws, this.ws.now() + ms, onRun);
  }

  advanceTo(at: number): number {
    return this.bundle.runUntil(this.ws, at);
  }

  sidebar(user: string): Sidebar {
    return new Sidebar(this, user);
  }

  sessions(): unknown[][] {
    return this.ws.sheets.table(this.logId, 'Sessions');
  }

  sessionRow(lessonId: string): Record<string, unknown> | undefined {
    const [header, ...rows] = this.sessions();
    const row = rows.find((r) => r[0] === lessonId);
    return row ? Object.fromEntries(header!.map((h, i) => [String(h), row[i]])) : undefined;
  }

  attendance(lessonId: string): Record<string, unknown>[] {
    const [header, ...rows] = this.ws.sheets.table(this.logId, 'Attendance');
    return rows
      .filter((r) => r[0] === lessonId)
      .map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i]])));
  }

  /** The lessons in the store, as the product keeps them (script properties). */
  lessons(): {
    id: string;
    status: string;
    teacher: string;
    room?: { meetingCode: string; meetingUri: string };
    post?: { state: string };
  }[] {
    const store = this.ws.properties.scriptStore();
    const alone = Object.entries(store)
      .filter(([k]) => k.startsWith('lesson:'))
      .map(([, v]) => decodeLesson<{ id: string; status: string; teacher: string }>(v));
    // Lessons scheduled far ahead may be packed many to a property; one stored alone wins.
    const ids = new Set(alone.map((l) => l.id));
    const packed = Object.entries(store)
      .filter(([k]) => k.startsWith('ahead:'))
      .flatMap(([, v]) => unpackRecords(v))
      .map((r) => decodeLesson<{ id: string; status: string; teacher: string }>(r))
      .filter((l) => !ids.has(l.id) && ids.add(l.id));
    return [...alone, ...packed];
  }

  lesson(id: string) {
    const found = this.lessons().find((l) => l.id === id);
    if (!found) throw new Error(`No lesson ${id} in the store`);
    return found;
  }

  /**
   * The notices this person received: an email that carries several (the mail queue groups a
   * recipient's waiting notices) counts as each of them, with its own subject and body.
   */
  mailTo(email: string) {
    return this.emailsTo(email).flatMap((m) => noticesIn(m).map((n) => ({ ...m, ...n })));
  }

  /** The emails themselves, as MailApp sent them. */
  emailsTo(email: string) {
    return this.ws.mail.outbox().filter((m) => m.to.includes(email));
  }
}

/** A person using the add-on's sidebar: cards in, clicks out. */
export class Sidebar {
  constructor(
    private readonly school: DeployedSchool,
    readonly user: string,
  ) {}

  home(): unknown {
    return this.school.run('onHomepage', {}, this.user);
  }

  /** Clicks a button; returns the action's response. */
  click(card: unknown, text: string, formInputs: Record<string, FormValue> = {}): unknown {
    return click(cardOf(card), text, (name, event) => this.school.run(name, event, this.user), {
      user: this.user,
      formInputs,
      now: this.school.ws.now(),
    });
  }

  /** The card a response navigates to (pushCard / updateCard). */
  next(response: unknown): unknown {
    return cardsOf(response).at(-1);
  }

  note(response: unknown): string {
    return notificationOf(response) ?? '';
  }

  schedule(spec: {
    title: string;
    start: number;
    minutes?: number;
    secondStaff?: string | null;
    courseId?: string;
  }): { message: string; lessonId: string | null } {
    const form = this.next(this.click(this.home(), 'Schedule a lesson'));
    const inputs: Record<string, FormValue> = {
      title: spec.title,
      start: { msSinceEpoch: spec.start, hasDate: true, hasTime: true },
      minutes: String(spec.minutes ?? 30),
    };
    if (spec.courseId) inputs.courseId = spec.courseId;
    if (spec.secondStaff) inputs.secondStaff = spec.secondStaff;
    const before = new Set(this.school.lessons().map((l) => l.id));
    const response = this.click(form, 'Schedule', inputs);
    const created = this.school.lessons().find((l) => !before.has(l.id));
    return { message: this.note(response), lessonId: created?.id ?? null };
  }

  /** Opens a lesson's card from the homepage (clicking its line). */
  lessonCard(lessonId: string): unknown {
    const response = this.school.run(
      'showLesson',
      { commonEventObject: { parameters: { lessonId } } },
      this.user,
    );
    return this.next(response);
  }

  /** Clicks a lesson action button on the lesson's own card. */
  act(lessonId: string, buttonText: string, formInputs: Record<string, FormValue> = {}): string {
    return this.note(this.click(this.lessonCard(lessonId), buttonText, formInputs));
  }

  /** Ends the lesson from its card: "End lesson for everyone", then the confirmation card. */
  endLesson(lessonId: string): string {
    const confirm = this.next(this.click(this.lessonCard(lessonId), 'End lesson for everyone'));
    return this.note(this.click(confirm, 'End the lesson for everyone'));
  }

  meetLink(lessonId: string): string | null {
    const links = findAll(
      cardOf(this.lessonCard(lessonId)),
      (n) =>
        (n as { onClick?: { openLink?: { url?: string } } }).onClick?.openLink?.url !== undefined,
    );
    const link = links[0] as { onClick?: { openLink?: { url?: string } } } | undefined;
    return link?.onClick?.openLink?.url ?? null;
  }
}

/** Monday 23 November 2026 at hh:mm, London time (GMT in November). */
export function monday(hh: number, mm = 0): number {
  return Date.UTC(2026, 10, 23, hh, mm);
}
