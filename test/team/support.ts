import assert from 'node:assert/strict';
import type { ApiClient } from '../support/stack.js';

/** A person's browser: no API key, the session cookie it was given, and this service as its Origin. */
export class Browser {
  cookie = '';
  constructor(
    readonly api: ApiClient,
    readonly origin = api.baseUrl,
  ) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await this.api.withKey('').request(method, path, body, { origin: this.origin, ...(this.cookie ? { cookie: this.cookie } : {}), ...headers });
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!.endsWith('=') ? '' : set.split(';')[0]!;
    return response;
  }

  get(path: string) {
    return this.request('GET', path);
  }

  post(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request('POST', path, body, headers);
  }
}

let counter = 0;

/** Invites a person with the account's key, sets their password from the link, and signs them in. */
export async function signedInPerson(api: ApiClient, role: 'admin' | 'agent', name = `Maria ${++counter}`): Promise<{ browser: Browser; id: string; email: string; password: string }> {
  const email = `person${Date.now()}${++counter}@example.com`;
  const invited = await api.post('/api/users', { email, name, role });
  assert.equal(invited.status, 201, JSON.stringify(invited.body));
  const token = new URL(invited.body.invite_url).pathname.split('/').pop()!;
  const browser = new Browser(api);
  const password = 'a long enough password';
  const set = await browser.post(`/auth/invitations/${token}`, { password });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  const login = await browser.post('/auth/login', { email, password });
  assert.equal(login.status, 204, JSON.stringify(login.body));
  return { browser, id: invited.body.id, email, password };
}
