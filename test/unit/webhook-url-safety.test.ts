import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signCatyPayload, verifyCatySignature } from '../../activities/webhooks/signature.js';
import { assertSafeWebhookUrl, isPrivateAddress, UnsafeWebhookUrlError } from '../../activities/webhooks/url-safety.js';

describe('isPrivateAddress', () => {
  const internal = [
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.1.2', '172.16.0.1', '172.31.255.255', '192.168.1.1', '169.254.169.254',
    '100.64.0.1', '100.127.255.255', '0.0.0.0', '224.0.0.1', '239.255.255.250', '255.255.255.255',
    '::', '::1', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '0:0:0:0:0:ffff:c0a8:0101',
    '64:ff9b::7f00:1', '64:ff9b::10.1.2.3', '2002:7f00:1::', '::127.0.0.1',
    'not-an-address',
  ];
  for (const address of internal) test(`${address} is internal`, () => assert.equal(isPrivateAddress(address), true));

  const external = ['8.8.8.8', '93.184.215.14', '172.32.0.1', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '64:ff9b::808:808', '2002:808:808::'];
  for (const address of external) test(`${address} is public`, () => assert.equal(isPrivateAddress(address), false));
});

describe('assertSafeWebhookUrl', () => {
  const refuse = async (url: string, pattern: RegExp, resolve?: (h: string) => Promise<string[]>) => {
    await assert.rejects(assertSafeWebhookUrl(url, { allowPrivate: false, ...(resolve ? { resolve } : {}) }), (error: unknown) => {
      assert.ok(error instanceof UnsafeWebhookUrlError);
      assert.match(error.message, pattern);
      return true;
    });
  };

  test('refuses internal literals, odd IPv4 spellings and IPv6 brackets', async () => {
    for (const url of ['http://127.0.0.1/x', 'http://10.1.2.3:8080/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]:3000/x', 'http://[::ffff:127.0.0.1]/x', 'http://2130706433/x', 'http://0x7f.1/x', 'http://0/x']) {
      await refuse(url, /internal address/);
    }
  });

  test('refuses host names that resolve to an internal address, any of them', async () => {
    await refuse('http://localhost:8080/hook', /localhost resolves to (127\.0\.0\.1|::1)/);
    await refuse('https://hooks.example.com/x', /resolves to 10\.0\.0\.7/, async () => ['93.184.215.14', '10.0.0.7']);
    await refuse('https://nowhere.invalid/x', /does not resolve/, async () => {
      throw new Error('ENOTFOUND');
    });
  });

  test('refuses other schemes and credentials even when private addresses are allowed', async () => {
    await assert.rejects(assertSafeWebhookUrl('file:///etc/passwd', { allowPrivate: true }), /http or https/);
    await assert.rejects(assertSafeWebhookUrl('http://u:p@127.0.0.1/', { allowPrivate: true }), /credentials/);
    await assert.rejects(assertSafeWebhookUrl('not a url', { allowPrivate: true }), /not a valid URL/);
  });

  test('accepts public addresses, and private ones only when allowed', async () => {
    assert.equal((await assertSafeWebhookUrl('https://93.184.215.14/hook', { allowPrivate: false })).hostname, '93.184.215.14');
    assert.ok(await assertSafeWebhookUrl('https://hooks.example.com/x', { allowPrivate: false, resolve: async () => ['2606:4700::6810:85e5'] }));
    assert.ok(await assertSafeWebhookUrl('http://127.0.0.1:9/x', { allowPrivate: true }));
  });
});

describe('signature helper', () => {
  test('round trip, tolerance and rotation', () => {
    const body = '{"id":"evt_1"}';
    const header = signCatyPayload('whsec_a', body, 1_700_000_000);
    assert.match(header, /^t=1700000000,v1=[0-9a-f]{64}$/);
    assert.equal(verifyCatySignature('whsec_a', header, body, 300, 1_700_000_100), true);
    assert.equal(verifyCatySignature('whsec_a', header, body, 300, 1_700_000_301), false);
    assert.equal(verifyCatySignature('whsec_a', header, `${body} `, 300, 1_700_000_000), false);
    const rotated = `${header},v1=${signCatyPayload('whsec_b', body, 1_700_000_000).split('v1=')[1]}`;
    assert.equal(verifyCatySignature('whsec_b', rotated, body, 300, 1_700_000_000), true);
    assert.equal(verifyCatySignature('whsec_a', null, body, 300, 1_700_000_000), false);
    assert.equal(verifyCatySignature('whsec_a', 't=abc,v1=00', body, 300, 1_700_000_000), false);
  });
});
