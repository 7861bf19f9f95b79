/**
 * `npm run bench:reports`: seeds one widget with BENCH_REPORT_CONVERSATIONS conversations (100,000
 * by default) spread over 90 days, each with a customer message, a reply (4 in 5 by Caty, 1 in 5
 * by a person), a handoff request in 1 of 10 and a lead in 1 of 8, then times
 * GET /api/widgets/:widgetId/reports over those 90 days through the API and prints the median.
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { startTestStack } from '../support/stack.js';

const conversations = Number(process.env.BENCH_REPORT_CONVERSATIONS ?? 100_000);
const runs = Number(process.env.BENCH_REPORT_RUNS ?? 9);

const stack = await startTestStack({ runWorker: false, gateway: false });
try {
  const widget = await stack.api.post('/api/widgets', { name: 'Bench' });
  const widgetId: string = widget.body.id;
  const { account_id: accountId } = await stack.db.selectFrom('widgets').select('account_id').where('id', '=', widgetId).executeTakeFirstOrThrow();
  const days = 90;
  const end = new Date();
  let started = performance.now();
  // The rows the conversation workers would have written, written in bulk.
  await sql`
    insert into conversations (id, account_id, widget_id, channel_type, kind, customer, workflow_id, mode, language, message_count, last_message_at, created_at, status)
    select 'cnv_b' || n, ${accountId}, ${widgetId}, 'web', 'web', 's' || n, 'wf_b' || n,
           case when n % 10 = 0 then 'handoff_requested' else 'ai' end,
           (array['ro', 'en', 'hu', 'de'])[1 + n % 4], 2,
           ${end}::timestamptz - make_interval(secs => (n * ${(days * 86400) / conversations}::double precision)) + interval '3 seconds',
           ${end}::timestamptz - make_interval(secs => (n * ${(days * 86400) / conversations}::double precision)),
           case when n % 3 = 0 then 'resolved' else 'open' end
      from generate_series(1, ${conversations}) n`.execute(stack.db);
  await sql`
    insert into messages (id, conversation_id, external_id, direction, author, text, at)
    select 'msg_bi' || c.n, 'cnv_b' || c.n, 'in' || c.n, 'inbound', 'customer', 'cat costa livrarea?', c.at
      from (select n, ${end}::timestamptz - make_interval(secs => (n * ${(days * 86400) / conversations}::double precision)) as at from generate_series(1, ${conversations}) n) c
    union all
    select 'msg_bo' || c.n, 'cnv_b' || c.n, 'out' || c.n, 'outbound', case when c.n % 5 = 0 then 'agent' else 'ai' end, 'Livrarea costa 15 lei.', c.at + make_interval(secs => (1 + c.n % 7)::double precision)
      from (select n, ${end}::timestamptz - make_interval(secs => (n * ${(days * 86400) / conversations}::double precision)) as at from generate_series(1, ${conversations}) n) c`.execute(stack.db);
  await sql`
    insert into conversation_events (id, conversation_id, kind, actor, reason, at)
    select 'cev_b' || n, 'cnv_b' || n, 'mode.handoff_requested', 'customer', 'bench', ${end}::timestamptz - make_interval(secs => (n * ${(days * 86400) / conversations}::double precision))
      from generate_series(10, ${conversations}, 10) n`.execute(stack.db);
  await sql`
    insert into leads (conversation_id, widget_id, name, email, score, created_at, updated_at)
    select 'cnv_b' || n, ${widgetId}, 'Lead ' || n, 'lead' || n || '@example.com', 3, ${end}::timestamptz - make_interval(secs => (n * ${(days * 86400) / conversations}::double precision)), now()
      from generate_series(8, ${conversations}, 8) n`.execute(stack.db);
  await sql`analyze`.execute(stack.db);
  console.log(`seeded ${conversations} conversations (${conversations * 2} messages) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const from = new Date(end.getTime() - days * 86_400_000).toISOString();
  const path = `/api/widgets/${widgetId}/reports?from=${encodeURIComponent(from)}&to=${encodeURIComponent(new Date(end.getTime() + 60_000).toISOString())}`;
  const times: number[] = [];
  let body: Record<string, unknown> = {};
  for (let i = 0; i < runs; i++) {
    started = performance.now();
    const response = await stack.api.get(path);
    times.push(performance.now() - started);
    if (response.status !== 200) throw new Error(`report: ${response.status} ${JSON.stringify(response.body)}`);
    body = response.body;
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const { by_day: byDay, ...totals } = body as { by_day: unknown[] };
  console.log(JSON.stringify({ ...totals, by_day: `${byDay.length} days` }));
  if (body.conversations !== conversations) throw new Error(`the report counted ${String(body.conversations)} conversations, not ${conversations}`);
  console.log(`report over ${days} days of ${conversations} conversations: median ${median.toFixed(0)} ms of ${runs} (fastest ${times[0]!.toFixed(0)} ms, slowest ${times[times.length - 1]!.toFixed(0)} ms); target < 1000 ms`);
} finally {
  await stack.stop();
}
