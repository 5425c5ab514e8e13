// Session: who the script runs as, its time zone and the user's locale.
// doc: https://developers.google.com/apps-script/reference/base/session

import { createHash } from 'node:crypto';
import type { SimKernel } from '../kernel/kernel';

const TEMPORARY_KEY_PERIOD_MS = 30 * 24 * 3_600_000;

export interface SessionOptions {
  /** The manifest's `timeZone` (appsscript.json): Europe/London for Safe Live Lessons. */
  timeZone?: string;
  scriptId?: string;
  locale?: string;
}

function user(email: string): GoogleAppsScript.Base.User {
  const u: Pick<GoogleAppsScript.Base.User, 'getEmail'> = { getEmail: () => email };
  return u as GoogleAppsScript.Base.User;
}

export class SimSession {
  readonly timeZone: string;
  private readonly scriptId: string;
  private readonly locale: string;

  constructor(
    private readonly kernel: SimKernel,
    options: SessionOptions = {},
  ) {
    this.timeZone = options.timeZone ?? 'Europe/London';
    this.scriptId = options.scriptId ?? 'sim-script-id';
    this.locale = options.locale ?? 'en';
  }

  global(): Pick<
    GoogleAppsScript.Base.Session,
    | 'getActiveUser'
    | 'getEffectiveUser'
    | 'getScriptTimeZone'
    | 'getTemporaryActiveUserKey'
    | 'getActiveUserLocale'
  > {
    const k = this.kernel;
    return {
      // doc: session#getActiveUser: in the same Google Workspace domain as the script's owner the
      // active user is visible. The simulation has one user per execution (the card's user, or a
      // trigger's owner), so active and effective user are the same person.
      getActiveUser: () => k.invoke('session.getActiveUser', () => user(k.effectiveUser())),
      // doc: session#getEffectiveUser "the user under whose authority the script is running".
      getEffectiveUser: () => k.invoke('session.getEffectiveUser', () => user(k.effectiveUser())),
      // doc: session#getScriptTimeZone "Gets the time zone of the script" (the manifest's).
      getScriptTimeZone: () => k.invoke('session.getScriptTimeZone', () => this.timeZone),
      // doc: session#getTemporaryActiveUserKey "unique to the active user but does not reveal
      // the user identity ... The temporary key rotates every 30 days and is unique to the script."
      getTemporaryActiveUserKey: () =>
        k.invoke('session.getTemporaryActiveUserKey', () => {
          const period = Math.floor(k.now() / TEMPORARY_KEY_PERIOD_MS);
          return createHash('sha256')
            .update(`${this.scriptId}|${k.effectiveUser()}|${period}`)
            .digest('base64')
            .slice(0, 43);
        }),
      // doc: session#getActiveUserLocale, e.g. 'en' (a language code; no region here).
      getActiveUserLocale: () => k.invoke('session.getActiveUserLocale', () => this.locale),
    };
  }
}
