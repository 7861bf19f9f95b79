// Integrations → WhatsApp: connect a number by QR, link it to a widget, disconnect it.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, apiBlob, apiText, describeError, path } from './api.js';
import { Alert, html, Notice, useDebounced, useInterval, useLiveEvents, useLoader } from './ui.js';

const QR_REFRESH_MS = 3000;
const WAITING = ['pending', 'qr', 'connecting'];

const STATUS_WORDS = {
  pending: 'Waiting for scan',
  qr: 'Waiting for scan',
  connecting: 'Connecting…',
  connected: 'Connected',
  disconnected: 'Disconnected',
  logged_out: 'Logged out',
};

export const CHANNEL_TYPES = [
  { value: 'web', label: 'Web: Caty answers as on your website' },
  { value: 'qr_first', label: 'QR first: greeting and contact details first, then Caty answers' },
  { value: 'notifications', label: 'Notifications: you send messages, Caty never replies' },
];

function channelTypeWords(value) {
  return CHANNEL_TYPES.find((t) => t.value === value)?.label.split(':')[0] ?? value;
}

function svgToDataUrl(svg) {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/**
 * The QR to scan. While the phone is connecting after a scan the last image stays as it is:
 * swapping it then would make people think the scan failed.
 */
function QrCode({ channel }) {
  const [src, setSrc] = useState(null);
  const lastSvg = useRef(null);
  const waitingForScan = channel.status === 'qr';

  async function refresh() {
    try {
      const svg = await apiText(path`/api/whatsapp/channels/${channel.id}/qr.svg`);
      if (svg !== lastSvg.current) {
        lastSvg.current = svg;
        setSrc(svgToDataUrl(svg));
      }
    } catch {
      // 409: the status moved on since; the status refresh will say what happened.
    }
  }

  useEffect(() => {
    if (waitingForScan) refresh();
    else if (channel.status !== 'connecting') {
      lastSvg.current = null;
      setSrc(null);
    }
  }, [channel.status, channel.qr, channel.updated_at]);
  useInterval(refresh, QR_REFRESH_MS, waitingForScan);

  if (!src) return waitingForScan || channel.status === 'pending' ? html`<p class="hint">Preparing the QR code…</p>` : null;
  return html`
    <figure class=${`qr ${channel.status === 'connecting' ? 'qr-used' : ''}`}>
      <img alt="WhatsApp QR code" src=${src} width="240" height="240" />
      <figcaption>
        ${channel.status === 'connecting'
          ? 'Scanned. Finishing the connection…'
          : 'On your phone, open WhatsApp → Settings → Linked devices → Link a device, then scan this code.'}
      </figcaption>
    </figure>
  `;
}

function SimulateScan({ channel, onChanged }) {
  const [phone, setPhone] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const fieldId = `scan-phone-${channel.id}`;

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api(path`/api/whatsapp/sandbox/channels/${channel.id}/scan`, { method: 'POST', body: { phone: phone.trim() } });
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  return html`
    <form class="inline-form" onSubmit=${submit}>
      <p class="hint">This is a test number: nothing is sent to real WhatsApp. Pretend to scan the code with the number below.</p>
      <div class="field">
        <label for=${fieldId}>Phone number</label>
        <input id=${fieldId} type="tel" placeholder="+40700000001" value=${phone} onInput=${(e) => setPhone(e.currentTarget.value)}
          aria-describedby=${error ? `${fieldId}-error` : undefined} />
      </div>
      <button type="submit" disabled=${busy}>Simulate scan</button>
      <${Alert} message=${error} id=${`${fieldId}-error`} />
    </form>
  `;
}

function QrFirstNote({ phone, url }) {
  const [svg, setSvg] = useState(null);
  const [error, setError] = useState(null);
  const image = path`/api/whatsapp/links/${phone}/deep-link`;

  useEffect(() => {
    apiText(`${image}.svg?ref=qr`).then(setSvg, (failure) => setError(describeError(failure)));
  }, [image]);

  // The images need the API key, so they are fetched and handed to the browser as files.
  async function download(format) {
    try {
      const blob = await apiBlob(`${image}.${format}?ref=qr`);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = `whatsapp-qr-${phone.replace(/^\+/, '')}.${format}`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return html`
    <div class="note">
      <p>Print this QR code in your shop or on flyers. Customers who scan it start a WhatsApp chat with you, and Caty knows where they came from.</p>
      ${svg ? html`<img class="qr" alt="QR code to print" src=${svgToDataUrl(svg)} width="200" height="200" />` : null}
      <p><a href=${url} target="_blank" rel="noopener">${url}</a></p>
      <p>
        <button type="button" onClick=${() => download('svg')}>Download SVG</button>
        <button type="button" onClick=${() => download('png')}>Download PNG</button>
      </p>
      <${Alert} message=${error} />
    </div>
  `;
}

function CurrentLink({ link, widgets, onChanged }) {
  const [error, setError] = useState(null);
  const widget = widgets.find((w) => w.id === link.widget_id);

  async function unlink() {
    setError(null);
    try {
      await api(path`/api/whatsapp/links/${link.phone}`, { method: 'DELETE' });
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return html`
    <div class="current-link">
      <p>Linked to <strong>${widget?.name ?? link.widget_id}</strong> · ${channelTypeWords(link.whatsapp_channel)}</p>
      ${link.whatsapp_channel === 'qr_first' ? html`<${QrFirstNote} phone=${link.phone} url=${link.deep_link} />` : null}
      <button type="button" onClick=${unlink}>Unlink</button>
      <${Alert} message=${error} />
    </div>
  `;
}

function LinkForm({ channel, link, widgets, onChanged }) {
  const [widgetId, setWidgetId] = useState(link?.widget_id ?? widgets[0]?.id ?? '');
  const [type, setType] = useState(link?.whatsapp_channel ?? 'web');
  const [error, setError] = useState(null);
  const [done, setDone] = useState(null);
  const [busy, setBusy] = useState(false);
  const idBase = `link-${channel.id}`;

  async function submit(event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await api('/api/whatsapp/links', { method: 'POST', body: { widget_id: widgetId, whatsapp_channel: type, phone: channel.phone } });
      setDone('Saved. Messages to this number are now handled as chosen.');
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  if (!widgets.length) return html`<p class="empty">To link this number, first <a href="#/widget">create a widget</a>.</p>`;
  return html`
    <form class="link-form" onSubmit=${submit}>
      <h3>Link to widget</h3>
      <div class="field">
        <label for=${`${idBase}-widget`}>Widget</label>
        <select id=${`${idBase}-widget`} value=${widgetId} onChange=${(e) => setWidgetId(e.currentTarget.value)}>
          ${widgets.map((w) => html`<option key=${w.id} value=${w.id}>${w.name}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for=${`${idBase}-type`}>Channel type</label>
        <select id=${`${idBase}-type`} value=${type} onChange=${(e) => setType(e.currentTarget.value)}>
          ${CHANNEL_TYPES.map((t) => html`<option key=${t.value} value=${t.value}>${t.label}</option>`)}
        </select>
      </div>
      <button type="submit" class="primary" disabled=${busy}>Link to widget</button>
      <${Notice} message=${done} />
      <${Alert} message=${error} />
    </form>
  `;
}

function DisconnectButton({ channel, onChanged, onDone }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function disconnect() {
    setBusy(true);
    setError(null);
    try {
      await api(path`/api/whatsapp/channels/${channel.id}`, { method: 'DELETE' });
      onChanged();
      onDone(channel.phone ? `${channel.phone} was logged out of Caty.` : 'The connection was removed.');
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return html`
    <div class="danger-zone">
      <button type="button" class="danger" disabled=${busy} onClick=${disconnect}>Disconnect</button>
      <${Alert} message=${error} />
    </div>
  `;
}

function ChannelCard({ channel, link, widgets, onChanged, onDone }) {
  const connected = channel.status === 'connected';
  const title = channel.name || (channel.provider === 'sandbox' ? 'Test number (sandbox)' : 'WhatsApp number');
  return html`
    <li class="card channel">
      <h3>${title}</h3>
      <p class="channel-status">
        <span class=${`status-word status-${channel.status}`}>${STATUS_WORDS[channel.status] ?? channel.status}</span>
        ${channel.phone ? html` <span class="phone">${channel.phone}</span>` : null}
      </p>
      ${channel.status === 'disconnected' && channel.last_error ? html`<p class="error-text">Reason: ${channel.last_error}</p>` : null}
      <${QrCode} channel=${channel} />
      ${channel.provider === 'sandbox' && channel.status === 'qr' ? html`<${SimulateScan} channel=${channel} onChanged=${onChanged} />` : null}
      ${connected && link ? html`<${CurrentLink} link=${link} widgets=${widgets} onChanged=${onChanged} />` : null}
      ${connected ? html`<${LinkForm} key=${link ? `${link.widget_id}:${link.whatsapp_channel}` : 'none'} channel=${channel} link=${link} widgets=${widgets} onChanged=${onChanged} />` : null}
      <${DisconnectButton} channel=${channel} onChanged=${onChanged} onDone=${onDone} />
    </li>
  `;
}

function linkFor(channel, links) {
  if (!channel.phone || !links) return null;
  return links.find((l) => l.channel_id === channel.id) ?? links.find((l) => l.phone === channel.phone) ?? null;
}

function ConnectButton({ config, onCreated }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function connect() {
    setBusy(true);
    setError(null);
    try {
      await api('/api/whatsapp/channels', { method: 'POST', body: { provider: config.sandbox ? 'sandbox' : 'baileys' } });
      onCreated();
    } catch (failure) {
      setError(`Could not start the connection: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <div class="actions">
      <button type="button" class="primary" disabled=${busy} onClick=${connect}>Connect WhatsApp</button>
      <${Alert} message=${error} />
    </div>
  `;
}

export function IntegrationsScreen({ config, widgets, live }) {
  const channels = useLoader(() => api('/api/whatsapp/channels').then((body) => body?.channels ?? []), []);
  const links = useLoader(() => api('/api/whatsapp/links').then((body) => body?.links ?? []), []);
  const [done, setDone] = useState(null);
  const refresh = useDebounced(() => {
    channels.reload();
    links.reload();
  }, 150);

  useLiveEvents(live, (message) => {
    if (message.type === 'channel.status_changed' || message.type === 'resync') refresh();
  });
  // Also polled while a number is being connected, in case live updates are down.
  const waiting = (channels.data ?? []).some((c) => WAITING.includes(c.status));
  useInterval(channels.reload, QR_REFRESH_MS, waiting);

  const onChanged = () => {
    setDone(null);
    refresh();
  };

  return html`
    <h1 tabindex="-1">Integrations</h1>
    <section class="panel" aria-labelledby="whatsapp-heading">
      <h2 id="whatsapp-heading">WhatsApp</h2>
      <p class="lead">Connect your business WhatsApp number so Caty can answer your customers there.</p>
      <${ConnectButton} config=${config} onCreated=${onChanged} />
      <${Notice} message=${done} />
      ${channels.error ? html`<${Alert} message=${`Could not load your WhatsApp numbers: ${channels.error}`} />` : null}
      ${channels.data && channels.data.length === 0 ? html`<p class="empty">No WhatsApp number yet. Press “Connect WhatsApp” to start.</p>` : null}
      ${channels.data
        ? html`<ul class="cards">
            ${channels.data.map((c) => html`<${ChannelCard} key=${c.id} channel=${c} link=${linkFor(c, links.data)} widgets=${widgets}
              onChanged=${onChanged} onDone=${setDone} />`)}
          </ul>`
        : channels.error ? null : html`<p class="loading">Loading…</p>`}
    </section>
  `;
}
