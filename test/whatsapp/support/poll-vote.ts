import { createHash, randomBytes } from 'node:crypto';
import { aesEncryptGCM, hmacSign, proto, type WAMessage } from '@whiskeysockets/baileys';

/**
 * A poll vote as a customer's phone sends it: the chosen option's SHA-256, encrypted with a key
 * derived from the poll's secret and the creator's and voter's JIDs (WhatsApp's scheme).
 */
export function pollVoteMessage(options: {
  pollMessageId: string;
  pollCreatorJid: string;
  voterJid: string;
  secret: Buffer;
  optionName: string;
  id?: string;
}): WAMessage {
  const vote = proto.Message.PollVoteMessage.encode({ selectedOptions: [createHash('sha256').update(options.optionName).digest()] }).finish();
  const sign = Buffer.concat([Buffer.from(options.pollMessageId), Buffer.from(options.pollCreatorJid), Buffer.from(options.voterJid), Buffer.from('Poll Vote'), new Uint8Array([1])]);
  const key0 = hmacSign(options.secret, new Uint8Array(32), 'sha256');
  const key = hmacSign(sign, key0, 'sha256');
  const iv = randomBytes(12);
  const encPayload = aesEncryptGCM(vote, key, iv, Buffer.from(`${options.pollMessageId}\u0000${options.voterJid}`));
  return {
    key: { remoteJid: options.voterJid, fromMe: false, id: options.id ?? `VOTE${randomBytes(6).toString('hex').toUpperCase()}` },
    messageTimestamp: Math.floor(Date.now() / 1000),
    message: {
      pollUpdateMessage: {
        pollCreationMessageKey: { remoteJid: options.voterJid, fromMe: true, id: options.pollMessageId },
        vote: { encPayload, encIv: iv },
        senderTimestampMs: Date.now(),
      },
    },
  } as WAMessage;
}
