/** Own file: it replaces the resolver module for everything it imports. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';

const lookup = vi.fn();
vi.mock('node:dns/promises', () => ({ lookup }));

describe('a delivery connects to the address it checked', () => {
  it('never resolves the callback name a second time (DNS rebinding): it reaches the checked address', async () => {
    const received: { host?: string; id?: string }[] = [];
    const server = createServer((request, response) => {
      received.push({ host: request.headers.host, id: request.headers['webhook-id'] as string });
      request.resume().on('end', () => response.writeHead(204).end());
    });
    await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
    const port = (server.address() as AddressInfo).port;
    // The check sees 127.0.0.1 for a name the system resolver does not know: were the connection
    // to resolve it again, it would fail (or, in an attack, go where the second answer points).
    lookup.mockResolvedValue([{ address: '127.0.0.1', family: 4 }]);
    try {
      const { deliver } = await import('./delivery.js');
      const event = { eventId: 'E1', event: { customer: { id: 'C1' } } } as never;
      const delivered = await deliver(
        { subscriptionId: 'S1', callback: `http://rebind.invalid:${port}/listener`, event },
        true,
        async () => ({ signingSecret: 'whsec_c2VjcmV0' }),
      );
      expect(delivered).toBe(true);
      expect(lookup).toHaveBeenCalledTimes(1);
      expect(received).toEqual([{ host: `rebind.invalid:${port}`, id: 'E1' }]);
    } finally {
      server.close();
    }
  });

  it('refuses a name any of whose addresses is special-purpose, when private callbacks are refused', async () => {
    lookup.mockResolvedValue([
      { address: '93.184.215.14', family: 4 },
      { address: '64:ff9b::a9fe:a9fe', family: 6 },
    ]);
    const { callbackProblem } = await import('../domain/callbackUrl.js');
    expect(await callbackProblem('https://mixed.invalid/listener', false)).toMatch(/special-purpose/);
  });
});
