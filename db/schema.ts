import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { AgentRef, ChannelProvider, ChannelType, ConversationMode, MediaKind, MessageAuthor, RichContent, SharedContact, SharedLocation } from '../workflows/conversation/domain.js';
import type { KnowledgeEntry, WidgetGreeting } from '../workflows/widgets/knowledge.js';

/** Timestamps are written as Date (or left to the default) and read as Date. */
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, T | string, T | string>;

export type ChannelStatus = 'pending' | 'qr' | 'connecting' | 'connected' | 'disconnected' | 'logged_out';
export type MessageDirection = 'inbound' | 'outbound';

export interface AccountsTable {
  id: string;
  name: string;
  api_key_hash: string;
  /** The key the current one replaced, valid until `previous_api_key_expires_at`. */
  previous_api_key_hash: ColumnType<string | null, string | null | undefined, string | null>;
  previous_api_key_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
}

/** A widget's settings as stored (validated by the API's schemas before they are written). */
export interface WidgetSettings {
  admin_phones?: string[];
  /** Origins of the pages that may embed the web widget; "*" allows any. */
  allowed_origins?: string[];
  notifications?: { lead_alerts?: boolean; alert_channel?: string; alert_phone?: string };
  business_hours?: Record<string, unknown> | null;
  handoff?: {
    auto_resume_after?: number | null;
    response_timeout?: number | null;
    on_response_timeout?: 'resume' | 'wait';
    /** A person answering by hand takes the conversation over (absent: yes). */
    pause_on_business_reply?: boolean;
    /** A handoff request is assigned to the least busy signed-in person (absent: no). */
    auto_assign?: boolean;
  };
  /** What the web widget says when its panel opens; the catalogue's greeting when absent. */
  greeting?: WidgetGreeting;
}

