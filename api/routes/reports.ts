import { Readable } from 'node:stream';
import { z } from 'zod';
import { conversationsForExport, widgetReport, type ExportRow } from '../../db/queries/reports.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import type { RouteRegistry } from '../route-registry.js';
import { ownWidget } from './tenancy.js';
import { semantic } from '../schemas.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const moment = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+(Z|[+-]\d{2}:\d{2}))?$/, 'must be a date (2026-12-01) or an ISO date-time (2026-12-01T09:00:00Z)')
  // Well-formed but not on the calendar (2026-02-30, 0000-00-00): a 422, as the document cannot say so.
  .refine(isRealMoment, { params: semantic, message: 'is not a real date' });

function isRealMoment(value: string): boolean {
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) return false;
  return !DATE_ONLY.test(value) || new Date(parsed).toISOString().slice(0, 10) === value;
}

const range = z.object({
  from: moment.optional().describe('Start, included (default: 30 days before `to`)'),
  to: moment.optional().describe('End: a date includes that whole day (UTC); a date-time is excluded (default: now)'),
});

/** The range asked for, checked: in order, at most a year. */
function period(query: z.infer<typeof range>): { from: Date; to: Date } {
  const to = query.to ? new Date(Date.parse(query.to) + (DATE_ONLY.test(query.to) ? DAY_MS : 0)) : new Date();
  const from = query.from ? new Date(Date.parse(query.from)) : new Date(to.getTime() - 30 * DAY_MS);
  if (from >= to) throw new ApiError('unprocessable', '`from` must come before `to`');
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) throw new ApiError('unprocessable', `a report covers at most ${MAX_DAYS} days`);
  return { from, to };
}

const reportView = z.object({
  from: z.string(),
  to: z.string(),
  conversations: z.number().int().describe('Conversations begun in the range'),
  messages_in: z.number().int().describe('Customer messages in the range'),
  messages_out: z.number().int().describe('Messages to customers in the range (notes excluded)'),
  answered_by_ai_share: z.number().nullable().describe("Share of replies written by Caty among those by Caty and by people (0 to 1); null with none"),
  handoffs: z.number().int().describe('Requests for a person in the range'),
  median_first_reply_ms: z.number().int().nullable().describe('Median time from a conversation\'s first customer message to its first reply (conversations begun in the range)'),
  leads: z.number().int().describe('Leads captured in the range'),
  languages: z.record(z.string(), z.number().int()).describe('Conversations begun in the range, by language'),
  by_day: z.array(z.object({ date: z.string(), conversations: z.number().int(), handoffs: z.number().int(), leads: z.number().int() })).describe('Per UTC day'),
});

const CSV_COLUMNS: (keyof ExportRow)[] = ['id', 'kind', 'customer', 'status', 'mode', 'assignee', 'language', 'message_count', 'created_at', 'last_message_at', 'lead_name', 'lead_email', 'lead_phone', 'lead_score'];

/** One CSV cell: quoted when needed, and never a formula a spreadsheet would run (=, +, -, @). */
function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n']/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function* csv(rows: AsyncGenerator<ExportRow>): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(',')}\r\n`;
  let batch = '';
  for await (const row of rows) {
    batch += `${CSV_COLUMNS.map((column) => cell(row[column])).join(',')}\r\n`;
    if (batch.length > 64 * 1024) {
      yield batch;
      batch = '';
    }
  }
  if (batch) yield batch;
}

export function reportRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { db } = deps;

  routes.add(
    {
      method: 'get',
      path: '/api/widgets/:widgetId/reports',
      tag: 'reports',
      summary: "The widget's figures over a range (at most a year): conversations, messages, Caty's share of replies, handoffs, median first reply, leads, languages, and per day",
      query: range,
      responses: { 200: { description: 'The report', schema: reportView }, 422: { description: '`from` after `to`, or more than a year' } },
    },
    async ({ params, query, auth }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      const { from, to } = period(query);
      const report = await widgetReport(db, widget.id, from, to);
      return { body: { from: from.toISOString(), to: to.toISOString(), ...report } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/api/widgets/:widgetId/conversations.csv',
      tag: 'reports',
      summary: "The widget's conversations begun in a range (default the last 30 days), as CSV for a spreadsheet: one row each, with status, assignee and lead",
      query: range,
      responses: { 200: { description: 'CSV (UTF-8, a header row)', contentType: 'text/csv' }, 422: { description: '`from` after `to`, or more than a year' } },
    },
    async ({ params, query, auth, ctx }) => {
      const widget = await ownWidget(db, auth, params.widgetId!);
      const { from, to } = period(query);
      ctx.set('Content-Disposition', `attachment; filename="conversations-${widget.id}-${from.toISOString().slice(0, 10)}.csv"`);
      // Streamed a page at a time: a year of conversations is never held whole in memory.
      return { body: Readable.from(csv(conversationsForExport(db, widget.id, from, to))), type: 'text/csv; charset=utf-8' };
    },
  );
}
