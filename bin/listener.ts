/**
 * `npm run -s listener [-- --secret whsec_... --port 4000 --exit-after N]`: a hub listener to try
 * notifications with. It answers every POST with 204, checks the delivery's signature when given
 * the subscription's secret (and refuses a forged or replayed one with 401), and prints one line
 * per event: `verified CustomerStateChangeEvent <customer id> <eventTime>`.
 */
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, verifySignature } from '../functions/notifications/signature.js';

const { values } = parseArgs({
  options: {
    secret: { type: 'string' },
    port: { type: 'string', default: process.env.LISTENER_PORT ?? '4000' },
    host: { type: 'string', default: '127.0.0.1' },
    'exit-after': { type: 'string' },
  },
});
const exitAfter = values['exit-after'] === undefined ? Infinity : Number(values['exit-after']);
const seen = new Set<string>();
let accepted = 0;

const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
  request.on('end', () => {
    const eventId = String(request.headers[EVENT_ID_HEADER.toLowerCase()] ?? '');
    const signature = request.headers[SIGNATURE_HEADER.toLowerCase()] as string | undefined;
    if (values.secret && (!verifySignature(values.secret, signature, body) || seen.has(eventId))) {
      console.log(`refused a delivery (${seen.has(eventId) ? 'replayed' : 'bad signature'})`);
      response.writeHead(401).end();
      return;
    }
    seen.add(eventId);
    let event: { eventType?: string; eventTime?: string; event?: { customer?: { id?: string } } } = {};
    try {
      event = JSON.parse(body) as typeof event;
    } catch {
      // printed as unreadable below
    }
    const check = values.secret ? 'verified' : 'unverified';
    console.log(
      `${check} ${event.eventType ?? 'unreadable'} ${event.event?.customer?.id ?? ''} ${event.eventTime ?? ''}`,
    );
    const done = ++accepted >= exitAfter;
    response.writeHead(204).end(() => {
      if (done) process.exit(0);
    });
  });
});
server.listen(Number(values.port), values.host, () => {
  console.error(`listening on http://${values.host}:${values.port}/listener`);
});
