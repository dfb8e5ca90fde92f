/**
 * App clients per integrating system, declared in configuration: `crm:read,billing:read+write`.
 * Each gets its own Cognito app client with only the scopes it names, so a system can be cut off
 * or given a new secret alone, and access logs tell systems apart.
 */
import { SCOPE_NAMES, type Access } from '../functions/operations.js';

export interface IntegrationClientSpec {
  /** A short name for the system: letters and digits, starting with a letter (`crm`, `powerPlatform`). */
  readonly name: string;
  readonly access: readonly Access[];
  /** Authorization-code clients: where the tool's sign-in returns (Power Platform, Postman, Salesforce). */
  readonly callbackUrls?: readonly string[];
}

/**
 * Where low-code tools return after sign-in when no callback URL is given: Power Platform custom
 * connectors (the shared redirect URL) and Postman's browser flow.
 */
export const DEFAULT_CALLBACK_URLS = [
  'https://global.consent.azure-apim.net/redirect',
  'https://oauth.pstmn.io/v1/callback',
] as const;

const NAME = /^[A-Za-z][A-Za-z0-9]{0,39}$/;

/**
 * Parses `name:access[+access...][=callback|callback...]` entries (callbacks only for
 * authorization-code clients), failing the synth with the entry that is wrong.
 */
export function parseIntegrationClients(
  entries: readonly string[] | undefined,
  what: string,
  allowCallbacks = false,
): IntegrationClientSpec[] {
  const specs: IntegrationClientSpec[] = [];
  for (const raw of entries ?? []) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [declaration = '', callbacks] = entry.split(/=(.*)/s);
    const [name = '', accessList = ''] = declaration.split(':');
    if (!NAME.test(name))
      throw new Error(`${what}: "${entry}": the name must be letters and digits, starting with a letter`);
    if (specs.some((spec) => spec.name.toLowerCase() === name.toLowerCase()))
      throw new Error(`${what}: "${name}" is declared twice`);
    const access = accessList.split('+').map((a) => a.trim());
    const known = Object.keys(SCOPE_NAMES);
    if (access.length === 0 || access.some((a) => !known.includes(a)))
      throw new Error(`${what}: "${entry}": access must be ${known.join(', ')} joined by + (e.g. ${name}:read+write)`);
    if (callbacks !== undefined && !allowCallbacks)
      throw new Error(`${what}: "${entry}": only authorization-code clients take callback URLs`);
    const callbackUrls = callbacks?.split('|').map((url) => url.trim());
    for (const url of callbackUrls ?? []) {
      if (!/^https:\/\/[^\s]+$/.test(url) && !/^http:\/\/localhost(:\d+)?\//.test(url))
        throw new Error(`${what}: "${url}" must be an https URL (or http://localhost)`);
    }
    specs.push({ name, access: [...new Set(access as Access[])], ...(callbackUrls ? { callbackUrls } : {}) });
  }
  return specs;
}

/** The output and construct name of a client: `IntegrationClientCrm`. */
export function clientLogicalName(prefix: string, name: string): string {
  return `${prefix}${name.charAt(0).toUpperCase()}${name.slice(1)}`;
}
