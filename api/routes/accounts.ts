import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { text } from '../schemas.js';
import { newId } from '../../db/ids.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { hashApiKey, type ApiKeys } from '../middleware/auth.js';
import { createAccount as insertAccount, replaceApiKey } from '../../db/queries/accounts.js';
import type { RouteRegistry } from '../route-registry.js';

const createAccount = z.object({ name: text(200) }).strict();
const accountCreated = z.object({ id: z.string(), name: z.string(), api_key: z.string() });
const MAX_GRACE_SECONDS = 30 * 86_400;
const rotateKey = z
  .object({
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_GRACE_SECONDS)
      .describe('How long the key in use keeps working beside the new one, in seconds (0: it stops at once, as for a leaked key; at most 30 days)'),
  })
  .strict();
const keyRotated = z.object({
  id: z.string(),
  api_key: z.string().describe('The new key, shown once'),
  previous_key_expires_at: z.string().describe('When the key it replaces stops working'),
});

function newApiKey(): string {
  return `caty_${randomBytes(24).toString('base64url')}`;
}

export function accountRoutes(routes: RouteRegistry, deps: ApiDeps, keys: ApiKeys): void {
  routes.add(
    {
      method: 'post',
      path: '/api/accounts',
      tag: 'accounts',
      summary: 'Create an account (operator key only); its API key is shown once',
      body: createAccount,
      responses: { 201: { description: 'Created', schema: accountCreated }, 403: { description: 'Not the operator key' } },
    },
    async ({ body, auth }) => {
      if (!auth.isAdmin) throw new ApiError('forbidden', 'only the operator key (CATY_ADMIN_KEY) can create accounts');
      const apiKey = newApiKey();
      const id = newId('acc');
      await insertAccount(deps.db, { id, name: body.name, apiKeyHash: hashApiKey(apiKey) });
      return { status: 201, body: { id, name: body.name, api_key: apiKey } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/api/accounts/me/keys',
      tag: 'accounts',
      summary: "Replace your account's API key: the new one is shown once; the one in use keeps working for the grace period you choose, then is refused",
      body: rotateKey,
      responses: {
        201: { description: 'The new key', schema: keyRotated },
        422: { description: 'The operator key is not an account key: change CATY_ADMIN_KEY instead' },
      },
    },
    async ({ body, auth }) => {
      if (auth.isAdmin) throw new ApiError('unprocessable', 'the operator key is set by CATY_ADMIN_KEY and changed there; this replaces an account\'s own key');
      const apiKey = newApiKey();
      const expiresAt = await replaceApiKey(deps.db, auth.accountId, hashApiKey(apiKey), body.grace_seconds);
      keys.forget(auth.accountId);
      return { status: 201, body: { id: auth.accountId, api_key: apiKey, previous_key_expires_at: expiresAt.toISOString() } };
    },
  );
}
