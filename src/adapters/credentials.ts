// Whose authority a Google call carries. The effective user's own token comes from
// ScriptApp; acting as a teacher from the automation uses keyless domain-wide
// delegation: IAM Credentials `signJwt` signs a JWT with `sub` = the teacher, and the
// OAuth endpoint exchanges it for an access token. No private key is ever stored.
// doc: https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt
// doc: https://developers.google.com/identity/protocols/oauth2/service-account#jwt-auth

import { ServiceFailure } from '../core/errors';
import { type AccountSeen, type DelegationRefusal, refusalScope } from '../core/health';
import { failureFromException, failureFromResponse } from './google-failure';

export interface DelegationConfig {
  /** The automation's service account, e.g. sll-automation@project.iam.gserviceaccount.com */
  serviceAccount: string;
  /** Scopes granted to its client id in the Admin console (domain-wide delegation). */
  scopes: string[];
}

/**
 * Scopes the automation asks for when it acts as a teacher (keyless domain-wide delegation).
 * Delegation lets it act as any staff account without their consent, so this list holds only
 * what its calls as a teacher use; the Admin console grant must match it exactly (setup prints
 * it). tests/e2e/least-privilege.test.ts fails if a scope here is not the only way some
 * delegated call gets through, or if a call needs one that is missing.
 */
export const DELEGATED_SCOPES = [
  // Create the teacher's room, see who is in the call, end and lock it, find its recordings:
  // only the space's owner may (Meet REST v2 spaces and conferenceRecords).
  'https://www.googleapis.com/auth/meetings.space.created',
  // Post the link to the class stream and delete it before the end, as the teacher.
  'https://www.googleapis.com/auth/classroom.announcements',
  // Read the class roster with emails (courses.students.list and teachers.list accept this
  // scope alone, so classroom.rosters.readonly would add nothing): attendance, the second
  // adult, the consent register.
  'https://www.googleapis.com/auth/classroom.profile.emails',
  // Move the recording Meet put in the teacher's My Drive into the safeguarding shared drive:
  // only its owner may, and drive.file does not reach files Meet made.
  'https://www.googleapis.com/auth/drive',
  // Write the room link onto the lesson's event in the teacher's own calendar (events.patch on
  // their primary calendar), so the teacher and the second adult find it there. The .owned
  // scope reaches only calendars the teacher owns, where calendar.events reaches every calendar
  // they can edit.
  'https://www.googleapis.com/auth/calendar.events.owned',
];

const TOKEN_URL = 'https://oauth2.googleapis.com/token';
/**
 * Tokens live an hour; one is reused for 54 minutes, so it never expires mid-run (a run starts
 * nothing after 4:45 and ends before 6:00).
 */
const TOKEN_CACHE_SECONDS = 54 * 60;
/** Token requests per parallel round. */
const TOKEN_ROUND = 25;
/**
 * CacheService key: Google refused the delegation for the whole school lately (not one account).
 * While it stands, a batch asks for one teacher's token first, and for the others only once that
 * one is issued: a delegation removed in the Admin console for an hour must not cost two requests
 * per teacher per pass per minute (measured: 200 lessons spent the automation's 100,000 daily
 * UrlFetch calls in 35 minutes, and it could not act for the rest of the day once delegation was
 * given back). Kept at most CacheService's 6 hours; a token issued clears it.
 * doc: https://developers.google.com/apps-script/reference/cache/cache#put(String,String,Integer)
 */
const SCHOOL_REFUSED_KEY = 'dwd-refused:school';
const SCHOOL_REFUSED_SECONDS = 6 * 3600;

export class Credentials {
  constructor(
    private readonly scriptApp: GoogleAppsScript.Script.ScriptApp,
    private readonly urlFetch: GoogleAppsScript.URL_Fetch.UrlFetchApp,
    private readonly cache: GoogleAppsScript.Cache.Cache,
    private readonly me: string,
    private readonly delegation: DelegationConfig | null,
    private readonly now: () => number,
    /** A run's time budget: no token is asked for after it (an answer may take a minute). */
    private readonly budget: { stopAt: number } = { stopAt: Number.POSITIVE_INFINITY },
  ) {}

