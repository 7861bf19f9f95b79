import type { Kysely } from 'kysely';

// A conversation whose workflow completed after a silence (CATY_CONVERSATION_IDLE_CLOSE) keeps here
// what its next run starts from (workflows/conversation/state.ts ResumeState), and when it closed.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('resume_state', 'jsonb').addColumn('closed_at', 'timestamptz').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('conversations').dropColumn('resume_state').dropColumn('closed_at').execute();
}