export interface WidgetsTable {
  id: string;
  account_id: string;
  name: string;
  default_language: string;
  assistant_name: string;
  personality: string | null;
  knowledge_base: Json<KnowledgeEntry[]>;
  /** Everything else a widget carries (admin phones, notifications, hours, handoff), validated by the API. */
  settings: Json<WidgetSettings>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ChannelsTable {
  id: string;
  account_id: string;
  provider: ChannelProvider;
  name: string | null;
  status: ChannelStatus;
  phone: string | null;
  qr: string | null;
  last_error: string | null;
  /** Set when the account disconnected it: gone for the API, kept for its history. */
  removed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** Since when it has not been connected, having been connected before (db/queries/channel-alerts.ts). */
  down_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** What the business was last told: connected, or down (disconnected, logged_out). */
  announced_status: ColumnType<AnnouncedStatus | null, AnnouncedStatus | null | undefined, AnnouncedStatus | null>;
  announced_before: ColumnType<AnnouncedStatus | null, AnnouncedStatus | null | undefined, AnnouncedStatus | null>;
  announcement_seq: Generated<number>;
  announced_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  announcement_pending: Generated<boolean>;
}

export type AnnouncedStatus = 'connected' | 'disconnected' | 'logged_out';

export interface LinksTable {
  id: string;
  account_id: string;
  widget_id: string;
  channel_id: string;
  channel_type: ChannelType;
  /** The business number; one widget per number. */
  phone: string;
  created_at: Timestamp;
}

export interface ConversationsTable {
  id: string;
  account_id: string;
  widget_id: string;
  channel_id: string | null;
  channel_type: ChannelType;
  kind: 'whatsapp' | 'web';
  /** E.164 of the customer for WhatsApp, the session id for the web widget. */
  customer: string;
  business_phone: string | null;
  workflow_id: string;
  mode: Generated<ConversationMode>;
  language: string | null;
  source: string | null;
  lead: Json<Record<string, unknown> | null>;
  message_count: Generated<number>;
  last_message_at: Timestamp | null;
  created_at: Timestamp;
  status: Generated<'open' | 'resolved'>;
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>;
  resolved_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The person holding a taken-over conversation, when it was a person of the account. */
  held_by: ColumnType<AgentRef | null, string | null | undefined, string | null>;
  mode_since: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** What the next run starts from, once a run closed after a silence (db/queries/conversations.ts). */
  resume_state: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export type UserRole = 'admin' | 'agent';

export interface UsersTable {
  id: string;
  account_id: string;
  email: string;
  name: string;
  role: UserRole;
  password_hash: ColumnType<string | null, string | null | undefined, string | null>;
  invite_token_hash: ColumnType<string | null, string | null | undefined, string | null>;
  invite_expires_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: Timestamp;
}

export interface UserSessionsTable {
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface LoginFailuresTable {
  key: string;
  at: Timestamp;
}

export interface AgentSendsTable {
  conversation_id: string;
  message_key: string;
  agent: Json<AgentRef>;
  at: Timestamp;
}

export interface ConversationReadsTable {
  user_id: string;
  conversation_id: string;
  read_at: Timestamp;
}

export interface CannedRepliesTable {
  id: string;
  widget_id: string;
  shortcut: string;
  text: string;
  created_at: Timestamp;
}

export interface MessagesTable {
  id: string;
  conversation_id: string;
  /** The provider's id for inbound messages, the idempotency key for outbound ones. */
  external_id: string;
  direction: MessageDirection;
  author: MessageAuthor;
  text: string;
  language: string | null;
  rich: Json<RichContent | null>;
  /** For inbound messages: the conversation's work item that stored it (`<seq>:<message id>`). */
  ingest_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set when an outbound message could not be sent, or an inbound one could not be handled. */
  failed_reason: ColumnType<string | null, string | null | undefined, string | null>;
  at: Timestamp;
  /** A photo, voice note, video, document or sticker (its bytes are in the media store). */
  media_id: ColumnType<string | null, string | null | undefined, string | null>;
  location: ColumnType<SharedLocation | null, string | null | undefined, string | null>;
  contact: ColumnType<SharedContact | null, string | null | undefined, string | null>;
  /** A voice note's words, as the transcriber heard them. */
  transcript: ColumnType<string | null, string | null | undefined, string | null>;
  /** The person who wrote it (agent messages and notes written in the dashboard or API). */
  agent: ColumnType<AgentRef | null, string | null | undefined, string | null>;
}

export type MediaStatus = 'pending' | 'ready' | 'expired';

export interface MediaTable {
  id: string;
  account_id: string;
  visitor: string | null;
  kind: MediaKind;
  mime_type: string;
  size: Generated<number>;
  filename: string | null;
  voice: Generated<boolean>;
  duration_s: number | null;
  transcript: string | null;
  store: string;
  status: Generated<MediaStatus>;
  created_at: Generated<Date>;
  expired_at: Timestamp | null;
}

export interface MediaChunksTable {
  media_id: string;
  seq: number;
  data: Buffer;
}

export interface SandboxOutboxTable {
  id: string;
  channel_id: string;
  idempotency_key: string;
  to_phone: string;
  from_phone: string;
  text: string;
  rich: Json<RichContent | null>;
  sent_at: Timestamp;
  media_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** What the dashboard streams; written by triggers (db/migrations/0009_live_events.ts). */
export interface LiveEventsTable {
  id: Generated<number>;
  account_id: string;
  widget_id: string | null;
  kind: 'message.created' | 'conversation.updated' | 'channel.status_changed';
  data: Json<Record<string, string>>;
  created_at: Timestamp;
}

export interface ConversationEventsTable {
  id: string;
  conversation_id: string;
  kind: string;
  actor: string | null;
  reason: string | null;
  data: Json<Record<string, unknown>>;
  at: Timestamp;
}

export interface WhatsappAuthTable {
  channel_id: string;
  /** `creds`, or a Signal key type (`pre-key`, `session`, `app-state-sync-key`, ...). */
  type: string;
  id: string;
  /** JSON written with Baileys' BufferJSON replacer. */
  value: string;
  updated_at: Timestamp;
}

export interface WhatsappSessionLeasesTable {
  channel_id: string;
  owner: string;
  acquired_at: Timestamp;
  expires_at: Timestamp;
}

export interface ChannelEventsTable {
  id: string;
  channel_id: string;
  account_id: string;
  /** A webhook event name, e.g. `channel.status_changed`. */
  event: string;
  data: Json<Record<string, unknown>>;
  at: Timestamp;
}

export type InboxStatus = 'pending' | 'delivered' | 'failed';

export interface InboxTable {
  channel_id: string;
  message_id: string;
  customer_phone: string;
  from_me: boolean;
  text: string;
  reply_id: string | null;
  sent_at: Timestamp;
  received_at: Generated<Date>;
  status: Generated<InboxStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_error: string | null;
  conversation_id: string | null;
  delivered_at: Timestamp | null;
  /** What arrived besides text (see activities/whatsapp/provider.ts `Attachment`). */
  attachment: Json<Record<string, unknown> | null>;
  /** What a WhatsApp media download needs, until its bytes are stored. */
  media_source: Json<Record<string, unknown> | null>;
}

export interface WhatsappSentTable {
  channel_id: string;
  idempotency_key: string;
  provider_message_id: string;
  to_phone: string;
  sent_at: Timestamp;
}

export interface MenuItem {
  id: string;
  title: string;
  description?: string;
}

export interface WhatsappMenusTable {
  channel_id: string;
  message_id: string;
  customer_phone: string;
  kind: 'poll' | 'text';
  items: Json<MenuItem[]>;
  poll_secret: string | null;
  created_at: Timestamp;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed';

export interface WebhooksTable {
  id: string;
  account_id: string;
  widget_id: string;
  url: string;
  /** The event names it receives; null receives every event. */
  events: Json<string[] | null>;
  secret: string;
  created_at: Timestamp;
}

export interface EventsTable {
  id: string;
  widget_id: string;
  event: string;
  data: Json<Record<string, unknown>>;
  conversation_id: string | null;
  created_at: Timestamp;
}

export interface WebhookDeliveriesTable {
  webhook_id: string;
  event_id: string;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Timestamp | null;
  delivered_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface IdempotencyKeysTable {
  account_id: string;
  key: string;
  request_hash: string;
  resource_id: string;
  response: Json<Record<string, unknown> | null>;
  created_at: Timestamp;
}

export interface LeadsTable {
  conversation_id: string;
  widget_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  interest: string | null;
  score: number;
  status: Generated<'new' | 'call_scheduled'>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type SourceStatus = 'queued' | 'running' | 'ready' | 'failed';
export type PageStatus = 'pending' | 'indexed' | 'unchanged' | 'skipped' | 'failed';

export interface SourceOptions {
  max_pages?: number;
  include_paths?: string[];
  exclude_paths?: string[];
}

export interface KnowledgeSourcesTable {
  id: string;
  account_id: string;
  widget_id: string;
  type: 'website' | 'file';
  url: string | null;
  filename: string | null;
  content_type: string | null;
  options: Json<SourceOptions>;
  status: Generated<SourceStatus>;
  error: string | null;
  sync: Generated<number>;
  sync_key: string | null;
  robots_txt: string | null;
  last_synced_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface KnowledgeUploadsTable {
  source_id: string;
  bytes: Buffer;
  size: number;
  created_at: Timestamp;
}

export interface KnowledgePagesTable {
  source_id: string;
  url: string;
  position: Generated<string>;
  depth: Generated<number>;
  title: string | null;
  status: Generated<PageStatus>;
  error: string | null;
  language: string | null;
  passages: Generated<number>;
  etag: string | null;
  last_modified: string | null;
  content_hash: string | null;
  words: Generated<string[]>;
  links: Generated<string[]>;
  queued_sync: number;
  fetched_sync: Generated<number>;
  fetched_at: Timestamp | null;
}

export interface KnowledgePassagesTable {
  id: Generated<string>;
  source_id: string;
  page_url: string;
  widget_id: string;
  title: string;
  heading: string;
  text: string;
  language: string | null;
  terms: string[];
  heading_terms: string[];
  content_hash: string;
  /** float32 little-endian, unit length (EMBEDDINGS_PROVIDER); null until the passage is embedded. */
  embedding: Buffer | null;
  /** The model that made `embedding`. */
  embedding_model: Generated<string | null>;
}

export interface KnowledgeHostsTable {
  host: string;
  next_request_at: Timestamp;
}

export interface UnansweredQuestionsTable {
  widget_id: string;
  conversation_id: string;
  message_id: string;
  text: string;
  language: string | null;
  terms: string[];
  at: Timestamp;
}

export interface KnowledgeEntryVectorsTable {
  widget_id: string;
  model: string;
  /** sha256 (base64url) of the text embedded. */
  text_hash: string;
  /** float32 little-endian, unit length. */
  embedding: Buffer;
  created_at: Generated<Date>;
}

/** An erasure done on request: who asked, when, how much went; nothing about whom. */
export interface ErasuresTable {
  id: string;
  account_id: string;
  widget_id: string;
  removed: Json<Record<string, number>>;
  at: Generated<Date>;
}

export interface Database {
  erasures: ErasuresTable;
  knowledge_sources: KnowledgeSourcesTable;
  knowledge_uploads: KnowledgeUploadsTable;
  knowledge_pages: KnowledgePagesTable;
  knowledge_passages: KnowledgePassagesTable;
  knowledge_entry_vectors: KnowledgeEntryVectorsTable;
  knowledge_hosts: KnowledgeHostsTable;
  unanswered_questions: UnansweredQuestionsTable;
  leads: LeadsTable;
  accounts: AccountsTable;
  widgets: WidgetsTable;
  channels: ChannelsTable;
  links: LinksTable;
  conversations: ConversationsTable;
  users: UsersTable;
  user_sessions: UserSessionsTable;
  login_failures: LoginFailuresTable;
  agent_sends: AgentSendsTable;
  conversation_reads: ConversationReadsTable;
  canned_replies: CannedRepliesTable;
  messages: MessagesTable;
  sandbox_outbox: SandboxOutboxTable;
  conversation_events: ConversationEventsTable;
  live_events: LiveEventsTable;
  whatsapp_auth: WhatsappAuthTable;
  whatsapp_session_leases: WhatsappSessionLeasesTable;
  channel_events: ChannelEventsTable;
  inbox: InboxTable;
  whatsapp_sent: WhatsappSentTable;
  whatsapp_menus: WhatsappMenusTable;
  webhooks: WebhooksTable;
  events: EventsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  idempotency_keys: IdempotencyKeysTable;
  media: MediaTable;
  media_chunks: MediaChunksTable;
}

export type Widget = Selectable<WidgetsTable>;
export type NewWidget = Insertable<WidgetsTable>;
export type WidgetUpdate = Updateable<WidgetsTable>;
export type Channel = Selectable<ChannelsTable>;
export type Link = Selectable<LinksTable>;
export type Conversation = Selectable<ConversationsTable>;
export type Message = Selectable<MessagesTable>;
export type Account = Selectable<AccountsTable>;
export type ChannelEvent = Selectable<ChannelEventsTable>;
export type Webhook = Selectable<WebhooksTable>;
export type StoredEvent = Selectable<EventsTable>;
export type WebhookDelivery = Selectable<WebhookDeliveriesTable>;
export type KnowledgeSource = Selectable<KnowledgeSourcesTable>;
export type KnowledgePage = Selectable<KnowledgePagesTable>;
export type MediaRow = Selectable<MediaTable>;
