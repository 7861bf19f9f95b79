import type { DataConverter, Payload, PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { KeyRing } from './key-ring.js';

// A CommonJS module: its namespace is its default export.
const { temporal } = proto;

/** How an encrypted payload says so in its metadata (the Temporal UI's codec server sees it too). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Authenticated with every payload, so a payload sealed for Temporal is not accepted elsewhere. */
const CONTEXT = 'caty temporal payload';

const encodingOf = (payload: Payload) => (payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString('utf8') : undefined);

/**
 * Encrypts every payload Caty hands to Temporal (workflow and activity inputs and results,
 * signals, queries, memos, summaries) with AES-256-GCM under CATY_ENCRYPTION_KEY: whoever reads
 * Temporal's database or its UI without the codec sees ciphertext instead of messages, numbers and
 * leads. The whole payload (its metadata and data) is sealed, so even its encoding stays private.
 * The first key of the ring encrypts and every key decrypts (rotation). A payload that is not
 * encrypted (histories written before the codec) is handed back as it is.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => ({
      metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING) },
      data: this.keys.seal(temporal.api.common.v1.Payload.encode(payload).finish(), CONTEXT),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decodeOne(payload));
  }

  /** One payload in clear (as it was, when it is not encrypted). */
  decodeOne(payload: Payload): Payload {
    if (encodingOf(payload) !== ENCRYPTED_ENCODING || !payload.data) return payload;
    return temporal.api.common.v1.Payload.decode(this.keys.open(payload.data, CONTEXT)) as Payload;
  }
}

/** The data converter of every Temporal client and worker of a deployment (they must share the keys). */
export function encryptingDataConverter(keys: KeyRing): DataConverter {
  return { payloadCodecs: [new EncryptionCodec(keys)] };
}
