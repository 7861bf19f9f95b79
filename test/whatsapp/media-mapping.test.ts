import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proto, type WAMessage } from '@whiskeysockets/baileys';
import { mapMessage, type MappedText } from '../../activities/whatsapp/baileys/message-mapping.js';
import { attachmentOf } from '../../activities/whatsapp/baileys/inbound.js';

const CUSTOMER = '40721234567';
const noLids = async () => null;
let counter = 0;

/** A message as Baileys hands it over: a WebMessageInfo decoded from the wire format. */
function received(message: proto.IMessage): WAMessage {
  const info = proto.WebMessageInfo.fromObject({
    key: { remoteJid: `${CUSTOMER}@s.whatsapp.net`, fromMe: false, id: `3A${++counter}MEDIA` },
    messageTimestamp: 1_760_000_000,
    message,
  });
  return proto.WebMessageInfo.decode(proto.WebMessageInfo.encode(info).finish()) as WAMessage;
}

async function map(message: proto.IMessage): Promise<MappedText> {
  const mapped = await mapMessage(received(message), noLids);
  assert.ok(mapped && mapped.kind === 'text', `mapped ${JSON.stringify(message)}`);
  return mapped;
}

const file = { url: 'https://mmg.whatsapp.net/v/t62/x.enc', directPath: '/v/t62/x.enc', mediaKey: Buffer.alloc(32, 7), fileLength: 1234 };

test('a photo, with and without a caption, keeps its caption and its media part', async () => {
  const bare = await map({ imageMessage: { ...file, mimetype: 'image/jpeg' } });
  assert.equal(bare.text, '');
  assert.equal(bare.media?.kind, 'image');
  assert.equal(bare.media?.mimeType, 'image/jpeg');
  assert.ok(bare.media?.content.imageMessage?.mediaKey);
  const captioned = await map({ imageMessage: { ...file, mimetype: 'image/jpeg', caption: 'Cât costă asta?' } });
  assert.equal(captioned.text, 'Cât costă asta?');
  assert.equal(captioned.media?.kind, 'image');
});

test('a voice note is audio with voice and its duration; an audio file is not a voice note', async () => {
  const voice = await map({ audioMessage: { ...file, mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 7 } });
  assert.deepEqual([voice.media?.kind, voice.media?.voice, voice.media?.durationS, voice.text], ['audio', true, 7, '']);
  const song = await map({ audioMessage: { ...file, mimetype: 'audio/mpeg', seconds: 180 } });
  assert.equal(song.media?.voice, undefined);
  assert.equal(song.media?.mimeType, 'audio/mpeg');
});

test('a video and a round video note', async () => {
  const video = await map({ videoMessage: { ...file, mimetype: 'video/mp4', seconds: 12, caption: 'uitați' } });
  assert.deepEqual([video.media?.kind, video.media?.durationS, video.text], ['video', 12, 'uitați']);
  const note = await map({ ptvMessage: { ...file, mimetype: 'video/mp4', seconds: 4 } });
  assert.equal(note.media?.kind, 'video');
  assert.ok(note.media?.content.videoMessage, 'downloaded as a video');
});

test('a document with its file name, without and with a caption (documentWithCaptionMessage)', async () => {
  const plain = await map({ documentMessage: { ...file, mimetype: 'application/pdf', fileName: 'factura.pdf' } });
  assert.deepEqual([plain.media?.kind, plain.media?.filename, plain.text], ['document', 'factura.pdf', '']);
  const captioned = await map({
    documentWithCaptionMessage: { message: { documentMessage: { ...file, mimetype: 'application/pdf', fileName: 'oferta.pdf', caption: 'Vă rog să verificați' } } },
  });
  assert.deepEqual([captioned.media?.filename, captioned.text], ['oferta.pdf', 'Vă rog să verificați']);
});

test('a sticker', async () => {
  const sticker = await map({ stickerMessage: { ...file, mimetype: 'image/webp', isAnimated: false } });
  assert.deepEqual([sticker.media?.kind, sticker.media?.mimeType], ['sticker', 'image/webp']);
});

