// Webhooks: a widget's webhooks, adding and deleting them, and each one's deliveries log.

import { useState } from 'preact/hooks';
import { api, describeError, path } from './api.js';
import {
  Alert, formatTime, html, NoWidgetYet, Notice, useDebounced, useLiveEvents, useLoader, WidgetPicker,
} from './ui.js';

const EVENTS = [
  { name: 'whatsapp.message.received', words: 'A customer sent a message' },
  { name: 'whatsapp.message.sent', words: 'A message was sent to a customer' },
  { name: 'whatsapp.message.failed', words: 'A message could not be sent' },
  { name: 'conversation.handoff_requested', words: 'A customer asked for a person' },
  { name: 'conversation.taken_over', words: 'A person took a conversation over' },
  { name: 'conversation.resumed', words: 'Caty answers a conversation again' },
  { name: 'lead.captured', words: 'A new lead was captured' },
  { name: 'channel.status_changed', words: 'The WhatsApp connection changed' },
];
const DELIVERIES_SHOWN = 20;
const DELIVERIES_MORE = 100;

function eventWords(name) {
  return EVENTS.find((e) => e.name === name)?.words ?? name;
}

function deliveryStatus(d) {
  if (d.status === 'delivered') return 'Delivered';
  if (d.status === 'failed') return 'Failed';
  return d.attempts > 0 ? 'Retrying' : 'Waiting to be sent';
}

function lastAnswer(d) {
  if (d.last_status_code && d.last_error) return `${d.last_status_code}: ${d.last_error}`;
  if (d.last_status_code) return String(d.last_status_code);
  return d.last_error || '—';
}

