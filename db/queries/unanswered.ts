import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** The only code that reads and writes the questions that got the fallback. */

export async function recordUnanswered(
  db: Kysely<Database>,
  question: { widgetId: string; conversationId: string; messageId: string; text: string; language: string | null; terms: string[] },
): Promise<void> {
  await db
    .insertInto('unanswered_questions')
    .values({ widget_id: question.widgetId, conversation_id: question.conversationId, message_id: question.messageId, text: question.text, language: question.language, terms: question.terms })
    .onConflict((oc) => oc.columns(['conversation_id', 'message_id']).doNothing())
    .execute();
}

export interface UnansweredGroup {
  /** The latest way it was asked. */
  question: string;
  /** Other ways it was asked (up to five, latest first). */
  examples: string[];
  count: number;
  languages: string[];
  latest_at: string;
}

/** Two questions are one when they share most of their terms (Jaccard, over the smaller's terms for short ones). */
function similar(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false;
  const shared = [...a].filter((t) => b.has(t)).length;
  return shared / Math.min(a.size, b.size) >= 0.75 || shared / new Set([...a, ...b]).size >= 0.5;
}

/**
 * The widget's unanswered questions of the last `days`, grouped by similarity (the same terms
 * after folding, stemming and the concept lexicon), most asked first.
 */
export async function unansweredGroups(db: Kysely<Database>, widgetId: string, options: { days: number; limit: number }): Promise<UnansweredGroup[]> {
  const rows = await db
    .selectFrom('unanswered_questions')
    .select(['text', 'language', 'terms', 'at'])
    .where('widget_id', '=', widgetId)
    .where('at', '>', sql<Date>`clock_timestamp() - ${`${options.days} days`}::interval`)
    .orderBy('at', 'desc')
    .limit(5000)
    .execute();
  const groups: { terms: Set<string>; rows: typeof rows }[] = [];
  for (const row of rows) {
    const terms = new Set(row.terms);
    const group = groups.find((g) => similar(g.terms, terms)) ?? (terms.size === 0 ? groups.find((g) => g.rows[0]!.text.toLowerCase() === row.text.toLowerCase()) : undefined);
    if (group) group.rows.push(row);
    else groups.push({ terms, rows: [row] });
  }
  return groups
    .map((g) => {
      const texts = [...new Set(g.rows.map((r) => r.text))];
      return {
        question: texts[0]!,
        examples: texts.slice(1, 6),
        count: g.rows.length,
        languages: [...new Set(g.rows.map((r) => r.language).filter((l): l is string => !!l))],
        latest_at: g.rows[0]!.at.toISOString(),
      };
    })
    .sort((a, b) => b.count - a.count || b.latest_at.localeCompare(a.latest_at))
    .slice(0, options.limit);
}
