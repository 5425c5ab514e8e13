// OAuth access tokens of the simulated world. A token stands for a principal (a
// user, or a user impersonated through domain-wide delegation), its granted scopes
// and the Cloud project whose OAuth client obtained it (Classroom's creator rule).

import { GoogleApiError } from './google-error';

export interface Principal {
  user: string;
  scopes: readonly string[];
  project: string;
  expiresAt: number;
  /** How the token was obtained, for tests that check the delegation path was used. */
  via: 'apps-script' | 'delegation';
  /** The OAuth client (a service account's client id) a delegated token was issued to. */
  client?: string;
}

/** An access token lives an hour (developers.google.com/identity/protocols/oauth2). */
export const TOKEN_LIFETIME_MS = 3_600_000;

/**
 * One scope check a Google API made on a call with an issued token: the scopes the method
 * accepts (from its reference page) and, of those, the ones the token carried. The
 * least-privilege test reads these to see which delegated scopes were actually needed.
 */
export interface ScopeUse {
  user: string;
  via: Principal['via'];
  /** Full scope URLs that satisfy the method. */
  accepted: string[];
  /** Of `accepted`, those the token carried; empty when the call was refused. */
  granted: string[];
}

/** Issued principals → the ledger of the Tokens that issued them (requireScope has only the principal). */
const ledgers = new WeakMap<Principal, { uses: ScopeUse[]; seen: Set<string> }>();

export class Tokens {
  private tokens = new Map<string, Principal>();
  private serial = 0;
  /** Each distinct scope check made with a token this world issued, in the order first seen. */
  readonly uses: ScopeUse[] = [];
  private readonly ledger = { uses: this.uses, seen: new Set<string>() };

  issue(principal: Principal): string {
    this.serial += 1;
    const token = `ya29.sim-${this.serial.toString(36)}-${principal.user.replace(/[^a-z0-9]/gi, '')}`;
    const stored = { ...principal };
    this.tokens.set(token, stored);
    ledgers.set(stored, this.ledger);
    return token;
  }

  /**
   * Ends every issued token `match` picks, as an administrator deleting the access tokens a
   * user issued to an application does.
   * doc: https://developers.google.com/admin-sdk/directory/reference/rest/v1/tokens/delete
   * ("Deletes all access tokens issued by a user for an application.")
   */
  revoke(match: (principal: Principal) => boolean): number {
    let n = 0;
    for (const principal of this.tokens.values())
      if (match(principal) && principal.expiresAt > 0) {
        principal.expiresAt = 0;
        n += 1;
      }
    return n;
  }

  /** The principal behind an `Authorization: Bearer` header, or UNAUTHENTICATED as Google answers. */
  resolve(authorization: string | undefined, now: number): Principal {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const principal = token ? this.tokens.get(token) : undefined;
    if (!principal || principal.expiresAt <= now) {
      throw new GoogleApiError(
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    }
    return principal;
  }
}

const fullScope = (s: string) =>
  s.startsWith('https://') ? s : `https://www.googleapis.com/auth/${s}`;

/** Records that a call used `principal` where any of `accepted` would do (issued tokens only). */
export function noteScopeUse(principal: Principal, accepted: readonly string[]): boolean {
  const all = accepted.map(fullScope);
  const granted = all.filter((scope) => principal.scopes.includes(scope));
  const ledger = ledgers.get(principal);
  if (ledger) {
    // Distinct checks only: a simulated week makes hundreds of thousands of calls.
    const key = [principal.user, principal.via, ...all, '|', ...granted].join(' ');
    if (!ledger.seen.has(key)) {
      ledger.seen.add(key);
      ledger.uses.push({ user: principal.user, via: principal.via, accepted: all, granted });
    }
  }
  return granted.length > 0;
}

export function requireScope(principal: Principal, accepted: readonly string[]): void {
  const ok = noteScopeUse(principal, accepted);
  if (!ok) {
    throw new GoogleApiError(
      'PERMISSION_DENIED',
      'Request had insufficient authentication scopes.',
      'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
    );
  }
}