test('view-once photos, videos and voice notes (v1, v2 and the v2 extension) are unwrapped', async () => {
  const once = await map({ viewOnceMessage: { message: { imageMessage: { ...file, mimetype: 'image/jpeg', viewOnce: true } } } });
  assert.equal(once.media?.kind, 'image');
  const twice = await map({ viewOnceMessageV2: { message: { videoMessage: { ...file, mimetype: 'video/mp4', viewOnce: true } } } });
  assert.equal(twice.media?.kind, 'video');
  const voice = await map({ viewOnceMessageV2Extension: { message: { audioMessage: { ...file, mimetype: 'audio/ogg; codecs=opus', ptt: true } } } });
  assert.equal(voice.media?.voice, true);
  const ephemeral = await map({ ephemeralMessage: { message: { imageMessage: { ...file, mimetype: 'image/png' } } } });
  assert.equal(ephemeral.media?.mimeType, 'image/png');
});

test('a location, and a live location as it was when shared', async () => {
  const place = await map({ locationMessage: { degreesLatitude: 44.4268, degreesLongitude: 26.1025, name: 'Magazin', address: 'Str. Lipscani 1, București' } });
  assert.deepEqual(place.location, { latitude: 44.4268, longitude: 26.1025, name: 'Magazin', address: 'Str. Lipscani 1, București' });
  assert.equal(place.text, '');
  const live = await map({ liveLocationMessage: { degreesLatitude: 45.75, degreesLongitude: 21.23, caption: 'sunt aici' } });
  assert.deepEqual(live.location, { latitude: 45.75, longitude: 21.23, live: true });
  assert.equal(live.text, 'sunt aici');
});

test('a contact card, and several: the first on the message, the others in its text', async () => {
  const vcard = (name: string, digits: string) => `BEGIN:VCARD\nVERSION:3.0\nFN:${name}\nTEL;type=CELL;type=VOICE;waid=${digits}:+${digits}\nEND:VCARD`;
  const one = await map({ contactMessage: { displayName: 'Ion Popescu', vcard: vcard('Ion Popescu', '40722000111') } });
  assert.deepEqual(one.contact, { name: 'Ion Popescu', phones: ['+40722000111'] });
  const many = await map({
    contactsArrayMessage: {
      displayName: '2 contacts',
      contacts: [
        { displayName: 'Ana', vcard: vcard('Ana', '40722000222') },
        { displayName: 'Mihai', vcard: 'BEGIN:VCARD\nFN:Mihai\nTEL;type=CELL:+40 733 000 333\nEND:VCARD' },
      ],
    },
  });
  assert.deepEqual(many.contact, { name: 'Ana', phones: ['+40722000222'] });
  assert.equal(many.text, 'Mihai +40733000333');
});

test('reactions and edits stay ignored', async () => {
  assert.equal(await mapMessage(received({ reactionMessage: { key: { id: 'X', remoteJid: `${CUSTOMER}@s.whatsapp.net` }, text: '👍' } }), noLids), undefined);
  assert.equal(
    await mapMessage(received({ editedMessage: { message: { protocolMessage: { type: proto.Message.ProtocolMessage.Type.MESSAGE_EDIT, editedMessage: { conversation: 'nou' } } } } }), noLids),
    undefined,
  );
});

test('the inbox keeps a file by a stable id and its media part re-encoded for the download', async () => {
  const raw = received({ audioMessage: { ...file, mimetype: 'audio/ogg; codecs=opus', ptt: true, seconds: 3 } });
  const mapped = (await mapMessage(raw, noLids)) as MappedText;
  const first = attachmentOf('chn_1', raw.key, mapped);
  const again = attachmentOf('chn_1', raw.key, mapped);
  assert.equal(first.attachment?.media?.id, again.attachment?.media?.id);
  assert.match(first.attachment!.media!.id, /^med_/);
  assert.notEqual(attachmentOf('chn_2', raw.key, mapped).attachment?.media?.id, first.attachment?.media?.id);
  const decoded = proto.Message.decode(Buffer.from(first.mediaSource!.message, 'base64'));
  assert.deepEqual(Buffer.from(decoded.audioMessage!.mediaKey!), file.mediaKey);
  assert.equal(first.mediaSource?.durationS, 3);
});
