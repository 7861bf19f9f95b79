import { lookup as dnsLookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Where a webhook may not point: anything that reaches the service's own host or network
 * (server-side request forgery). Node's BlockList also matches IPv4-mapped IPv6
 * (`::ffff:127.0.0.1`) against the IPv4 ranges.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", includes the unspecified address
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated): never a public destination
  ['100::', 64], // discard
  ['2001::', 32], // Teredo: the IPv4 inside is obfuscated, so it cannot be checked
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local (private)
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, 'ipv6');
}

/** The 8 groups of an IPv6 address, or null when it is not one. */
function ipv6Groups(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') as [string, string] : [text, undefined];
  const parse = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function embeddedIpv4(high: number, low: number): string {
  return `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
}

/** True for addresses a webhook must not reach: private, loopback, link-local, CGNAT, multicast, unspecified. */
export function isPrivateAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) return blocked.check(address, 'ipv4');
  if (version !== 6) return true; // not an address at all: refuse rather than guess
  if (blocked.check(address, 'ipv6')) return true;
  const groups = ipv6Groups(address);
  if (!groups) return true;
  // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) carry an IPv4 address that is what gets reached.
  if (groups[0] === 0x64 && groups[1] === 0xff9b && groups.slice(2, 6).every((g) => g === 0)) {
    return blocked.check(embeddedIpv4(groups[6]!, groups[7]!), 'ipv4');
  }
  if (groups[0] === 0x2002) return blocked.check(embeddedIpv4(groups[1]!, groups[2]!), 'ipv4');
  return false;
}

export type Resolver = (hostname: string) => Promise<string[]>;

export const systemResolver: Resolver = async (hostname) => (await dnsLookup(hostname, { all: true, verbatim: true })).map((a) => a.address);

export class UnsafeWebhookUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeWebhookUrlError';
  }
}

/** The bare host of a URL: brackets of IPv6 literals removed. */
export function urlHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Checks a webhook URL before it is stored and again before each delivery (DNS can change); a
 * website to learn from likewise (`what`: how the message names such URLs). Throws
 * UnsafeWebhookUrlError with a message fit for the API caller.
 */
export async function assertSafeWebhookUrl(
  raw: string,
  options: { allowPrivate: boolean; resolve?: Resolver; what?: string },
): Promise<URL> {
  const what = options.what ?? 'webhook';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UnsafeWebhookUrlError(`"${raw}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeWebhookUrlError(`${what} URLs must use http or https, not ${url.protocol.slice(0, -1)}`);
  if (url.username || url.password) throw new UnsafeWebhookUrlError(what === 'webhook' ? 'webhook URLs must not contain credentials; use the signing secret to authenticate Caty' : `${what} URLs must not contain credentials`);
  if (options.allowPrivate) return url;
  const host = urlHost(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      throw new UnsafeWebhookUrlError(`the host ${host} does not resolve`);
    }
    if (addresses.length === 0) throw new UnsafeWebhookUrlError(`the host ${host} does not resolve`);
  }
  const internal = addresses.find(isPrivateAddress);
  if (internal) {
    throw new UnsafeWebhookUrlError(
      `the host ${host} resolves to ${internal}, a private, loopback, link-local or otherwise internal address; ${what}s must be at a public address`,
    );
  }
  return url;
}
