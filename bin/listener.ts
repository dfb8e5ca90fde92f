/**
 * `npm run -s listener [-- --secret whsec_... --port 4000 --exit-after N]`: a hub listener to try
 * notifications with. It answers every POST with 204, checks each delivery with the Standard
 * Webhooks library any listener can use (`standardwebhooks` on npm: the signature covers the
 * event id, the timestamp and the body) when given the subscription's secret, refuses a forged,
 * stale or replayed one with 401, and prints one line per event:
 * `verified CustomerStateChangeEvent <customer id> <eventTime>`.
 */
import { createServer } from 'node:http';
import { parseCommand, wholeNumber } from './cli/command.js';
import { Webhook } from 'standardwebhooks';

const values = parseCommand('listener', (command) =>
  command
    .description('A hub listener that verifies each delivery (Standard Webhooks) and prints one line per event')
    .option('--secret <whsec>', "the subscription's signingSecret: refuse forged, stale and replayed deliveries")
    .option(
      '--port <port>',
      'port to listen on (LISTENER_PORT)',
      wholeNumber(0),
      Number(process.env.LISTENER_PORT ?? 4000),
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--exit-after <n>', 'exit after n verified events', wholeNumber(1)),
).options as { secret?: string; port: number; host: string; exitAfter?: number };
const exitAfter = values.exitAfter ?? Infinity;
const webhook = values.secret ? new Webhook(values.secret) : undefined;
/** Ids accepted in the last five minutes (older deliveries fail the timestamp check anyway). */
const seen = new Map<string, number>();
let accepted = 0;

/** The delivery's event id, once verified; undefined for a forgery or a replay. */
function verified(headers: Record<string, string>, body: string): string | undefined {
  try {
    webhook?.verify(body, headers); // throws unless signed with the secret, within 5 minutes
  } catch {
    console.log('refused a delivery (bad signature or stale)');
    return undefined;
  }
  const id = headers['webhook-id'] ?? '';
  const now = Date.now();
  for (const [old, at] of seen) if (now - at > 5 * 60_000) seen.delete(old);
  if (seen.has(id)) {
    console.log('refused a delivery (replayed)');
    return undefined;
  }
  seen.set(id, now);
  return id;
}

const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value[0] : value]),
    ) as Record<string, string>;
    if (webhook && verified(headers, body) === undefined) {
      response.writeHead(401).end();
      return;
    }
    let event: { eventType?: string; eventTime?: string; event?: { customer?: { id?: string } } } = {};
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      // printed as unreadable below
    }
    const check = webhook ? 'verified' : 'unverified';
    console.log(
      `${check} ${event.eventType ?? 'unreadable'} ${event.event?.customer?.id ?? ''} ${event.eventTime ?? ''}`,
    );
    const done = ++accepted >= exitAfter;
    response.writeHead(204).end(() => {
      if (done) process.exit(0);
    });
  });
});
server.listen(values.port, values.host, () => {
  console.error(`listening on http://${values.host}:${values.port}/listener`);
});
