// Conversations: the live list of a widget's WhatsApp conversations and one conversation's thread.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, apiBlob, describeError, newRequestId, path } from './api.js';
import {
  Alert, formatTime, html, languageName, NoWidgetYet, Notice, useDebounced, useLiveEvents, useLoader, WidgetPicker,
} from './ui.js';

const MODE_FILTERS = [
  { value: '', label: 'All' },
  { value: 'ai', label: 'AI' },
  { value: 'human', label: 'Human' },
  { value: 'handoff_requested', label: 'Waiting for a person' },
];
const MODE_WORDS = { ai: 'AI', human: 'Human', handoff_requested: 'Waiting for a person' };
// On WhatsApp the number's link type says how Caty treats the chat.
const CHANNEL_WORDS = { web: 'WhatsApp', qr_first: 'WhatsApp (QR first)', notifications: 'WhatsApp (notifications only)' };

function channelWords(c) {
  return c.channel === 'web' ? 'Website' : (CHANNEL_WORDS[c.channel_type] ?? c.channel_type);
}

/** Who the business talks to: a phone number, or a website visitor. */
function customerWords(c) {
  return c.channel === 'web' ? `Website visitor ${c.customer_phone.slice(-6)}` : c.customer_phone;
}
const AUTHOR_WORDS = { customer: 'Customer', ai: 'Caty', agent: 'Agent', system: 'System', note: 'Note' };
const ASSIGNEE_FILTERS = [
  { value: '', label: 'All' },
  { value: 'me', label: 'Mine', person: true },
  { value: 'none', label: 'Unassigned' },
];
const PAGE = 50;
const MAX_ROWS = 200;
const LIVE_TYPES = ['message.created', 'conversation.updated'];

function leadScore(lead) {
  const score = lead?.score;
  return typeof score === 'number' ? `${score}/5` : '—';
}

export function temporalUrl(config, workflowId) {
  if (!config?.temporal_ui_url || !workflowId) return null;
  const base = config.temporal_ui_url.replace(/\/+$/, '');
  return `${base}/namespaces/${encodeURIComponent(config.temporal_namespace || 'default')}/workflows/${encodeURIComponent(workflowId)}`;
}

function ModeFilter({ mode, onChange }) {
  return html`
    <div class="field inline">
      <label for="mode-filter">Mode</label>
      <select id="mode-filter" value=${mode} onChange=${(e) => onChange(e.currentTarget.value)}>
        ${MODE_FILTERS.map((m) => html`<option key=${m.value} value=${m.value}>${m.label}</option>`)}
      </select>
    </div>
  `;
}

function ConversationRow({ conversation: c, selected, onOpen }) {
  const waiting = c.mode === 'handoff_requested';
  return html`
    <tr class=${[waiting ? 'waiting' : '', selected ? 'selected' : ''].join(' ')}>
      <th scope="row" data-label="Customer">
        <button type="button" class="link-button" aria-pressed=${selected ? 'true' : 'false'} onClick=${() => onOpen(c)}>${customerWords(c)}</button>
        ${c.unread ? html` <span class="unread">${c.unread} unread</span>` : null}
        ${c.status === 'resolved' ? html` <span class="resolved">Resolved</span>` : null}
      </th>
      <td data-label="Channel">${channelWords(c)}</td>
      <td data-label="Mode"><span class=${`mode mode-${c.mode}`}>${MODE_WORDS[c.mode] ?? c.mode}</span></td>
      <td data-label="Assigned to">${c.assignee ? c.assignee.name : html`<span class="muted">Nobody</span>`}</td>
      <td data-label="Language">${languageName(c.language)}</td>
      <td data-label="Lead score">${leadScore(c.lead)}</td>
      <td data-label="Last message" class="last-message">
        ${c.last_message ? html`<span class="last-text">${c.last_message}</span>` : null}
        <span class="muted">${formatTime(c.last_message_at)}</span>
      </td>
    </tr>
  `;
}

function ConversationTable({ conversations, selectedId, onOpen }) {
  return html`
    <table class="conversations">
      <thead>
        <tr>
          <th scope="col">Customer</th><th scope="col">Channel</th><th scope="col">Mode</th><th scope="col">Assigned to</th>
          <th scope="col">Language</th><th scope="col">Lead score</th><th scope="col">Last message</th>
        </tr>
      </thead>
      <tbody>
        ${conversations.map((c) => html`<${ConversationRow} key=${c.id} conversation=${c} selected=${c.id === selectedId} onOpen=${onOpen} />`)}
      </tbody>
    </table>
  `;
}

