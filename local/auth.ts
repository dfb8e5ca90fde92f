/**
 * Scope checks for the local server (LOCAL_AUTH=true), the same scopes API Gateway checks in the
 * deployed stack, against a signing key kept in DATA_DIR. `npm run token` mints tokens with it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import { ForbiddenError, UnauthorizedError } from '../functions/errors.js';
import { ALL_SCOPES } from '../functions/operations.js';

const ISSUER = 'tmf629-local';
const KEY_FILE = 'local-signing-key';

/** The HS256 key in DATA_DIR, made on first use (readable by the owner only). */
export function localSigningKey(dataDir: string): Uint8Array {
  const file = join(dataDir, KEY_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  }
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'hex');
}

/** Cognito's longest access-token lifetime: a local token may live no longer. */
export const MAX_TOKEN_LIFETIME_SECONDS = 24 * 3600;

/** An access token as Cognito issues one to a client: its client id, scopes, token_use, iat and exp. */
export function mintToken(
  key: Uint8Array,
  clientId: string,
  scopes: readonly string[],
  ttlSeconds = 3600,
): Promise<string> {
  return new SignJWT({ scope: scopes.join(' '), token_use: 'access', client_id: clientId })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key);
}

/** Checks a call's token for one scope (as API Gateway does) and answers every scope it grants. */
export type Authorize = (authorization: string | undefined, requiredScope: string) => Promise<readonly string[]>;

/**
 * Checks a Bearer token as the deployed Cognito authorizer does: signed by this data folder's key
 * for this folder's client, an access token (not an id token), with an expiry no further than
 * Cognito's longest lifetime from its issue. 401 when missing or not acceptable (with
 * WWW-Authenticate); 403 without the scope.
 */
export function localAuthorizer(key: Uint8Array, clientId: string): Authorize {
  return async (authorization, requiredScope) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token)
      throw new UnauthorizedError('A Bearer token is required (LOCAL_AUTH is on; mint one with `npm run token`)');
    let scopes: string[];
    try {
      const { payload } = await jwtVerify(token, key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'iat', 'client_id', 'token_use'],
        maxTokenAge: MAX_TOKEN_LIFETIME_SECONDS,
      });
      const lifetime = (payload.exp ?? 0) - (payload.iat ?? 0);
      if (payload.token_use !== 'access' || payload.client_id !== clientId || lifetime > MAX_TOKEN_LIFETIME_SECONDS)
        throw new Error('not an access token of this client');
      scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    } catch {
      throw new UnauthorizedError('The Bearer token is not valid or has expired', true);
    }
    if (!scopes.includes(requiredScope)) throw new ForbiddenError(`This operation needs the scope ${requiredScope}`);
    return scopes;
  };
}

/** The local server's one app client (LOCAL_AUTH), like the deployed stack's IntegrationClient. */
export interface LocalClient {
  readonly clientId: string;
  readonly clientSecret: string;
}

const CLIENT_FILE = 'local-client.json';

/** The client in DATA_DIR, made on first use (readable by the owner only). */
export function localClient(dataDir: string): LocalClient {
  const file = join(dataDir, CLIENT_FILE);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const client = {
      clientId: `local-${randomBytes(6).toString('hex')}`,
      clientSecret: randomBytes(24).toString('hex'),
    };
    writeFileSync(file, JSON.stringify(client), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as LocalClient;
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

/**
 * POST /oauth2/token on the local server: the OAuth2 client-credentials grant (RFC 6749 §4.4),
 * as Cognito's token endpoint speaks it (Basic client authentication or client_id/client_secret in
 * the form, optional `scope`, JSON answer), so a client gets its token locally the way it would
 * from a deployment.
 */
export async function issueToken(
  key: Uint8Array,
  client: LocalClient,
  authorization: string | undefined,
  form: URLSearchParams,
): Promise<TokenAnswer> {
  const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  // RFC 7617: the id ends at the first colon; everything after it is the secret, colons included.
  const decoded = basic ? Buffer.from(basic, 'base64').toString('utf8') : undefined;
  const colon = decoded?.indexOf(':') ?? -1;
  const [id, secret] =
    decoded !== undefined
      ? colon < 0
        ? [decoded, '']
        : [decoded.slice(0, colon), decoded.slice(colon + 1)]
      : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
  if (!same(id ?? '', client.clientId) || !same(secret ?? '', client.clientSecret)) {
    return { status: 401, body: { error: 'invalid_client' } };
  }
  if (form.get('grant_type') !== 'client_credentials')
    return { status: 400, body: { error: 'unsupported_grant_type' } };
  const asked = (form.get('scope') ?? '').split(' ').filter((scope) => scope !== '');
  if (asked.some((scope) => !ALL_SCOPES.includes(scope))) return { status: 400, body: { error: 'invalid_scope' } };
  const scopes = asked.length > 0 ? asked : ALL_SCOPES;
  const ttl = 3600;
  return {
    status: 200,
    body: { access_token: await mintToken(key, client.clientId, scopes, ttl), token_type: 'Bearer', expires_in: ttl },
  };
}