function AddWebhook({ widgetId, onAdded }) {
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState([]);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const toggle = (name, on) => setEvents((list) => (on ? [...list, name] : list.filter((e) => e !== name)));

  async function submit(event) {
    event.preventDefault();
    if (!url.trim()) {
      setError('Enter the address that should receive the events.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = { url: url.trim(), ...(events.length ? { events } : {}) };
      const created = await api(path`/api/widgets/${widgetId}/webhooks`, { method: 'POST', body });
      setUrl('');
      setEvents([]);
      onAdded(created);
    } catch (failure) {
      setError(`Could not add the webhook: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <form class="panel add-webhook" onSubmit=${submit} novalidate>
      <h2>Add a webhook</h2>
      <div class="field">
        <label for="webhook-url">URL</label>
        <input id="webhook-url" type="url" placeholder="https://example.com/caty-events" value=${url}
          onInput=${(e) => setUrl(e.currentTarget.value)} aria-describedby="webhook-url-hint" />
        <p class="hint" id="webhook-url-hint">Caty sends each event to this address as a signed POST request.</p>
      </div>
      <fieldset>
        <legend>Events</legend>
        <p class="hint">Leave all unticked to receive every event.</p>
        ${EVENTS.map((e) => html`
          <div class="field checkbox" key=${e.name}>
            <input id=${`event-${e.name}`} type="checkbox" checked=${events.includes(e.name)} onChange=${(ev) => toggle(e.name, ev.currentTarget.checked)} />
            <label for=${`event-${e.name}`}>${e.words} <code>${e.name}</code></label>
          </div>
        `)}
      </fieldset>
      <${Alert} message=${error} />
      <button type="submit" class="primary" disabled=${busy}>Add webhook</button>
    </form>
  `;
}

function DeliveryRow({ webhookId, delivery: d, onRedelivered }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function redeliver() {
    setBusy(true);
    setError(null);
    try {
      await api(path`/api/webhooks/${webhookId}/deliveries/${d.event_id}/redeliver`, { method: 'POST' });
      onRedelivered();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <tr class=${`delivery delivery-${d.status}`}>
      <td data-label="Event">${eventWords(d.event)}<br /><code>${d.event}</code></td>
      <td data-label="Status">${deliveryStatus(d)}</td>
      <td data-label="Attempts">${d.attempts}</td>
      <td data-label="Last answer">${lastAnswer(d)}</td>
      <td data-label="Next try">${d.status === 'pending' ? formatTime(d.next_attempt_at) : '—'}</td>
      <td data-label="Created">${formatTime(d.created_at)}</td>
      <td>
        <button type="button" disabled=${busy} onClick=${redeliver}>Redeliver</button>
        <${Alert} message=${error} />
      </td>
    </tr>
  `;
}

function Deliveries({ webhook, live }) {
  const [limit, setLimit] = useState(DELIVERIES_SHOWN);
  const log = useLoader(() => api(`${path`/api/webhooks/${webhook.id}/deliveries`}?limit=${limit}`), [webhook.id, limit]);
  const refresh = useDebounced(log.reload, 1000);

  // New events for this widget mean new deliveries, and their attempts come soon after.
  useLiveEvents(live, (event) => {
    if (event.type === 'resync' || event.data.widget_id === webhook.widget_id) refresh();
  });

  const rows = log.data ?? [];
  return html`
    <div class="deliveries">
      <div class="section-head">
        <h4>Deliveries</h4>
        <button type="button" class="link-button" onClick=${log.reload}>Refresh</button>
      </div>
      ${log.error ? html`<${Alert} message=${`Could not load the deliveries: ${log.error}`} />` : null}
      ${log.data && rows.length === 0 ? html`<p class="empty">Nothing sent yet.</p>` : null}
      ${rows.length
        ? html`<table class="deliveries-table">
            <thead><tr>
              <th scope="col">Event</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last answer</th>
              <th scope="col">Next try</th><th scope="col">Created</th><th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr></thead>
            <tbody>
              ${rows.map((d) => html`<${DeliveryRow} key=${d.event_id} webhookId=${webhook.id} delivery=${d} onRedelivered=${log.reload} />`)}
            </tbody>
          </table>`
        : null}
      ${rows.length >= limit && limit < DELIVERIES_MORE ? html`<button type="button" onClick=${() => setLimit(DELIVERIES_MORE)}>Show more</button>` : null}
    </div>
  `;
}

function WebhookCard({ webhook, live, onDeleted }) {
  const [error, setError] = useState(null);
  const allEvents = EVENTS.every((e) => webhook.events.includes(e.name));

  async function remove() {
    setError(null);
    try {
      await api(path`/api/webhooks/${webhook.id}`, { method: 'DELETE' });
      onDeleted(webhook);
    } catch (failure) {
      setError(`Could not delete it: ${describeError(failure)}`);
    }
  }

  return html`
    <li class="card webhook">
      <h3 class="url">${webhook.url}</h3>
      <p class="hint">${allEvents ? 'All events' : webhook.events.map(eventWords).join(' · ')} · added ${formatTime(webhook.created_at)}</p>
      <button type="button" class="danger" aria-label=${`Delete webhook ${webhook.url}`} onClick=${remove}>Delete</button>
      <${Alert} message=${error} />
      <${Deliveries} webhook=${webhook} live=${live} />
    </li>
  `;
}

export function WebhooksScreen({ widgets, widgetId, setWidgetId, live }) {
  const hooks = useLoader(() => (widgetId ? api(path`/api/widgets/${widgetId}/webhooks`) : []), [widgetId]);
  const [notice, setNotice] = useState(null);

  if (!widgets.length) return html`<h1 tabindex="-1">Webhooks</h1><${NoWidgetYet} />`;

  function onAdded(created) {
    setNotice({ secret: created.secret, url: created.url });
    hooks.reload();
  }

  function onDeleted(webhook) {
    setNotice({ text: `The webhook to ${webhook.url} was deleted.` });
    hooks.reload();
  }

  return html`
    <h1 tabindex="-1">Webhooks</h1>
    <p class="lead">Webhooks send your other systems (CRM, spreadsheets, automations) an update when something happens.</p>
    <div class="toolbar">
      <${WidgetPicker} widgets=${widgets} widgetId=${widgetId} onChange=${(id) => { setNotice(null); setWidgetId(id); }} />
    </div>
    ${notice?.secret
      ? html`<div class="notice" role="status">
          <p>Webhook added. Its signing secret is shown only now: copy it to check that events really come from Caty.</p>
          <p><code class="secret">${notice.secret}</code></p>
        </div>`
      : html`<${Notice} message=${notice?.text} />`}
    ${hooks.error ? html`<${Alert} message=${`Could not load the webhooks: ${hooks.error}`} />` : null}
    ${hooks.data && hooks.data.length === 0 ? html`<p class="empty">No webhooks yet.</p>` : null}
    ${hooks.data?.length
      ? html`<ul class="cards">${hooks.data.map((w) => html`<${WebhookCard} key=${w.id} webhook=${w} live=${live} onDeleted=${onDeleted} />`)}</ul>`
      : null}
    ${!hooks.data && !hooks.error ? html`<p class="loading">Loading…</p>` : null}
    <${AddWebhook} key=${widgetId} widgetId=${widgetId} onAdded=${onAdded} />
  `;
}
