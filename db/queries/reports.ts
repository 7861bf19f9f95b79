import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';

export interface Report {
  conversations: number;
  messages_in: number;
  messages_out: number;
  answered_by_ai_share: number | null;
  handoffs: number;
  median_first_reply_ms: number | null;
  leads: number;
  languages: Record<string, number>;
  by_day: { date: string; conversations: number; handoffs: number; leads: number }[];
}

const n = (value: unknown): number => Number(value ?? 0);

/**
 * A widget's figures over [from, to), each one query over indexed columns (conversations by
 * (widget_id, created_at), messages by (conversation_id, at), handoff events by time, leads by
 * (widget_id, created_at)), run side by side. Days are UTC days.
 */
export async function widgetReport(db: Kysely<Database>, widgetId: string, from: Date, to: Date): Promise<Report> {
  const [totals, messages, firstReply, handoffs, leads, languages, days] = await Promise.all([
    sql<{ conversations: string }>`
      select count(*) as conversations from conversations where widget_id = ${widgetId} and created_at >= ${from} and created_at < ${to}`.execute(db),
    // Replies to customers are written by Caty (ai) or by people (agent); notes and system lines are neither.
    sql<{ inbound: string; outbound: string; ai: string; agent: string }>`
      select count(*) filter (where m.direction = 'inbound' and m.author = 'customer') as inbound,
             count(*) filter (where m.direction = 'outbound' and m.author <> 'note') as outbound,
             count(*) filter (where m.author = 'ai') as ai,
             count(*) filter (where m.author = 'agent') as agent
        from messages m join conversations c on c.id = m.conversation_id
       where c.widget_id = ${widgetId} and m.at >= ${from} and m.at < ${to}`.execute(db),
    // For each conversation that began in the range: its first customer message to its first reply.
    sql<{ median: number | null }>`
      select percentile_cont(0.5) within group (order by extract(epoch from (first_out - first_in)) * 1000) as median
        from (
          select min(m.at) filter (where m.author = 'customer') as first_in,
                 min(m.at) filter (where m.author in ('ai', 'agent')) as first_out
            from messages m join conversations c on c.id = m.conversation_id
           where c.widget_id = ${widgetId} and c.created_at >= ${from} and c.created_at < ${to}
           group by m.conversation_id
        ) f
       where first_out >= first_in`.execute(db),
    sql<{ day: string; n: string }>`
      select to_char(e.at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n
        from conversation_events e join conversations c on c.id = e.conversation_id
       where e.kind = 'mode.handoff_requested' and e.at >= ${from} and e.at < ${to} and c.widget_id = ${widgetId}
       group by 1`.execute(db),
    sql<{ day: string; n: string }>`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n
        from leads where widget_id = ${widgetId} and created_at >= ${from} and created_at < ${to}
         -- Captured, as lead alerts count them: a name and a way to reach them (workflows/leads).
         and name is not null and (phone is not null or email is not null)
       group by 1`.execute(db),
    sql<{ language: string; n: string }>`
      select coalesce(language, 'unknown') as language, count(*) as n
        from conversations where widget_id = ${widgetId} and created_at >= ${from} and created_at < ${to}
       group by 1 order by 2 desc, 1`.execute(db),
    sql<{ day: string; n: string }>`
      select to_char(created_at at time zone 'UTC', 'YYYY-MM-DD') as day, count(*) as n
        from conversations where widget_id = ${widgetId} and created_at >= ${from} and created_at < ${to}
       group by 1`.execute(db),
  ]);
  const m = messages.rows[0]!;
  const replies = n(m.ai) + n(m.agent);
  const perDay = (rows: { day: string; n: string }[]) => new Map(rows.map((r) => [r.day, n(r.n)]));
  const conversationsByDay = perDay(days.rows);
  const handoffsByDay = perDay(handoffs.rows);
  const leadsByDay = perDay(leads.rows);
  const byDay: Report['by_day'] = [];
  for (let day = utcDay(from); day < to.getTime(); day += 86_400_000) {
    const date = new Date(day).toISOString().slice(0, 10);
    byDay.push({ date, conversations: conversationsByDay.get(date) ?? 0, handoffs: handoffsByDay.get(date) ?? 0, leads: leadsByDay.get(date) ?? 0 });
  }
  const median = firstReply.rows[0]?.median;
  return {
    conversations: n(totals.rows[0]?.conversations),
    messages_in: n(m.inbound),
    messages_out: n(m.outbound),
    answered_by_ai_share: replies === 0 ? null : Math.round((n(m.ai) / replies) * 1000) / 1000,
    handoffs: sum(handoffsByDay),
    median_first_reply_ms: median === null || median === undefined ? null : Math.round(Number(median)),
    leads: sum(leadsByDay),
    languages: Object.fromEntries(languages.rows.map((r) => [r.language, n(r.n)])),
    by_day: byDay,
  };
}

function utcDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function sum(map: Map<string, number>): number {
  let total = 0;
  for (const value of map.values()) total += value;
  return total;
}

export interface ExportRow {
  id: string;
  kind: string;
  customer: string;
  status: string;
  mode: string;
  assignee: string | null;
  language: string | null;
  message_count: number;
  created_at: Date;
  last_message_at: Date | null;
  lead_name: string | null;
  lead_email: string | null;
  lead_phone: string | null;
  lead_score: number | null;
}

/** The widget's conversations begun in [from, to), oldest first, a page at a time (keyset on created_at, id). */
export async function* conversationsForExport(db: Kysely<Database>, widgetId: string, from: Date, to: Date, pageSize = 2000): AsyncGenerator<ExportRow> {
  // The position is kept as PostgreSQL wrote it: a Date would drop the microseconds and repeat rows.
  let after: { at: string; id: string } | null = null;
  for (;;) {
    const position: { at: string; id: string } | null = after;
    const rows: (ExportRow & { position: string })[] = await db
      .selectFrom('conversations as c')
      .leftJoin('users as u', 'u.id', 'c.assignee_id')
      .leftJoin('leads as l', 'l.conversation_id', 'c.id')
      .select(['c.id', 'c.kind', 'c.customer', 'c.status', 'c.mode', 'u.name as assignee', 'c.language', 'c.message_count', 'c.created_at', 'c.last_message_at'])
      .select(['l.name as lead_name', 'l.email as lead_email', 'l.phone as lead_phone', 'l.score as lead_score'])
      .select(sql<string>`c.created_at::text`.as('position'))
      .where('c.widget_id', '=', widgetId)
      .where('c.created_at', '>=', from)
      .where('c.created_at', '<', to)
      .$if(position !== null, (q) => q.where((eb) => eb.or([eb('c.created_at', '>', sql<Date>`${position!.at}::timestamptz`), eb.and([eb('c.created_at', '=', sql<Date>`${position!.at}::timestamptz`), eb('c.id', '>', position!.id)])])))
      .orderBy('c.created_at')
      .orderBy('c.id')
      .limit(pageSize)
      .execute();
    for (const { position: _, ...row } of rows) yield row;
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { at: last.position, id: last.id };
  }
}
