// Keyless domain-wide delegation: the script's user signs a JWT as the service account
// through IAM Credentials signJwt, and trades it at Google's OAuth token endpoint for a
// token that acts as a teacher. No private key ever exists in the project.

import { createHmac } from 'node:crypto';
import { GoogleApiError } from '../kernel/google-error';
import { jsonResponse, RawResponse } from '../kernel/http';
import type { SimKernel } from '../kernel/kernel';
import { requireScope } from '../kernel/tokens';

const TOKEN_URL = 'https://oauth2.googleapis.com/token';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

interface ServiceAccount {
  email: string;
  clientId: string;
  project: string;
  keyId: string;
  /** Stands in for the system-managed private key. */
  secret: string;
}

const b64url = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/** An OAuth endpoint error: the OAuth JSON shape {error, error_description}, not Google's API shape. */
function oauthError(code: number, error: string, description: string): RawResponse {
  return new RawResponse(jsonResponse(code, { error, error_description: description }));
}

// No Google page lists the token endpoint's error texts; these are the wordings it sends as
// reported in googleapis client issues (e.g. github.com/googleapis/google-auth-library-ruby/issues/210).
const INVALID_SIGNATURE = 'Invalid JWT Signature.';
const BAD_WINDOW =
  'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

export class SimAuth {
  private accounts = new Map<string, ServiceAccount>();
  /** Service account email → users holding roles/iam.serviceAccountTokenCreator on it. */
  private tokenCreators = new Map<string, Set<string>>();
  /** Admin console → Security → API controls → Domain-wide delegation: client id → scopes. */
  private delegations = new Map<string, Set<string>>();

  constructor(private readonly kernel: SimKernel) {
    this.registerSignJwt();
    this.registerToken();
  }

  // ---- world API (the school's admins, not counted) ----

  createServiceAccount(email: string, spec: { clientId: string; project?: string }): void {
    const key = email.toLowerCase();
    this.accounts.set(key, {
      email: key,
      clientId: spec.clientId,
      project: spec.project ?? this.kernel.projectNumber,
      keyId: createHmac('sha1', key).update('key').digest('hex'),
      secret: createHmac('sha256', 'sim-sa-key').update(key).digest('hex'),
    });
  }

  grantTokenCreator(userEmail: string, serviceAccountEmail: string): void {
    const key = serviceAccountEmail.toLowerCase();
    const holders = this.tokenCreators.get(key) ?? new Set<string>();
    holders.add(userEmail.toLowerCase());
    this.tokenCreators.set(key, holders);
  }

  revokeTokenCreator(userEmail: string, serviceAccountEmail: string): void {
    this.tokenCreators.get(serviceAccountEmail.toLowerCase())?.delete(userEmail.toLowerCase());
  }

  authorizeDelegation(clientId: string, scopes: string[]): void {
    this.delegations.set(clientId, new Set(scopes));
  }

  /**
   * A super administrator deletes the client's entry under "Manage domain-wide delegation"
   * (doc: https://support.google.com/a/answer/162106) and deletes the access tokens already
   * issued to it (doc: https://developers.google.com/admin-sdk/directory/reference/rest/v1/tokens/delete),
   * as someone would who suspects the key. From then on the token endpoint answers
   * `unauthorized_client` and Google's APIs answer 401 to the old tokens.
   * assumption: both take effect at once; Google gives no figure for how soon.
   */
  revokeDelegation(clientId: string): void {
    this.delegations.delete(clientId);
    this.kernel.tokens.revoke((p) => p.via === 'delegation' && p.client === clientId);
  }

  /**
   * An administrator deletes a teacher's account during the day. From then on the token endpoint
   * refuses that `sub` (`invalid_grant` "Invalid email or User ID") and Google's APIs answer 401
   * to the tokens it had.
   * doc: https://support.google.com/a/answer/33314 (Delete a user from your organization)
   * assumption: the tokens stop at once; Google gives no figure for how soon.
   */
  deleteUser(email: string): void {
    this.kernel.directory.markDeleted(email);
    const key = email.toLowerCase();
    this.kernel.tokens.revoke((p) => p.user.toLowerCase() === key);
  }

  /**
   * The deleted account is restored (within 20 days of its deletion): delegation may act as it
   * again. doc: https://support.google.com/a/answer/1397578 (Restore a recently deleted user)
   */
  restoreUser(email: string): void {
    this.kernel.directory.markRestored(email);
  }

  // ---- endpoints ----

