/**
 * `npm run token [-- scope ...]`: prints a Bearer token for the local server started with
 * LOCAL_AUTH=true (same DATA_DIR). Scopes default to all of them, e.g. tmf629/customer.read.
 */
import { resolve } from 'node:path';
import { parseCommand } from './cli/command.js';
import { ALL_SCOPES } from '../functions/operations.js';
import { localClient, localSigningKey, mintToken } from '../local/auth.js';

const dataDir = resolve(process.env.DATA_DIR ?? '.data');
const asked = parseCommand('token', (command) =>
  command
    .description('Print a Bearer token for the local server started with LOCAL_AUTH=true (same DATA_DIR)')
    .argument('[scope...]', 'scopes, e.g. customer.read (default: all of them)'),
).args;
const scopes = asked.length > 0 ? asked.map((s) => (s.includes('/') ? s : `tmf629/${s}`)) : ALL_SCOPES;
console.log(await mintToken(localSigningKey(dataDir), localClient(dataDir).clientId, scopes));
