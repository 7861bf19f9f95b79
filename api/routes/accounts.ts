import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { text } from '../schemas.js';
import { newId } from '../../activities/ids.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { hashApiKey } from '../middleware/auth.js';
import type { RouteRegistry } from '../route-registry.js';

const createAccount = z.object({ name: text(200) }).strict();
const accountCreated = z.object({ id: z.string(), name: z.string(), api_key: z.string() });

export function accountRoutes(routes: RouteRegistry, deps: ApiDeps): void {
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
      const apiKey = `caty_${randomBytes(24).toString('base64url')}`;
      const id = newId('acc');
      await deps.db.insertInto('accounts').values({ id, name: body.name, api_key_hash: hashApiKey(apiKey) }).execute();
      return { status: 201, body: { id, name: body.name, api_key: apiKey } };
    },
  );
}
