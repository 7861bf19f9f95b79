import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { connectedWidget } from '../support/scenario.js';
import { startTestStack, type ApiClient, type TestStack } from '../support/stack.js';
import { Browser, signedInPerson } from './support.js';

let stack: TestStack;
let owner: ApiClient;
let other: ApiClient;
before(async () => {
  stack = await startTestStack({ env: { CATY_LOGIN_FAILURES_PER_EMAIL: '3', CATY_LOGIN_FAILURES_PER_ADDRESS: '8', CATY_PUBLIC_URL: 'https://caty.example.com' } });
  const account = await stack.api.post('/api/accounts', { name: 'Shop' });
  owner = stack.api.withKey(account.body.api_key);
  const second = await stack.api.post('/api/accounts', { name: 'Other shop' });
  other = stack.api.withKey(second.body.api_key);
});
after(async () => {
  await stack?.stop();
});

describe('people and sessions', () => {
  test('an invitation sets a password once; the person signs in by email and the cookie is HttpOnly, SameSite=Lax and Secure behind https', async () => {
    const invited = await owner.post('/api/users', { email: 'Ana@Example.com', name: 'Ana Pop', role: 'admin' });
    assert.equal(invited.status, 201, JSON.stringify(invited.body));
    assert.equal(invited.body.email, 'ana@example.com');
    assert.match(invited.body.invite_url, /^https:\/\/caty\.example\.com\/dashboard\/invite\/[A-Za-z0-9_-]{40,}$/);
    const token = invited.body.invite_url.split('/').pop();
    const browser = new Browser(owner);
    assert.equal((await browser.post(`/auth/invitations/${token}`, { password: 'short' })).status, 400, 'too short a password');
    assert.equal((await browser.post(`/auth/invitations/${token}`, { password: 'correct horse battery' })).status, 200);
    assert.equal((await browser.post(`/auth/invitations/${token}`, { password: 'another password here' })).status, 404, 'used once');
    const stored = await stack.db.selectFrom('users').select('password_hash').where('id', '=', invited.body.id).executeTakeFirstOrThrow();
    assert.match(stored.password_hash!, /^\$argon2id\$/);

    assert.equal((await browser.post('/auth/login', { email: 'ana@example.com', password: 'wrong password!!' })).status, 401);
    const login = await browser.post('/auth/login', { email: 'ANA@example.com', password: 'correct horse battery' });
    assert.equal(login.status, 204, JSON.stringify(login.body));
    const cookie = login.headers.get('set-cookie')!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Secure/);
    const me = await browser.get('/api/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.body, { id: invited.body.id, email: 'ana@example.com', name: 'Ana Pop', role: 'admin', account_id: (await owner.get('/api/me')).body.account_id });
    const people = await browser.get('/api/users');
    assert.deepEqual(people.body.users.map((u: { email: string }) => u.email), ['ana@example.com']);

    assert.equal((await browser.post('/auth/logout')).status, 204);
    assert.equal(browser.cookie, '');
    const sessions = await stack.db.selectFrom('user_sessions').select('token_hash').where('user_id', '=', invited.body.id).execute();
    assert.equal(sessions.length, 0, 'the session ended on the server');
  });

  test('without an https public address, the cookie is not Secure on plain HTTP', async () => {
    const plain = await startTestStack({ env: {} });
    try {
      const account = await plain.api.post('/api/accounts', { name: 'Plain' });
      const person = await signedInPerson(plain.api.withKey(account.body.api_key), 'agent');
      const again = await person.browser.post('/auth/login', { email: person.email, password: person.password });
      assert.equal(again.status, 204);
      assert.doesNotMatch(again.headers.get('set-cookie')!, /Secure/);
      assert.match(again.headers.get('set-cookie')!, /HttpOnly; SameSite=Lax/);
    } finally {
      await plain.stop();
    }
  });

  test('an expired invitation is refused', async () => {
    const invited = await owner.post('/api/users', { email: 'late@example.com', name: 'Late', role: 'agent' });
    await stack.db.updateTable('users').set({ invite_expires_at: new Date(Date.now() - 1000) }).where('id', '=', invited.body.id).execute();
    const set = await new Browser(owner).post(`/auth/invitations/${invited.body.invite_url.split('/').pop()}`, { password: 'correct horse battery' });
    assert.equal(set.status, 404);
    assert.match(set.body.error.message, /expired/);
  });

  test('a stolen cookie replayed after logout or after the person is removed opens nothing', async () => {
    const person = await signedInPerson(owner, 'agent');
    const stolen = person.browser.cookie;
    assert.equal((await person.browser.get('/api/widgets')).status, 200);
    assert.equal((await owner.request('DELETE', `/api/users/${person.id}`)).status, 204);
    const replay = await owner.withKey('').request('GET', '/api/widgets', undefined, { cookie: stolen });
    assert.equal(replay.status, 401);
  });

  test('a write signed in by cookie from another site is refused; the same write from our own page goes through', async () => {
    const person = await signedInPerson(owner, 'admin');
    const evil = new Browser(owner, 'https://evil.example.net');
    evil.cookie = person.browser.cookie;
    const forged = await evil.post('/api/widgets', { name: 'Forged' });
    assert.equal(forged.status, 403, JSON.stringify(forged.body));
    const siteOnly = await owner.withKey('').request('POST', '/api/widgets', { name: 'Forged' }, { cookie: person.browser.cookie, 'sec-fetch-site': 'cross-site' });
    assert.equal(siteOnly.status, 403);
    const widgets = await owner.get('/api/widgets');
    assert.ok(!JSON.stringify(widgets.body).includes('Forged'), 'nothing was created');
    assert.equal((await person.browser.post('/api/widgets', { name: 'Ours' })).status, 201);
    assert.equal((await evil.post('/auth/logout')).status, 403, 'nor can another site sign the person out');
  });

  test('an agent works conversations but cannot manage people, numbers, widgets or webhooks; the API key keeps working', async () => {
    const { widgetId } = await connectedWidget(owner);
    const agent = await signedInPerson(owner, 'agent');
    for (const [path, body] of [
      ['/api/users', { email: 'x@example.com', name: 'X', role: 'admin' }],
      ['/api/whatsapp/channels', { provider: 'sandbox' }],
      ['/api/widgets', { name: 'W' }],
      [`/api/widgets/${widgetId}/webhooks`, { url: 'http://127.0.0.1:9/hook' }],
    ] as const) {
      const refused = await agent.browser.post(path, body);
      assert.equal(refused.status, 403, `${path}: ${JSON.stringify(refused.body)}`);
    }
    assert.equal((await agent.browser.request('PATCH', `/api/widgets/${widgetId}`, { name: 'Renamed' })).status, 403);
    assert.equal((await agent.browser.get(`/api/widgets/${widgetId}/conversations`)).status, 200, 'reads the inbox');
    assert.equal((await owner.post('/api/widgets', { name: 'By key' })).status, 201);
  });

  test("people and sessions of one account are invisible to another; an email belongs to one person", async () => {
    const person = await signedInPerson(owner, 'admin');
    const theirs = await other.get('/api/users');
    assert.ok(!theirs.body.users.some((u: { id: string }) => u.id === person.id));
    assert.equal((await other.request('DELETE', `/api/users/${person.id}`)).status, 404);
    assert.equal((await other.post('/api/users', { email: person.email, name: 'Copy', role: 'admin' })).status, 409);
    const { widgetId } = await connectedWidget(other);
    assert.equal((await person.browser.get(`/api/widgets/${widgetId}`)).status, 404, "a session opens only its own account's widgets");
    assert.equal((await person.browser.get(`/api/widgets/${widgetId}/reports`)).status, 404);
  });

  test('failed sign-ins are throttled per email and per address, with Retry-After', async () => {
    const person = await signedInPerson(owner, 'agent');
    const browser = new Browser(owner);
    for (let i = 0; i < 3; i++) assert.equal((await browser.post('/auth/login', { email: person.email, password: `guess number ${i}` })).status, 401);
    const throttled = await browser.post('/auth/login', { email: person.email, password: person.password });
    assert.equal(throttled.status, 429, 'even the right password waits');
    assert.ok(Number(throttled.headers.get('retry-after')) > 0);
    // Other emails from the same address: refused past the per-address count (8) too.
    let status = 0;
    for (let i = 0; i < 6 && status !== 429; i++) status = (await browser.post('/auth/login', { email: `nobody${i}@example.com`, password: 'whatever at all' })).status;
    assert.equal(status, 429);
    assert.ok(Number((await browser.post('/auth/login', { email: 'someone@example.com', password: 'x' })).headers.get('retry-after')) > 0);
  });
});