const MEDIA_WORDS = { image: 'Photo', audio: 'Audio', video: 'Video', document: 'Document', sticker: 'Sticker' };

function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** A file's bytes as an object URL (the API wants the key, which an <img src> cannot send). */
function useMediaUrl(media, load) {
  const [url, setUrl] = useState(null);
  useEffect(() => {
    if (!load || media.expired) return undefined;
    let made = null;
    let cancelled = false;
    apiBlob(path`/api/media/${media.id}`)
      .then((blob) => {
        if (cancelled) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [media.id, load]);
  return url;
}

function DocumentLink({ media }) {
  const [busy, setBusy] = useState(false);
  async function download() {
    setBusy(true);
    try {
      const url = URL.createObjectURL(await apiBlob(path`/api/media/${media.id}`));
      const a = document.createElement('a');
      a.href = url;
      a.download = media.filename ?? media.id;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setBusy(false);
    }
  }
  return html`<button type="button" class="document" disabled=${busy} onClick=${download}>${media.filename ?? 'Document'} (${formatSize(media.size)})</button>`;
}

function MediaView({ media }) {
  const visual = media.kind === 'image' || media.kind === 'sticker' || media.kind === 'audio' || media.kind === 'video';
  const url = useMediaUrl(media, visual);
  const label = media.voice ? 'Voice note' : MEDIA_WORDS[media.kind] ?? 'File';
  if (media.expired) return html`<p class="media expired">${label}${media.filename ? ` ${media.filename}` : ''}: the file has expired</p>`;
  let body = null;
  if (media.kind === 'image' || media.kind === 'sticker') {
    body = url ? html`<a href=${url} target="_blank" rel="noopener" class="thumbnail"><img src=${url} alt=${`${label} from the chat (opens full size)`} /></a>` : html`<span class="loading">Loading ${label.toLowerCase()}…</span>`;
  } else if (media.kind === 'audio') {
    body = html`<audio controls src=${url ?? undefined} aria-label=${label}></audio>${media.transcript ? html`<p class="transcript"><span class="label">Transcript:</span> ${media.transcript}</p>` : null}`;
  } else if (media.kind === 'video') {
    body = html`<video controls src=${url ?? undefined} aria-label=${label} class="video"></video>`;
  } else {
    body = html`<${DocumentLink} media=${media} />`;
  }
  return html`<div class="media">${body}</div>`;
}

function LocationView({ location }) {
  const href = `https://www.openstreetmap.org/?mlat=${location.latitude}&mlon=${location.longitude}#map=17/${location.latitude}/${location.longitude}`;
  const name = location.name ?? `${location.latitude}, ${location.longitude}`;
  return html`<p class="media location"><a href=${href} target="_blank" rel="noopener">${location.live ? 'Live location' : 'Location'}: ${name}</a>${location.address ? html`<br />${location.address}` : null}</p>`;
}

function ContactView({ contact }) {
  return html`<div class="media contact"><p class="contact-name">Contact card: ${contact.name}</p><ul>${contact.phones.map((p) => html`<li key=${p}><a href=${`tel:${p}`}>${p}</a></li>`)}</ul></div>`;
}

function authorWords(m) {
  if (m.author === 'note') return m.agent ? `Note by ${m.agent.name} (only your team sees it)` : 'Note (only your team sees it)';
  if (m.author === 'agent' && m.agent) return m.agent.name;
  return AUTHOR_WORDS[m.author] ?? m.author;
}

function Message({ message: m }) {
  const failed = m.status === 'failed';
  return html`
    <li class=${`message author-${m.author} ${failed ? 'failed' : ''}`}>
      <p class="meta"><span class="author">${authorWords(m)}</span> <time datetime=${m.at}>${formatTime(m.at)}</time></p>
      ${m.media ? html`<${MediaView} media=${m.media} />` : null}
      ${m.location ? html`<${LocationView} location=${m.location} />` : null}
      ${m.contact ? html`<${ContactView} contact=${m.contact} />` : null}
      ${m.text ? html`<p class="text">${m.text}</p>` : null}
      ${failed
        ? html`<p class="error-text">${m.direction === 'inbound' ? 'Could not be handled' : 'Not delivered'}${m.error ? `: ${m.error}` : ''}</p>`
        : null}
    </li>
  `;
}

function MessageList({ messages }) {
  const box = useRef(null);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [messages?.length]);
  if (!messages.length) return html`<p class="empty">No messages yet.</p>`;
  return html`
    <ol class="messages" ref=${box} aria-label="Messages" tabindex="0">
      ${messages.map((m) => html`<${Message} key=${m.id} message=${m} />`)}
    </ol>
  `;
}

const COMMAND_DONE = {
  takeover: 'You have taken over. Caty stays silent in this conversation until you press Resume.',
  resume: 'Caty answers this conversation again.',
  assign: 'The conversation is yours.',
  resolve: 'Resolved. It opens again when the customer writes.',
  reopen: 'The conversation is open again.',
};

/** Who holds the conversation and since when, in words. */
function holderWords(c) {
  const since = c.mode_since ? ` since ${formatTime(c.mode_since)}` : '';
  if (c.mode === 'human') return `${c.held_by ? `Taken over by ${c.held_by.name}` : 'Taken over by your team'}${since}. Caty is silent.`;
  if (c.mode === 'handoff_requested') return `The customer asked for a person${since}. Caty is waiting for one of you.`;
  return `Caty is answering${since}.`;
}

/** Only the actions that apply now: Take over or Resume, Assign to me, Resolve or Reopen. */
function ConversationActions({ conversation: c, person }) {
  const [notice, setNotice] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function command(name, body) {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      await api(path`/api/conversations/${c.id}/${name}`, { method: 'POST', headers: { 'Idempotency-Key': newRequestId() }, body });
      setNotice(COMMAND_DONE[name]);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  const mine = person && c.assignee?.id === person.id;
  return html`
    <p class="holder">${holderWords(c)}${c.assignee ? ` Assigned to ${mine ? 'you' : c.assignee.name}.` : ''}</p>
    <div class="actions">
      ${c.mode === 'human'
        ? html`<button type="button" disabled=${busy} onClick=${() => command('resume')}>Resume</button>`
        : html`<button type="button" disabled=${busy} onClick=${() => command('takeover')}>Take over</button>`}
      ${person && !mine ? html`<button type="button" disabled=${busy} onClick=${() => command('assign', { user_id: person.id })}>Assign to me</button>` : null}
      ${c.status === 'resolved'
        ? html`<button type="button" disabled=${busy} onClick=${() => command('reopen')}>Reopen</button>`
        : html`<button type="button" disabled=${busy} onClick=${() => command('resolve')}>Resolve</button>`}
    </div>
    <${Notice} message=${notice} />
    <${Alert} message=${error} />
  `;
}

function NoteBox({ conversation, onAdded }) {
  const [text, setText] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (!text.trim()) return setError('Write the note first.');
    setBusy(true);
    setError(null);
    try {
      await api(path`/api/conversations/${conversation.id}/notes`, { method: 'POST', body: { text } });
      setText('');
      onAdded();
    } catch (failure) {
      setError(`Not saved: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <form class="note-box" onSubmit=${submit}>
      <div class="field">
        <label for="note-text">Note</label>
        <textarea id="note-text" rows="2" value=${text} onInput=${(e) => setText(e.currentTarget.value)} aria-describedby="note-hint"></textarea>
        <p class="hint" id="note-hint">Only your team sees notes: they are never sent to the customer.</p>
      </div>
      <${Alert} message=${error} />
      <button type="submit" disabled=${busy}>Add note</button>
    </form>
  `;
}

/** Saved replies whose shortcut starts with what follows the `/` typed at the start of the reply. */
function useCannedReplies(widgetId) {
  const replies = useLoader(() => (widgetId ? api(path`/api/widgets/${widgetId}/canned-replies`).then((b) => b.canned_replies) : []), [widgetId]);
  return replies.data ?? [];
}

function ReplyBox({ conversation, widgetId, onSent }) {
  const [text, setText] = useState('');
  const [file, setFile] = useState(null);
  const fileInput = useRef(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const canned = useCannedReplies(widgetId);
  const typed = /^\/(\S*)$/.exec(text);
  const matches = typed ? canned.filter((r) => r.shortcut.startsWith(typed[1].toLowerCase())).slice(0, 8) : [];

  async function submit(event) {
    event.preventDefault();
    if (!text.trim() && !file) {
      setError('Write a message or attach a file first.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // The conversation's own route: WhatsApp or the website, in order with the rest.
      let body = { text };
      if (file) {
        const uploaded = await api(`/api/media?filename=${encodeURIComponent(file.name)}`, { method: 'POST', file });
        body = { media: { id: uploaded.id }, ...(text.trim() ? { text } : {}) };
      }
      await api(path`/api/conversations/${conversation.id}/messages`, {
        method: 'POST',
        headers: { 'Idempotency-Key': newRequestId() },
        body,
      });
      setText('');
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
      onSent();
    } catch (failure) {
      setError(`Not sent: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <form class="reply" onSubmit=${submit}>
      <div class="field">
        <label for="reply-text">Reply</label>
        <textarea id="reply-text" rows="3" value=${text} onInput=${(e) => setText(e.currentTarget.value)}
          aria-describedby=${error ? 'reply-error' : 'reply-hint'} aria-invalid=${error ? 'true' : undefined}></textarea>
        <p class="hint" id="reply-hint">${canned.length ? 'Type / for a saved reply.' : ''}</p>
      </div>
      ${matches.length
        ? html`<ul class="canned" aria-label="Saved replies">
            ${matches.map((r) => html`<li key=${r.id}><button type="button" class="link-button" onClick=${() => setText(r.text)}>/${r.shortcut}: ${r.text.slice(0, 80)}</button></li>`)}
          </ul>`
        : null}
      <div class="field">
        <label for="reply-file">Attach a file</label>
        <input id="reply-file" type="file" ref=${fileInput} accept="image/jpeg,image/png,video/mp4,audio/ogg,audio/mpeg,application/pdf,.doc,.docx,.xls,.xlsx,.txt"
          onChange=${(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
      </div>
      <${Alert} message=${error} id="reply-error" />
      <button type="submit" class="primary" disabled=${busy}>Send</button>
      <p class="hint">Your reply goes to the customer on WhatsApp, from your business number.</p>
    </form>
  `;
}

function threadFacts(c) {
  const facts = [languageName(c.language), `Lead score ${leadScore(c.lead)}`, c.source ? `Came from ${c.source}` : null];
  return facts.filter(Boolean).map((fact) => ` · ${fact}`).join('');
}

function Thread({ conversation, widgetId, config, live, person, onClose }) {
  const messages = useLoader(() => api(path`/api/conversations/${conversation.id}/messages`), [conversation.id]);
  // What a person has seen is read: the list's unread count drops for them.
  useEffect(() => {
    if (person && messages.data) api(path`/api/conversations/${conversation.id}/read`, { method: 'POST' }).catch(() => undefined);
  }, [messages.data, person]);
  const refresh = useDebounced(messages.reload, 150);
  const heading = useRef(null);
  const temporal = temporalUrl(config, conversation.workflow_id);

  useEffect(() => heading.current?.focus(), [conversation.id]);
  useLiveEvents(live, (event) => {
    if (event.type === 'resync' || (LIVE_TYPES.includes(event.type) && event.data.conversation_id === conversation.id)) refresh();
  });

  return html`
    <section class="thread panel" aria-labelledby="thread-heading">
      <div class="thread-head">
        <h2 id="thread-heading" tabindex="-1" ref=${heading}>Conversation with ${customerWords(conversation)}</h2>
        <button type="button" class="link-button" onClick=${onClose}>Close conversation</button>
      </div>
      <p class="thread-facts">
        <span class=${`mode mode-${conversation.mode}`}>${MODE_WORDS[conversation.mode] ?? conversation.mode}</span>${threadFacts(conversation)}
      </p>
      ${temporal ? html`<p><a href=${temporal} target="_blank" rel="noopener">Open in Temporal UI</a></p>` : null}
      <${ConversationActions} key=${conversation.id} conversation=${conversation} person=${person} />
      ${messages.error ? html`<${Alert} message=${`Could not load the messages: ${messages.error}`} />` : null}
      ${messages.data ? html`<${MessageList} messages=${messages.data} />` : messages.error ? null : html`<p class="loading">Loading…</p>`}
      <${ReplyBox} key=${conversation.id} conversation=${conversation} widgetId=${widgetId} onSent=${refresh} />
      <${NoteBox} key=${`note-${conversation.id}`} conversation=${conversation} onAdded=${refresh} />
    </section>
  `;
}

function listPath(widgetId, { mode, assignee, status, q }, limit) {
  const query = new URLSearchParams({ limit: String(limit) });
  if (mode) query.set('mode', mode);
  if (assignee) query.set('assignee', assignee);
  if (status) query.set('status', status);
  if (q.trim()) query.set('q', q.trim());
  return `${path`/api/widgets/${widgetId}/conversations`}?${query}`;
}

export function ConversationsScreen({ config, widgets, widgetId, setWidgetId, live, person }) {
  const [mode, setMode] = useState('');
  const [assignee, setAssignee] = useState('');
  const [status, setStatus] = useState('');
  const [search, setSearch] = useState('');
  const [q, setQ] = useState('');
  const typedSearch = useRef('');
  const applySearch = useDebounced(() => setQ(typedSearch.current), 300);
  const [selected, setSelected] = useState(null);
  const limit = useRef(PAGE);
  const filters = { mode, assignee, status, q };
  const list = useLoader(() => (widgetId ? api(listPath(widgetId, filters, limit.current)) : null), [widgetId, mode, assignee, status, q]);
  const refresh = useDebounced(list.reload, 200);
  // Whoever is waiting for a person comes first; the rest keep their order (most recent first).
  const rows = [...(list.data?.conversations ?? [])].sort((a, b) => Number(b.mode === 'handoff_requested') - Number(a.mode === 'handoff_requested'));

  useEffect(() => {
    setSelected(null);
    limit.current = PAGE;
  }, [widgetId]);
  // The open thread shows the row's latest mode, language and lead as the list refreshes.
  const current = (selected && rows.find((c) => c.id === selected.id)) || selected;

  useLiveEvents(live, (event) => {
    if (event.type === 'resync' || (LIVE_TYPES.includes(event.type) && event.data.widget_id === widgetId)) refresh();
  });

  function showMore() {
    limit.current = Math.min(limit.current + PAGE, MAX_ROWS);
    list.reload();
  }

  if (!widgets.length) return html`<h1 tabindex="-1">Conversations</h1><${NoWidgetYet} />`;
  const canShowMore = list.data?.next_cursor && limit.current < MAX_ROWS;

  return html`
    <h1 tabindex="-1">Conversations</h1>
    <div class="toolbar">
      <${WidgetPicker} widgets=${widgets} widgetId=${widgetId} onChange=${setWidgetId} />
      <${ModeFilter} mode=${mode} onChange=${setMode} />
      <div class="field inline">
        <label for="status-filter">Status</label>
        <select id="status-filter" value=${status} onChange=${(e) => setStatus(e.currentTarget.value)}>
          <option value="">All</option><option value="open">Open</option><option value="resolved">Resolved</option>
        </select>
      </div>
      <div class="filter-buttons" role="group" aria-label="Assigned to">
        ${ASSIGNEE_FILTERS.filter((f) => !f.person || person).map((f) => html`
          <button type="button" key=${f.value} aria-pressed=${assignee === f.value ? 'true' : 'false'} onClick=${() => setAssignee(f.value)}>${f.label}</button>`)}
      </div>
      <div class="field inline">
        <label for="conversation-search">Search messages</label>
        <input id="conversation-search" type="search" value=${search} onInput=${(e) => {
          setSearch(e.currentTarget.value);
          typedSearch.current = e.currentTarget.value;
          applySearch();
        }} />
      </div>
    </div>
    <div class=${`conversations-layout ${current ? 'with-thread' : ''}`}>
      <section class="panel list" aria-label="Conversation list">
        ${list.error ? html`<${Alert} message=${`Could not load the conversations: ${list.error}`} />` : null}
        ${list.data && rows.length === 0 ? html`<p class="empty">${mode || assignee || status || q ? 'No conversations match these filters.' : 'No conversations yet. They appear here as customers write to you on WhatsApp.'}</p>` : null}
        ${rows.length ? html`<${ConversationTable} conversations=${rows} selectedId=${current?.id} onOpen=${setSelected} />` : null}
        ${!list.data && !list.error ? html`<p class="loading">Loading…</p>` : null}
        ${canShowMore ? html`<button type="button" onClick=${showMore}>Show more</button>` : null}
        ${list.data?.next_cursor && !canShowMore ? html`<p class="hint">Showing the ${MAX_ROWS} most recent conversations.</p>` : null}
      </section>
      ${current
        ? html`<${Thread} key=${current.id} conversation=${current} widgetId=${widgetId} config=${config} live=${live} person=${person} onClose=${() => setSelected(null)} />`
        : null}
    </div>
  `;
}
