/** registerListener, retrieveListener, unregisterListener: TMF630 hub subscriptions. */
import { ulid } from 'ulid';
import { BadRequestError, NotFoundError, ValidationError } from '../errors.js';
import type { StoredSubscription, SubscriptionStore } from './ports.js';
import { newSigningSecret } from '../signature.js';
import { callbackProblem } from './callbackUrl.js';
import { parseSubscriptionQuery, prepareSubscriptionQuery } from './events.js';
import type { ResourceContext } from './representation.js';
import { check } from './validation.js';

export interface Listener {
  readonly subscription: StoredSubscription;
  readonly href: string;
}

const MAX_CALLBACK_LENGTH = 2048;
const MAX_QUERY_LENGTH = 2048;

/** What registering a listener depends on. */
export interface HubSettings {
  /** Accept callbacks to private, loopback and link-local addresses (local use only). */
  readonly allowPrivateCallbacks: boolean;
}

export async function registerListener(
  subscriptions: SubscriptionStore,
  settings: HubSettings,
  body: unknown,
  context: ResourceContext,
  apiVersion?: 'v5',
): Promise<Listener> {
  const { callback, query } = await checkedInput(body, apiVersion);
  if (callback.length > MAX_CALLBACK_LENGTH)
    throw new ValidationError(`callback: longer than ${MAX_CALLBACK_LENGTH} characters`);
  const problem = await callbackProblem(callback, settings.allowPrivateCallbacks);
  if (problem) throw new ValidationError(problem);
  if (query !== undefined) {
    if (query.length > MAX_QUERY_LENGTH) throw new BadRequestError(`query: longer than ${MAX_QUERY_LENGTH} characters`);
    // Refuses a bad query now, not at delivery (a v5 listener filters on v5 attribute paths).
    const types =
      apiVersion === 'v5'
        ? (await import('../generated/v5/customerAttributes.js')).customerAttributeTypesV5
        : undefined;
    await prepareSubscriptionQuery(parseSubscriptionQuery(query, types));
  }
  const subscription: StoredSubscription = {
    id: ulid(),
    callback,
    ...(query !== undefined ? { query } : {}),
    signingSecret: newSigningSecret(),
    ...(apiVersion ? { apiVersion } : {}),
  };
  await subscriptions.insertSubscription(subscription);
  return { subscription, href: `${context.baseUrl}/hub/${subscription.id}` };
}

/** The body of a registration, checked against the version's schema (v4 EventSubscriptionInput, v5 Hub_FVO). */
async function checkedInput(
  body: unknown,
  apiVersion: 'v5' | undefined,
): Promise<{ callback: string; query?: string }> {
  if (apiVersion === 'v5') {
    const { validateHubV5Create } = await import('../generated/v5/validateHubV5Create.cjs');
    check(validateHubV5Create, body, 'Hub_FVO');
    return body as { callback: string; query?: string };
  }
  const { validateEventSubscriptionInput } = await import('../generated/validateEventSubscriptionInput.cjs');
  check(validateEventSubscriptionInput, body, 'EventSubscriptionInput');
  return body;
}

/** The subscription as GET /hub/{id} answers it: without its signing secret. */
export function publicSubscription(subscription: StoredSubscription): StoredSubscription {
  const { signingSecret: _secret, apiVersion: _version, ...shown } = subscription;
  return shown;
}

export async function retrieveListener(
  subscriptions: SubscriptionStore,
  id: string,
  context: ResourceContext,
): Promise<Listener> {
  const subscription = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) ? await subscriptions.findSubscription(id) : undefined;
  if (!subscription) throw new NotFoundError(`No hub subscription with id "${id.slice(0, 64)}"`);
  return { subscription, href: `${context.baseUrl}/hub/${subscription.id}` };
}

export async function unregisterListener(subscriptions: SubscriptionStore, id: string): Promise<void> {
  const removed = /^[0-9A-HJKMNP-TV-Z]{26}$/.test(id) && (await subscriptions.removeSubscription(id));
  if (!removed) throw new NotFoundError(`No hub subscription with id "${id.slice(0, 64)}"`);
}
