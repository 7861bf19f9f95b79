import { sql, type SelectQueryBuilder } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../db/schema.js';
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

export function applyInboxFilters<O>(q: SelectQueryBuilder<Database, 'conversations', O>, filters: Filters, auth: AuthState): SelectQueryBuilder<Database, 'conversations', O> {
  if (filters.assignee === 'me') {
    if (!auth.user) throw new ApiError('unprocessable', 'assignee=me needs a person signed in; with an API key, pass the person\'s id');
    q = q.where('conversations.assignee_id', '=', auth.user.id);
  } else if (filters.assignee === 'none') q = q.where('conversations.assignee_id', 'is', null);
  else if (filters.assignee) q = q.where('conversations.assignee_id', '=', filters.assignee);
  if (filters.status) q = q.where('conversations.status', '=', filters.status);
  const words = filters.q?.trim();
  if (words) {
    // Written as the index is (messages_search_idx): to_tsvector('simple', text).
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('messages')
          .select('messages.id')
          .whereRef('messages.conversation_id', '=', 'conversations.id')
          .where(sql<boolean>`to_tsvector('simple', messages.text) @@ plainto_tsquery('simple', ${words})`),
      ),
    );
  }
  return q;
}
