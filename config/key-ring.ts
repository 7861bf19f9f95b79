import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A list of 256-bit keys, the first of which is current: it encrypts and signs, and every key in
 * the list decrypts and verifies, so a key is rotated by putting a new one first and dropping the
 * old one once nothing needs it. Settings that hold keys (CATY_ENCRYPTION_KEY,
 * CATY_VISITOR_TOKEN_KEY) are comma-separated lists of them, each 32 bytes in base64 or hex.
 *
 * Sealed data is AES-256-GCM: a 6-byte header (format version, then the id of the key that sealed
 * it), a 12-byte random nonce, the ciphertext and the 16-byte tag. The caller's `context` is
 * authenticated with it (not stored), so sealed data cannot be moved to another row or purpose.
 */
export class KeyRing {
  private readonly keys: { id: Buffer; key: Buffer }[];

  private constructor(keys: Buffer[]) {
    this.keys = keys.map((key) => ({ id: keyId(key), key }));
  }

  /** The keys of a setting's value; throws with a message naming what is wrong. */
  static parse(text: string): KeyRing {
    const entries = text.split(',').map((entry) => entry.trim()).filter(Boolean);
    if (entries.length === 0) throw new Error('no key given');
    const keys = entries.map((entry, index) => {
      const key = decodeKey(entry);
      if (!key) throw new Error(`key ${index + 1} is not 32 bytes in base64 or hex (generate one with \`openssl rand -base64 32\`)`);
      return key;
    });
    const ids = new Set(keys.map((key) => keyId(key).toString('hex')));
    if (ids.size !== keys.length) throw new Error('the same key is listed twice');
    return new KeyRing(keys);
  }

  /** A new key, as a setting holds it. */
  static generate(): string {
    return randomBytes(KEY_BYTES).toString('base64');
  }

  /** Encrypts with the current key. */
  seal(plaintext: Uint8Array, context: string): Buffer {
    const { id, key } = this.keys[0]!;
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), id, nonce, body, cipher.getAuthTag()]);
  }

  /** Decrypts with whichever key sealed it; throws when no key of the ring did, or it was altered. */
  open(sealed: Uint8Array, context: string): Buffer {
    const data = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
    if (data.length < HEADER_BYTES + NONCE_BYTES + TAG_BYTES || data[0] !== VERSION) throw new Error('not data sealed by a key ring');
    const id = data.subarray(1, HEADER_BYTES);
    const entry = this.keys.find((k) => k.id.equals(id));
    if (!entry) throw new Error(`sealed with key ${id.toString('hex')}, which is not among the configured keys`);
    const nonce = data.subarray(HEADER_BYTES, HEADER_BYTES + NONCE_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', entry.key, nonce);
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    return Buffer.concat([decipher.update(data.subarray(HEADER_BYTES + NONCE_BYTES, data.length - TAG_BYTES)), decipher.final()]);
  }

  /** Text in a text column: `enc:` and the sealed bytes in base64url. */
  sealText(plaintext: string, context: string): string {
    return `${TEXT_PREFIX}${this.seal(Buffer.from(plaintext, 'utf8'), context).toString('base64url')}`;
  }

  openText(sealed: string, context: string): string {
    if (!KeyRing.isSealedText(sealed)) throw new Error('not text sealed by a key ring');
    return this.open(Buffer.from(sealed.slice(TEXT_PREFIX.length), 'base64url'), context).toString('utf8');
  }

  static isSealedText(text: string): boolean {
    return text.startsWith(TEXT_PREFIX);
  }

  /**
   * How text sealed with the current key begins (the header is 6 bytes, 8 base64url characters):
   * anything else is plain or sealed with an older key, and due to be sealed again.
   */
  get currentTextPrefix(): string {
    return `${TEXT_PREFIX}${Buffer.concat([Buffer.from([VERSION]), this.keys[0]!.id]).toString('base64url')}`;
  }

  /** HMAC-SHA256 of `data` with the current key, base64url. */
  sign(data: string): string {
    return hmac(this.keys[0]!.key, data);
  }

  /** Whether any key of the ring signed `data` with `signature`. */
  verify(data: string, signature: string): boolean {
    const given = Buffer.from(signature);
    return this.keys.some(({ key }) => {
      const expected = Buffer.from(hmac(key, data));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }
}

const VERSION = 1;
const KEY_BYTES = 32;
const HEADER_BYTES = 6;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const TEXT_PREFIX = 'enc:';

function keyId(key: Buffer): Buffer {
  return createHash('sha256').update('caty key id\n').update(key).digest().subarray(0, HEADER_BYTES - 1);
}

function hmac(key: Buffer, data: string): string {
  return createHmac('sha256', key).update(data).digest('base64url');
}

function decodeKey(text: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text)) return null;
  const key = Buffer.from(text, 'base64');
  return key.length === KEY_BYTES ? key : null;
}
