import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `X-Caty-Signature` scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * The timestamp is inside the signed text so a captured request cannot be replayed later with a
 * fresh `t`. Pure: no I/O, the clock is a parameter.
 */
export function signCatyPayload(secret: string, rawBody: string, timestampSeconds: number): string {
  const t = Math.floor(timestampSeconds);
  return `t=${t},v1=${hmacHex(secret, t, rawBody)}`;
}

function hmacHex(secret: string, t: number | string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${t}.${rawBody}`, 'utf8').digest('hex');
}

/**
 * True when `header` signs `rawBody` (the exact bytes received, before any JSON parsing) with
 * `secret`, and its timestamp is within `toleranceSeconds` of `nowSeconds`. Several `v1` entries
 * are accepted so a secret can be rotated without a window of failures.
 */
export function verifyCatySignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  toleranceSeconds = 300,
  nowSeconds = Date.now() / 1000,
): boolean {
  if (!header) return false;
  let t: string | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value) t = value;
    else if (key === 'v1' && value) candidates.push(value);
  }
  if (!t || !/^\d{1,12}$/.test(t) || candidates.length === 0) return false;
  if (Math.abs(nowSeconds - Number(t)) > toleranceSeconds) return false;
  const expected = Buffer.from(hmacHex(secret, t, rawBody), 'hex');
  return candidates.some((candidate) => {
    if (!/^[0-9a-f]{64}$/i.test(candidate)) return false;
    return timingSafeEqual(expected, Buffer.from(candidate, 'hex'));
  });
}
