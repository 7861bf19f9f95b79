import { BlockList, isIP } from 'node:net';
import type { Middleware } from 'koa';
import type { TrustProxy } from '../../config/index.js';

/** `::ffff:203.0.113.9` (an IPv4 client of a dual-stack socket) is 203.0.113.9. */
function normalise(address: string): string {
  const trimmed = address.trim();
  return /^::ffff:[0-9.]+$/i.test(trimmed) ? trimmed.slice(7) : trimmed;
}

/**
 * Who is calling: the connection's peer, unless it is a proxy we were told to believe
 * (CATY_TRUST_PROXY). Then X-Forwarded-For is read from the right, where each trusted proxy
 * appended the address it saw, and stops at the first address no trusted proxy vouches for;
 * whatever a client wrote further left is never believed. Returns a function of the peer's address
 * and the header.
 */
export function clientAddressResolver(trust: TrustProxy): (peer: string, forwardedFor: string | undefined) => string {
  if (trust === false) return (peer) => normalise(peer);
  const chainOf = (peer: string, forwardedFor: string | undefined) => [...(forwardedFor ?? '').split(',').map(normalise).filter(Boolean), normalise(peer)];
  if (typeof trust === 'number') {
    return (peer, forwardedFor) => {
      const chain = chainOf(peer, forwardedFor);
      const client = chain[Math.max(0, chain.length - 1 - trust)]!;
      return isIP(client) ? client : normalise(peer);
    };
  }
  const proxies = new BlockList();
  for (const entry of trust) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) proxies.addAddress(address, family);
    else proxies.addSubnet(address, Number(bits), family);
  }
  const trusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && proxies.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (peer, forwardedFor) => {
    const chain = chainOf(peer, forwardedFor);
    let index = chain.length - 1;
    while (index > 0 && trusted(chain[index]!) && isIP(chain[index - 1]!)) index--;
    return chain[index]!;
  };
}

/** Sets `ctx.ip` to the client's address as `clientAddressResolver` finds it (Koa's own `proxy` stays off). */
export function clientAddress(trust: TrustProxy): Middleware {
  const resolve = clientAddressResolver(trust);
  return async (ctx, next) => {
    ctx.request.ip = resolve(ctx.req.socket.remoteAddress ?? '', ctx.get('x-forwarded-for') || undefined);
    return next();
  };
}
