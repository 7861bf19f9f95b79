import { z } from 'zod';
import type { InboxFilter } from '../../db/queries/conversations.js';
import { ApiError } from '../errors.js';
import type { AuthState } from '../middleware/auth.js';

/** The inbox's filters on a conversation list (DESIGN §13). */
export const inboxFilters = {
  assignee: z
    .string()
    .regex(/^(me|none|usr_[A-Za-z0-9_-]+)$/, 'must be me, none or a person\'s id (usr_…)')
    .optional()
    .describe('`me` (the signed-in person), `none` (unassigned) or a person\'s id'),
  status: z.enum(['open', 'resolved']).optional(),
  q: z.string().max(200, 'must be at most 200 characters').optional().describe('Words the conversation\'s messages contain (PostgreSQL full-text search)'),
};

type Filters = { assignee?: string | undefined; status?: 'open' | 'resolved' | undefined; q?: string | undefined };

/** The query's filters as the database reads them: `me` becomes the signed-in person. */
export function inboxFilter(filters: Filters, auth: AuthState): InboxFilter {
  let assigneeId: string | null | undefined;
  if (filters.assignee === 'me') {
    if (!auth.user) throw new ApiError('unprocessable', 'assignee=me needs a person signed in; with an API key, pass the person\'s id');
    assigneeId = auth.user.id;
  } else if (filters.assignee === 'none') assigneeId = null;
  else assigneeId = filters.assignee;
  return { assigneeId, status: filters.status, words: filters.q };
}
