// The simulated Workspace, assembled: one kernel and every service the product uses,
// with the Apps Script globals an execution sees, and a loop that fires installable
// triggers as the clock moves.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SimKernel } from './kernel/kernel';
import { SimAdminDirectory } from './services/admin-directory';
import { SimAuth } from './services/auth';
import { SimCache } from './services/cache';
import { SimCalendar } from './services/calendar';
import { SimCardService } from './services/card-service';
import { SimClassroom } from './services/classroom';
import { SimConsole } from './services/console';
import { SimDrive } from './services/drive';
import { SimLocks } from './services/lock';
import { SimMail } from './services/mail';
import { SimMeet } from './services/meet';
import { SimProperties } from './services/properties';
import { SimScriptApp } from './services/script-app';
import { SimSession } from './services/session';
import { SimSpreadsheets } from './services/spreadsheet';
import { SimUrlFetch } from './services/url-fetch';
import { SimUtilities } from './services/utilities';

export interface Manifest {
  timeZone: string;
  oauthScopes?: string[];
  urlFetchWhitelist?: string[];
  [key: string]: unknown;
}

export function readManifest(path = resolve(process.cwd(), 'appsscript.json')): Manifest {
  return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
}

export interface WorkspaceOptions {
  start: Date | number;
  domain: string;
  seed?: number;
  manifest?: Manifest;
  /** How long after a call ends its recording file appears (Meet gives no figure). */
  recordingDelayMs?: number;
}

export class SimWorkspace {
  readonly kernel: SimKernel;
  readonly manifest: Manifest;
  readonly calendar: SimCalendar;
  readonly classroom: SimClassroom;
  readonly drive: SimDrive;
  readonly sheets: SimSpreadsheets;
  readonly meet: SimMeet;
  readonly urlFetch: SimUrlFetch;
  readonly auth: SimAuth;
  readonly adminDirectory: SimAdminDirectory;
  readonly properties: SimProperties;
  readonly locks: SimLocks;
  readonly cache: SimCache;
  readonly scriptApp: SimScriptApp;
  readonly session: SimSession;
  readonly mail: SimMail;
  readonly utilities: SimUtilities;
  readonly consoleService: SimConsole;
  readonly cards: SimCardService;

  constructor(options: WorkspaceOptions) {
    this.manifest = options.manifest ?? readManifest();
    this.kernel = new SimKernel({
      start: options.start,
      domain: options.domain,
      seed: options.seed,
      manifestScopes: this.manifest.oauthScopes ?? [],
    });
    const k = this.kernel;
    const timeZone = this.manifest.timeZone;
    this.calendar = new SimCalendar(k);
    this.classroom = new SimClassroom(k);
    this.drive = new SimDrive(k);
    this.sheets = new SimSpreadsheets(k, this.drive);
    this.meet = new SimMeet(k, this.drive, {
      recordingDelayMs: options.recordingDelayMs,
      timeZone,
      seed: options.seed,
    });
    this.urlFetch = new SimUrlFetch(k, this.manifest.urlFetchWhitelist ?? []);
    this.auth = new SimAuth(k);
    this.adminDirectory = new SimAdminDirectory(k);
    this.properties = new SimProperties(k);
    this.locks = new SimLocks(k);
    this.cache = new SimCache(k);
    this.scriptApp = new SimScriptApp(k, this.calendar, 'sim-script-id', { timeZone });
    this.session = new SimSession(k, { timeZone });
    this.mail = new SimMail(k);
    this.utilities = new SimUtilities(k, options.seed);
    this.consoleService = new SimConsole(k);
    this.cards = new SimCardService(k);
  }

  now(): number {
    return this.kernel.now();
  }

  /**
   * The globals of one Apps Script execution: the services, and a `Date` whose "now" is
   * the simulated clock. Nothing from Node is here (no require, process, setTimeout, URL,
   * TextEncoder), so a bundle that needs them fails its tests.
   */
  globals(): Record<string, unknown> {
    const { console, Logger } = this.consoleService.global();
    return {
      Calendar: this.calendar.advancedService(),
      Classroom: this.classroom.advancedService(),
      Drive: this.drive.advancedService(),
      DriveApp: this.drive.driveAppGlobal(),
      SpreadsheetApp: this.sheets.global(),
      Charts: this.sheets.chartsGlobal(),
      UrlFetchApp: this.urlFetch.global(),
      PropertiesService: this.properties.global(),
      LockService: this.locks.global(),
      CacheService: this.cache.global(),
      ScriptApp: this.scriptApp.global(),
      Session: this.session.global(),
      MailApp: this.mail.global(),
      Utilities: this.utilities.global(),
      CardService: this.cards.global(),
      console,
      Logger,
      Date: simulatedDate(() => this.kernel.now()),
    };
  }
}

/** A Date constructor whose present is the simulated clock (everything else is the real Date). */
export function simulatedDate(now: () => number): DateConstructor {
  const RealDate = Date;
  class SimDate extends RealDate {
    constructor(...args: unknown[]) {
      if (args.length === 0) super(now());
      else super(...(args as [number]));
    }
    static override now(): number {
      return now();
    }
  }
  return SimDate as unknown as DateConstructor;
}