  /** Teachers whose token could not be had in this execution's batch: not asked again one by one. */
  private readonly refused = new Map<string, ServiceFailure>();

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

  /**
   * Gets every teacher's token before a batch acts for all of them: the cached ones in one
   * cache read, the missing ones in two parallel rounds (sign every JWT, then exchange every
   * JWT), so 300 teachers cost two round trips, not 600 requests one after another. A teacher
   * whose token could not be had is left out: `token()` then tries once more and fails alone.
   * `askAgain` (the safety steps: a link taken down, a call ended) asks again for a teacher whose
   * token Google failed to issue earlier in this run for a passing reason (5xx, 429, no answer),
   * rather than let that failure stand for the run: otherwise one failed exchange keeps a link up
   * until the next minute's run, whose own exchange may fail the same way.
   */
  warm(users: readonly string[], { askAgain = false }: { askAgain?: boolean } = {}): void {
    if (!this.delegation) return;
    if (askAgain)
      for (const u of users) {
        const had = this.refused.get(u.toLowerCase());
        if (had?.kind === 'transient' && had !== this.schoolRefused)
          this.refused.delete(u.toLowerCase());
      }
    const wanted = [...new Set(users.map((u) => u.toLowerCase()))].filter(
      (u) => !this.isSelf(u) && !this.known.has(u) && !this.refused.has(u),
    );
    if (wanted.length === 0) return;
    const cached = this.cache.getAll([...wanted.map((u) => `dwd:${u}`), SCHOOL_REFUSED_KEY]);
    for (const [key, token] of Object.entries(cached))
      if (key !== SCHOOL_REFUSED_KEY) this.known.set(key.slice(4), token);
    const missing = wanted.filter((u) => !this.known.has(u));
    if (missing.length === 0) return;
    let ask = missing;
    if (cached[SCHOOL_REFUSED_KEY] !== undefined && !this.schoolRefused) {
      // Refused for the whole school lately: one teacher first, the rest only if it is issued.
      this.fetchTokens(missing.slice(0, 1));
      ask = missing.slice(1);
    }
    if (this.schoolRefused) {
      for (const u of ask) this.refused.set(u, this.schoolRefused);
      return;
    }
    this.fetchTokens(ask);
  }

