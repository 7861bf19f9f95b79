import type { Kysely } from 'kysely';
import type { Database, Widget } from './schema.js';
import { loadWidget } from './queries/widgets.js';
import { listen } from './listen.js';

/**
 * Widgets as a worker reads them for every message, kept in memory. A dedicated connection
 * LISTENs to `caty_widgets` (a trigger announces every change and removal), and a changed widget
 * is read again on its next use. While that connection is down nothing is kept, so nothing stale
 * is served; it reconnects after a second.
 */
export class WidgetCache {
  private readonly widgets = new Map<string, Widget>();
  /** Changes heard per widget id: a read that a change overtook is not kept. */
  private readonly changes = new Map<string, number>();
  /** Bumped whenever the connection drops: a read from before it is not kept. */
  private generation = 0;
  private connection: { readonly listening: boolean; stop(): Promise<void> } | null = null;

  constructor(private readonly options: { db: Kysely<Database>; databaseUrl: string; log?: (line: string) => void; maxWidgets?: number }) {}

  async start(): Promise<void> {
    this.connection = await listen({
      databaseUrl: this.options.databaseUrl,
      channel: 'caty_widgets',
      onNotification: (widgetId) => this.forget(widgetId),
      // Changes made while nobody listens would go unheard: drop everything (nothing is kept until it listens again).
      onLost: () => {
        this.generation++;
        this.widgets.clear();
      },
      ...(this.options.log ? { log: this.options.log } : {}),
    });
  }

  /** Only while changes can be heard is anything kept (not yet when the database was away at the start). */
  private get listening(): boolean {
    return this.connection?.listening ?? false;
  }

  async stop(): Promise<void> {
    await this.connection?.stop();
    this.connection = null;
  }

  async load(widgetId: string): Promise<Widget> {
    const cached = this.listening ? this.widgets.get(widgetId) : undefined;
    if (cached) return cached;
    const changesBefore = this.changes.get(widgetId) ?? 0;
    const generation = this.generation;
    const widget = await loadWidget(this.options.db, widgetId);
    if (this.listening && generation === this.generation && (this.changes.get(widgetId) ?? 0) === changesBefore) {
      // A plain bound: past it, the oldest entry goes (Map keeps insertion order).
      if (this.widgets.size >= (this.options.maxWidgets ?? 10_000)) this.widgets.delete(this.widgets.keys().next().value!);
      this.widgets.set(widgetId, widget);
    }
    return widget;
  }

  private forget(widgetId: string): void {
    this.widgets.delete(widgetId);
    this.changes.set(widgetId, (this.changes.get(widgetId) ?? 0) + 1);
  }
}
