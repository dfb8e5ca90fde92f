import { describe, expect, it } from 'vitest';
import { callbackProblem, isPrivateAddress } from './callbackUrl.js';

describe('callback URLs', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:127.0.0.1',
    '0.0.0.0',
    '100.64.0.1',
    // Special-purpose ranges that embed or reach an IPv4 address, or are not unicast on the internet.
    '::7f00:1', // IPv4-compatible 127.0.0.1
    '::ffff:0:a9fe:a9fe', // IPv4-translated 169.254.169.254
    '64:ff9b::a9fe:a9fe', // NAT64 to the metadata endpoint
    '64:ff9b::7f00:1', // NAT64 to loopback
    '64:ff9b:1::1', // local-use NAT64
    '2002:a9fe:a9fe::1', // 6to4 of 169.254.169.254
    '2001:0:4136:e378:8000:63bf:3fff:fdd2', // Teredo
    '100::1', // discard-only
    '2001:db8::1', // documentation
    '3fff::1', // documentation (RFC 9637)
    '2001:2::1', // benchmarking
    'fec0::1', // site-local (deprecated)
    'ff02::1', // multicast
    '::', // unspecified
    '192.0.2.1', // TEST-NET-1
    '198.51.100.7', // TEST-NET-2
    '203.0.113.9', // TEST-NET-3
    '198.18.0.1', // benchmarking
    '192.88.99.1', // 6to4 relay
    '224.0.0.1', // multicast
    '240.0.0.1', // reserved
    '255.255.255.255', // broadcast
    'not-an-address',
  ])('treats %s as private', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '52.95.110.1', '2600:1f18::1', '2a05:d018::1', '1.1.1.1'])('treats %s as public', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses private, loopback and link-local callbacks unless allowed', async () => {
    expect(await callbackProblem('http://169.254.169.254/latest/meta-data', false)).toMatch(
      /private, loopback, link-local/,
    );
    expect(await callbackProblem('http://127.0.0.1:8080/listener', false)).toMatch(/private/);
    expect(await callbackProblem('http://[::1]:8080/listener', false)).toMatch(/private/);
    for (const host of [
      '[::7f00:1]',
      '[::ffff:0:a9fe:a9fe]',
      '[64:ff9b::a9fe:a9fe]',
      '[2002:a9fe:a9fe::1]',
      '[100::1]',
    ])
      expect(await callbackProblem(`http://${host}/listener`, false), host).toMatch(/special-purpose/);
    expect(await callbackProblem('http://localhost:8080/listener', false)).toMatch(/private|does not resolve/);
    expect(await callbackProblem('http://127.0.0.1:8080/listener', true)).toBeUndefined();
    expect(await callbackProblem('https://8.8.8.8/listener', false)).toBeUndefined();
  });

  it('refuses what is not an absolute http(s) URL without credentials', async () => {
    expect(await callbackProblem('/relative', true)).toMatch(/absolute/);
    expect(await callbackProblem('file:///etc/passwd', true)).toMatch(/http or https/);
    expect(await callbackProblem('https://u:p@example.com/', true)).toMatch(/credentials/);
  });
});
