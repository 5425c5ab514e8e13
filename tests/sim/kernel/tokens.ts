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
}

/** An access token lives an hour (developers.google.com/identity/protocols/oauth2). */
export const TOKEN_LIFETIME_MS = 3_600_000;

export class Tokens {
  private tokens = new Map<string, Principal>();
  private serial = 0;

  issue(principal: Principal): string {
    this.serial += 1;
    const token = `ya29.sim-${this.serial.toString(36)}-${principal.user.replace(/[^a-z0-9]/gi, '')}`;
    this.tokens.set(token, principal);
    return token;
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

export function requireScope(principal: Principal, accepted: readonly string[]): void {
  const full = (s: string) =>
    s.startsWith('https://') ? s : `https://www.googleapis.com/auth/${s}`;
  const ok = accepted.some((scope) => principal.scopes.includes(full(scope)));
  if (!ok) {
    throw new GoogleApiError(
      'PERMISSION_DENIED',
      'Request had insufficient authentication scopes.',
      'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
    );
  }
}