  /**
   * doc: https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt
   * Needs iam.serviceAccounts.signJwt on the account (Service Account Token Creator) and the iam or
   * cloud-platform scope. With the `-` project wildcard a missing account is a 403, not a 404.
   */
  private registerSignJwt(): void {
    this.kernel.http.route(
      'POST https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/{account}:signJwt',
      'iam.serviceAccounts.signJwt',
      (ctx) => {
        requireScope(ctx.principal, ['iam', 'cloud-platform']);
        const email = ctx.params.account!.toLowerCase();
        const account = this.accounts.get(email);
        const allowed = this.tokenCreators.get(email)?.has(ctx.principal.user.toLowerCase());
        if (!account || !allowed) {
          const message =
            "Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).";
          return new RawResponse(
            jsonResponse(403, {
              error: {
                code: 403,
                message,
                status: 'PERMISSION_DENIED',
                details: [
                  {
                    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
                    reason: 'IAM_PERMISSION_DENIED',
                    domain: 'iam.googleapis.com',
                    metadata: { permission: 'iam.serviceAccounts.signJwt' },
                  },
                ],
              },
            }),
          );
        }
        const { payload } = ctx.json<{ payload?: unknown }>();
        let claims: Record<string, unknown>;
        try {
          claims = JSON.parse(String(payload)) as Record<string, unknown>;
          if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw new Error();
        } catch {
          throw new GoogleApiError('INVALID_ARGUMENT', 'Invalid JWT payload: not a JSON object.');
        }
        // doc: an `exp` claim "must be an integer timestamp that is not in the past and no more
        // than 12 hours in the future".
        const nowS = Math.floor(this.kernel.now() / 1000);
        if (
          claims.exp !== undefined &&
          (!Number.isInteger(claims.exp) ||
            (claims.exp as number) < nowS ||
            (claims.exp as number) > nowS + 12 * 3600)
        ) {
          throw new GoogleApiError(
            'INVALID_ARGUMENT',
            'The JWT exp claim must be an integer timestamp not in the past and no more than 12 hours in the future.',
          );
        }
        if (claims.exp === undefined) claims.exp = nowS + 3600; // doc: defaults to one hour
        const header = b64url(JSON.stringify({ alg: 'RS256', kid: account.keyId, typ: 'JWT' }));
        const body = b64url(JSON.stringify(claims));
        return {
          keyId: account.keyId,
          signedJwt: `${header}.${body}.${this.sign(account, `${header}.${body}`)}`,
        };
      },
    );
  }

  private sign(account: ServiceAccount, signingInput: string): string {
    return createHmac('sha256', account.secret).update(signingInput).digest('base64url');
  }

  /**
   * doc: https://developers.google.com/identity/protocols/oauth2/service-account#httprest
   * JWT-bearer grant; with `sub`, the service account's client must be authorised in the Admin
   * console for every requested scope.
   * doc: https://support.google.com/a/answer/162106 (domain-wide delegation)
   */
  private registerToken(): void {
    this.kernel.http.route(
      `POST ${TOKEN_URL}`,
      'oauth.token',
      (ctx) => {
        const form = new URLSearchParams(ctx.request.body);
        const grantType = form.get('grant_type');
        if (grantType !== JWT_BEARER) {
          return oauthError(
            400,
            'unsupported_grant_type',
            `Invalid grant_type: ${grantType ?? ''}`,
          );
        }
        const assertion = form.get('assertion') ?? '';
        const [header, body, signature] = assertion.split('.');
        let claims: Record<string, unknown> | undefined;
        try {
          claims = JSON.parse(Buffer.from(body ?? '', 'base64url').toString('utf8'));
        } catch {
          claims = undefined;
        }
        if (!header || !body || !signature || !claims || typeof claims !== 'object') {
          return oauthError(400, 'invalid_grant', INVALID_SIGNATURE);
        }
        const iss = typeof claims.iss === 'string' ? claims.iss.toLowerCase() : '';
        const account = this.accounts.get(iss);
        if (!account) return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
        if (this.sign(account, `${header}.${body}`) !== signature) {
          return oauthError(400, 'invalid_grant', INVALID_SIGNATURE);
        }
        if (claims.aud !== TOKEN_URL) {
          return oauthError(400, 'invalid_grant', 'Invalid JWT: Failed audience check.');
        }
        const nowS = Math.floor(this.kernel.now() / 1000);
        const { iat, exp } = claims as { iat?: unknown; exp?: unknown };
        // Choice (observed, not documented): a few minutes of clock skew on iat is tolerated.
        if (
          typeof iat !== 'number' ||
          typeof exp !== 'number' ||
          exp - iat > 3600 ||
          exp <= nowS ||
          iat > nowS + 300
        ) {
          return oauthError(400, 'invalid_grant', BAD_WINDOW);
        }
        const scopes = String(claims.scope ?? '')
          .split(/\s+/)
          .filter((s) => s !== '');
        if (scopes.length === 0) {
          return oauthError(
            400,
            'invalid_scope',
            'Invalid OAuth scope or ID token audience provided.',
          );
        }
        const sub = typeof claims.sub === 'string' ? claims.sub.toLowerCase() : '';
        const user = this.kernel.directory.byEmail(sub);
        // A deleted account is no longer a user of the domain: same answer as an unknown one.
        // assumption: Google does not document the answer for a deleted `sub`; "Invalid email or
        // User ID" is what the brief and client-library issues report for it.
        if (!user || !this.kernel.directory.inDomain(sub) || this.kernel.directory.isDeleted(sub)) {
          return oauthError(400, 'invalid_grant', 'Invalid email or User ID');
        }
        const authorised = this.delegations.get(account.clientId);
        if (!authorised || !scopes.every((s) => authorised.has(s))) {
          return oauthError(
            401,
            'unauthorized_client',
            'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
          );
        }
        const expiresIn = 3599;
        const accessToken = this.kernel.tokens.issue({
          user: user.email,
          scopes,
          project: account.project,
          via: 'delegation',
          client: account.clientId,
          expiresAt: this.kernel.now() + expiresIn * 1000,
        });
        return { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' };
      },
      { auth: 'none' },
    );
  }
}
