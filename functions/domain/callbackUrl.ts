/**
 * Which callback URLs the hub accepts: absolute http(s) URLs; in the deployed stack only to
 * globally reachable addresses. IPv4 refuses every special-purpose block of IANA's registry
 * (private, loopback, link-local and the instance metadata endpoint, shared, documentation,
 * benchmarking, 6to4 relay, multicast, reserved). IPv6 accepts only global unicast (2000::/3), and
 * within it refuses the special blocks (Teredo and the rest of 2001::/23, documentation, 6to4
 * 2002::/16): so IPv4-compatible, IPv4-mapped and -translated, NAT64 (64:ff9b::/96, which would
 * reach any IPv4 address through a translator), discard, unique-local, link-local and multicast
 * addresses are all refused, whatever IPv4 address they embed.
 *
 * Checked on the resolved addresses when registering and again before each delivery, and the
 * delivery connects to the very address it checked (checkedCallback), so DNS cannot answer the
 * check with one address and the connection with another (rebinding).
 */
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const refusedV4: readonly (readonly [string, number])[] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // shared address space (carrier-grade NAT)
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, the instance metadata endpoint among them
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.31.196.0', 24], // AS112
  ['192.52.193.0', 24], // AMT
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['192.175.48.0', 24], // direct delegation AS112
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the limited broadcast address
];
const globalUnicastV6 = new BlockList();
globalUnicastV6.addSubnet('2000::', 3, 'ipv6');
const refusedV6: readonly (readonly [string, number])[] = [
  ['2001::', 23], // IETF protocol assignments: Teredo (2001::/32), benchmarking, ORCHID, ...
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4: embeds an IPv4 address
  ['3fff::', 20], // documentation (RFC 9637)
];

const refused = new BlockList();
for (const [network, prefix] of refusedV4) refused.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of refusedV6) refused.addSubnet(network, prefix, 'ipv6');

/** Whether an address is anything but a globally reachable unicast address. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return refused.check(address, 'ipv4');
  if (family === 6) return !globalUnicastV6.check(address, 'ipv6') || refused.check(address, 'ipv6');
  return true;
}

/** A callback that passed the check, with the address a delivery must connect to. */
export interface CheckedCallback {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
}

/** Checks a callback and resolves its host once: a problem to refuse it with, or where to connect. */
export async function checkCallback(
  callback: string,
  allowPrivate: boolean,
): Promise<{ problem: string } | CheckedCallback> {
  let url: URL;
  try {
    url = new URL(callback);
  } catch {
    return { problem: 'callback must be an absolute URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: 'callback must be an http or https URL' };
  if (url.username || url.password) return { problem: 'callback must not carry credentials' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    const literal = isIP(host);
    addresses = literal ? [{ address: host, family: literal }] : await lookup(host, { all: true });
  } catch {
    return { problem: `callback host ${host.slice(0, 253)} does not resolve` };
  }
  const first = addresses[0];
  if (!first) return { problem: `callback host ${host.slice(0, 253)} does not resolve` };
  // Every address the name has must be acceptable: a client may be served any of them.
  if (!allowPrivate && addresses.some(({ address }) => isPrivateAddress(address))) {
    return {
      problem: `callback host ${host.slice(0, 253)} is a private, loopback, link-local or other special-purpose address`,
    };
  }
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

/** Why a callback is refused, or undefined when it is acceptable. */
export async function callbackProblem(callback: string, allowPrivate: boolean): Promise<string | undefined> {
  const checked = await checkCallback(callback, allowPrivate);
  return 'problem' in checked ? checked.problem : undefined;
}