  /** Signs every JWT, then exchanges every signed one, in parallel rounds; keeps what it learns. */
  private fetchTokens(missing: readonly string[]): void {
    if (missing.length === 0 || !this.delegation) return;
    const config = this.delegation;
    const signed = this.fetchAllJson<{ signedJwt: string }>(
      missing.map((u) => this.signRequest(u, config)),
      missing.map((user) => ({ user, step: 'sign' as const })),
    );
    const ready = missing.flatMap((u, i) => {
      const answer = signed[i];
      return answer instanceof Error || !answer ? [] : [{ user: u, jwt: answer.signedJwt }];
    });
    const exchanged = this.fetchAllJson<{ access_token: string }>(
      ready.map((r) => this.exchangeRequest(r.jwt)),
      ready.map((r) => ({ user: r.user, step: 'exchange' as const })),
    );
    const fresh: Record<string, string> = {};
    missing.forEach((u, i) => {
      const answer = signed[i];
      if (answer instanceof ServiceFailure) this.refused.set(u, answer);
    });
    ready.forEach((r, i) => {
      const answer = exchanged[i];
      if (answer instanceof ServiceFailure) this.refused.set(r.user, answer);
      if (answer instanceof Error || !answer) return;
      this.issued(r.user);
      this.known.set(r.user, answer.access_token);
      fresh[`dwd:${r.user}`] = answer.access_token;
    });
    if (Object.keys(fresh).length > 0) this.cache.putAll(fresh, TOKEN_CACHE_SECONDS);
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
    // Asked for in this run's batch and refused, or the whole school refused in this execution:
    // that answer stands for the run (the teacher's steps are retried next run) rather than two
    // more requests that may each wait a minute.
    const refused = this.refused.get(user.toLowerCase()) ?? this.schoolRefused;
    if (refused) throw refused;
    const key = `dwd:${user.toLowerCase()}`;
    const cached = this.cache.get(key);
    if (cached) {
      this.known.set(user.toLowerCase(), cached);
      return cached;
    }
    if (this.now() >= this.budget.stopAt)
      throw new ServiceFailure('transient', 'auth', 'Not asked: the run is out of time');
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

  /** R28: the same, by the token itself (the counted UrlFetchApp sees only the request). */
  forgetToken(token: string): void {
    for (const [user, known] of this.known) if (known === token) this.forget(user);
  }

  /**
   * R28: when this execution last had a delegated token issued, and last had one refused for the
   * whole school. A refusal that concerns one account only (Google's answer says so) is kept per
   * teacher instead, so one deleted teacher does not read as delegation lost for everyone.
   */
  private worked: number | null = null;
  private lastRefusal: { at: number; detail: string } | null = null;
  /** Google's refusal of the whole school's delegation in this execution (its failure, to rethrow). */
  private schoolRefused: ServiceFailure | null = null;
  /** Whether this execution has cleared the school-refused mark (once a token was issued). */
  private markCleared = false;
  private readonly accounts = new Map<string, AccountSeen>();

  /** What this execution learnt of delegation (null when it is not configured here). */
  delegationSeen(): {
    workedAt: number | null;
    refusedAt: number | null;
    detail: string | null;
    accounts: AccountSeen[];
  } | null {
    if (!this.delegation) return null;
    return {
      workedAt: this.worked,
      refusedAt: this.lastRefusal?.at ?? null,
      detail: this.lastRefusal?.detail ?? null,
      accounts: [...this.accounts.values()],
    };
  }

  private account(user: string): AccountSeen {
    const had = this.accounts.get(user);
    if (had) return had;
    const fresh: AccountSeen = { user, workedAt: null, refusedAt: null, detail: null };
    this.accounts.set(user, fresh);
    return fresh;
  }

  /** A token was issued for `user` now: delegation works, and for them. */
  private issued(user: string): void {
    this.worked = this.now();
    this.account(user).workedAt = this.worked;
    this.schoolRefused = null;
    if (!this.markCleared) {
      this.markCleared = true;
      this.cache.remove(SCHOOL_REFUSED_KEY);
    }
  }

  /**
   * R28: asks Google for a fresh token for `user` now, past every cache, to see whether
   * delegation works (setup's health check, the hourly job). Two requests. Never throws.
   */
  probe(user: string): { ok: true } | { ok: false; detail: string } {
    if (!this.delegation) return { ok: false, detail: 'domain-wide delegation is not configured' };
    try {
      const token = this.delegatedToken(user.toLowerCase(), this.delegation);
      this.cache.put(`dwd:${user.toLowerCase()}`, token, TOKEN_CACHE_SECONDS);
      this.known.set(user.toLowerCase(), token);
      return { ok: true };
    } catch (error) {
      if (!(error instanceof ServiceFailure)) throw error;
      return { ok: false, detail: error.message };
    }
  }

  private delegatedToken(user: string, config: DelegationConfig): string {
    const sign = this.signRequest(user, config);
    const signed = this.fetchJson<{ signedJwt: string }>(sign.url, sign, { user, step: 'sign' });
    const exchange = this.exchangeRequest(signed.signedJwt);
    const token = this.fetchJson<{ access_token: string }>(exchange.url, exchange, {
      user,
      step: 'exchange',
    }).access_token;
    this.issued(user);
    return token;
  }

  /** IAM Credentials signJwt: the JWT says "the automation's service account, acting as `user`". */
  private signRequest(
    user: string,
    config: DelegationConfig,
  ): GoogleAppsScript.URL_Fetch.URLFetchRequest {
    const iat = Math.floor(this.now() / 1000);
    const claims = {
      iss: config.serviceAccount,
      sub: user,
      scope: config.scopes.join(' '),
      aud: TOKEN_URL,
      iat,
      exp: iat + 3600,
    };
    return {
      url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(config.serviceAccount)}:signJwt`,
      method: 'post',
      contentType: 'application/json',
      headers: { Authorization: `Bearer ${this.scriptApp.getOAuthToken()}` },
      payload: JSON.stringify({ payload: JSON.stringify(claims) }),
      muteHttpExceptions: true,
    };
  }

  /** The OAuth token endpoint exchanges the signed JWT for the teacher's access token. */
  private exchangeRequest(jwt: string): GoogleAppsScript.URL_Fetch.URLFetchRequest {
    return {
      url: TOKEN_URL,
      method: 'post',
      payload: { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt },
      muteHttpExceptions: true,
    };
  }

  /** Parallel requests; a failed one answers with its failure, a lost round with one failure each. */
  private fetchAllJson<T>(
    requests: GoogleAppsScript.URL_Fetch.URLFetchRequest[],
    asked: readonly Asked[],
  ): (T | Error)[] {
    const out: (T | Error)[] = [];
    for (let i = 0; i < requests.length; i += TOKEN_ROUND) {
      const chunk = requests.slice(i, i + TOKEN_ROUND);
      const about = asked.slice(i, i + TOKEN_ROUND);
      if (this.now() >= this.budget.stopAt) {
        const late = new ServiceFailure('transient', 'auth', 'Not asked: the run is out of time');
        for (const _ of chunk) out.push(late);
        continue;
      }
      let responses: GoogleAppsScript.URL_Fetch.HTTPResponse[];
      try {
        responses = this.urlFetch.fetchAll(chunk);
      } catch (error) {
        const failure = failureFromException('auth', error);
        for (const _ of chunk) out.push(failure);
        continue;
      }
      for (const [j, response] of responses.entries()) {
        try {
          out.push(this.read<T>(response, about[j]!));
        } catch (error) {
          if (!(error instanceof ServiceFailure)) throw error;
          out.push(error);
        }
      }
    }
    return out;
  }

  private fetchJson<T>(
    url: string,
    params: GoogleAppsScript.URL_Fetch.URLFetchRequestOptions,
    asked: Asked,
  ): T {
    let response: GoogleAppsScript.URL_Fetch.HTTPResponse;
    try {
      response = this.urlFetch.fetch(url, params);
    } catch (error) {
      throw failureFromException('auth', error);
    }
    return this.read<T>(response, asked);
  }

  private read<T>(response: GoogleAppsScript.URL_Fetch.HTTPResponse, asked: Asked): T {
    const code = response.getResponseCode();
    if (code < 200 || code >= 300) {
      const text = response.getContentText();
      const failure = failureFromResponse('auth', code, text);
      // A refused delegation is a configuration problem, not something a retry fixes.
      if (code === 400 || code === 401 || code === 403) {
        const refusal = {
          at: this.now(),
          detail: `HTTP ${code}: ${failure.message}`.slice(0, 200),
        };
        const oneAccount = refusalScope(refusalOf(asked.step, code, text)) === 'account';
        const refused = new ServiceFailure(
          'cannot-act-as',
          'auth',
          failure.message,
          code,
          oneAccount ? 'account' : undefined,
        );
        if (oneAccount) {
          const seen = this.account(asked.user);
          seen.refusedAt = refusal.at;
          seen.detail = refusal.detail;
        } else {
          this.lastRefusal = refusal;
          if (!this.schoolRefused) this.cache.put(SCHOOL_REFUSED_KEY, '1', SCHOOL_REFUSED_SECONDS);
          this.schoolRefused = refused;
          this.markCleared = false;
        }
        throw refused;
      }
      throw failure;
    }
    return JSON.parse(response.getContentText()) as T;
  }
}

/** Which request an answer is to: whose token, and which of the two steps. */
interface Asked {
  user: string;
  step: 'sign' | 'exchange';
}

/** Google's refusal as the core judges it: the OAuth `{error, error_description}` shape read here. */
function refusalOf(step: Asked['step'], status: number, body: string): DelegationRefusal {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    return {
      step,
      status,
      error: typeof parsed.error === 'string' ? parsed.error : null,
      description: typeof parsed.error_description === 'string' ? parsed.error_description : '',
    };
  } catch {
    return { step, status, error: null, description: '' };
  }
}
