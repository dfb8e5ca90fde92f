/**
 * Scope checks for the local server (LOCAL_AUTH=true), the same scopes API Gateway checks in the
 * deployed stack, against a signing key kept in DATA_DIR. `npm run token` mints tokens with it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, jwtVerify } from 'jose';
import { ForbiddenError, UnauthorizedError } from '../functions/errors.js';

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

export function mintToken(key: Uint8Array, scopes: readonly string[], ttlSeconds = 3600): Promise<string> {
  return new SignJWT({ scope: scopes.join(' '), token_use: 'access' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key);
}

export type Authorize = (authorization: string | undefined, requiredScope: string) => Promise<void>;

/** Checks a Bearer token: 401 when missing, malformed, forged or expired; 403 without the scope. */
export function localAuthorizer(key: Uint8Array): Authorize {
  return async (authorization, requiredScope) => {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (!token)
      throw new UnauthorizedError('A Bearer token is required (LOCAL_AUTH is on; mint one with `npm run token`)');
    let scopes: string[];
    try {
      const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ['HS256'] });
      scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    } catch {
      throw new UnauthorizedError('The Bearer token is not valid or has expired');
    }
    if (!scopes.includes(requiredScope)) throw new ForbiddenError(`This operation needs the scope ${requiredScope}`);
  };
}
