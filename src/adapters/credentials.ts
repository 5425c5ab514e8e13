// Whose authority a Google call carries. The effective user's own token comes from
// ScriptApp; acting as a teacher from the automation uses keyless domain-wide
// delegation: IAM Credentials `signJwt` signs a JWT with `sub` = the teacher, and the
// OAuth endpoint exchanges it for an access token. No private key is ever stored.
// doc: https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt
// doc: https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth

import { ServiceFailure } from '../core/errors';
import { failureFromException, failureFromResponse } from './google-failure';

export interface DelegationConfig {
  /** The automation's service account, e.g. sll-automation@project.iam.gserviceaccount.com */
  serviceAccount: string;
  /** Scopes granted to its client id in the Admin console (domain-wide delegation). */
  scopes: string[];
}

/** Scopes the automation asks for when acting as a teacher (the Admin console grant must match). */
export const DELEGATED_SCOPES = [
  'https://www.googleapis.com/auth/meetings.space.created',
  'https://www.googleapis.com/auth/classroom.announcements',
  'https://www.googleapis.com/auth/classroom.rosters.readonly',
  'https://www.googleapis.com/auth/classroom.profile.emails',
  'https://www.googleapis.com/auth/classroom.courses.readonly',
  'https://www.googleapis.com/auth/calendar.events',
  'https://www.googleapis.com/auth/drive',
];

const TOKEN_URL = 'https://oauth2.googleapis.com/token';
/** Tokens live an hour; reuse one for 50 minutes so it never expires mid-run. */
const TOKEN_CACHE_SECONDS = 50 * 60;

export class Credentials {
  constructor(
    private readonly scriptApp: GoogleAppsScript.Script.ScriptApp,
    private readonly urlFetch: GoogleAppsScript.URL_Fetch.UrlFetchApp,
    private readonly cache: GoogleAppsScript.Cache.Cache,
    private readonly me: string,
    private readonly delegation: DelegationConfig | null,
    private readonly now: () => number,
  ) {}

  /** The effective user of this execution. */
  self(): string {
    return this.me;
  }

  isSelf(user: string): boolean {
    return user.toLowerCase() === this.me.toLowerCase();
  }

  canActAs(user: string): boolean {
    return this.isSelf(user) || this.delegation !== null;
  }

  /** Tokens already looked up in this execution (the cache costs a call each time). */
  private readonly known = new Map<string, string>();

  /** Looks up many teachers' cached tokens in one call, before a batch acts for all of them. */
  warm(users: readonly string[]): void {
    if (!this.delegation) return;
    const keys = [...new Set(users.map((u) => u.toLowerCase()))]
      .filter((u) => !this.isSelf(u) && !this.known.has(u))
      .map((u) => `dwd:${u}`);
    if (keys.length === 0) return;
    for (const [key, token] of Object.entries(this.cache.getAll(keys)))
      this.known.set(key.slice(4), token);
  }

  token(user: string): string {
    if (this.isSelf(user)) return this.scriptApp.getOAuthToken();
    const known = this.known.get(user.toLowerCase());
    if (known) return known;
    if (!this.delegation) {
      throw new ServiceFailure(
        'cannot-act-as',
        'auth',
        'Domain-wide delegation is not configured; only the user themselves can do this.',
      );
    }
    const key = `dwd:${user.toLowerCase()}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.known.set(user.toLowerCase(), cached);
      return cached;
    }
    const token = this.delegatedToken(user.toLowerCase(), this.delegation);
    this.cache.put(key, token, TOKEN_CACHE_SECONDS);
    this.known.set(user.toLowerCase(), token);
    return token;
  }

  /** Drops a cached token that Google refused (401), so the next call gets a fresh one. */
  forget(user: string): void {
    this.known.delete(user.toLowerCase());
    this.cache.remove(`dwd:${user.toLowerCase()}`);
  }

  private delegatedToken(user: string, config: DelegationConfig): string {
    const iat = Math.floor(this.now() / 1000);
    const claims = {
      iss: config.serviceAccount,
      sub: user,
      scope: config.scopes.join(' '),
      aud: TOKEN_URL,
      iat,
      exp: iat + 3600,
    };
    const signUrl = `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(config.serviceAccount)}:signJwt`;
    const signed = this.fetchJson<{ signedJwt: string }>(signUrl, {
      method: 'post',
      contentType: 'application/json',
      headers: { Authorization: `Bearer ${this.scriptApp.getOAuthToken()}` },
      payload: JSON.stringify({ payload: JSON.stringify(claims) }),
      muteHttpExceptions: true,
    });
    const exchanged = this.fetchJson<{ access_token: string }>(TOKEN_URL, {
      method: 'post',
      payload: {
        grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
        assertion: signed.signedJwt,
      },
      muteHttpExceptions: true,
    });
    return exchanged.access_token;
  }

  private fetchJson<T>(url: string, params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions): T {
    let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
    try {
      response = this.urlFetch.fetch(url, params);
    } catch (error) {
      throw failureFromException('auth', error);
    }
    const code = response.getResponseCode();
    if (code < 200 || code >= 300) {
      const failure = failureFromResponse('auth', code, response.getContentText());
      // A refused delegation is a configuration problem, not something a retry fixes.
      if (code === 400 || code === 401 || code === 403)
        throw new ServiceFailure('cannot-act-as', 'auth', failure.message, code);
      throw failure;
    }
    return JSON.parse(response.getContentText()) as T;
  }
}
