// A banner above every screen while a WhatsApp number is down: logged out, or away longer than the
// service's alert threshold (the channel's `alert`, set by the server). It goes once the number
// is connected again.

import { useState } from 'preact/hooks';
import { api, describeError, path } from './api.js';
import { Alert, formatTime, html, useDebounced, useLiveEvents, useLoader } from './ui.js';

const WAITING_FOR_SCAN = ['pending', 'qr', 'connecting'];

function ChannelAlert({ channel, onChanged }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const number = channel.phone ?? 'Your WhatsApp number';
  const what =
    channel.alert.status === 'logged_out'
      ? `${number} was logged out of WhatsApp`
      : `${number} has been disconnected${channel.alert.since ? ` since ${formatTime(channel.alert.since)}` : ''}`;

  async function scanAgain() {
    setBusy(true);
    setError(null);
    try {
      await api(path`/api/whatsapp/channels/${channel.id}/rescan`, { method: 'POST' });
      location.hash = '#/integrations';
      onChanged();
    } catch (failure) {
      setError(`Could not start a new scan: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <div class="banner-item">
      <p><strong>${what}.</strong> Customers who write to it get no answer until it is connected again.</p>
      ${WAITING_FOR_SCAN.includes(channel.status)
        ? html`<p>A new QR code is waiting: <a href="#/integrations">scan it in Integrations</a>.</p>`
        : html`<button type="button" class="primary" disabled=${busy} onClick=${scanAgain}>Scan again</button>`}
      <${Alert} message=${error} />
    </div>
  `;
}

export function ChannelAlerts({ live }) {
  const channels = useLoader(() => api('/api/whatsapp/channels').then((body) => body?.channels ?? []), []);
  const refresh = useDebounced(channels.reload, 150);
  useLiveEvents(live, (message) => {
    if (message.type === 'channel.status_changed' || message.type === 'resync') refresh();
  });
  const down = (channels.data ?? []).filter((c) => c.alert);
  if (!down.length) return null;
  return html`
    <section class="banner" role="alert" aria-labelledby="channel-alerts-heading">
      <h2 id="channel-alerts-heading">WhatsApp needs your attention</h2>
      ${down.map((c) => html`<${ChannelAlert} key=${c.id} channel=${c} onChanged=${refresh} />`)}
    </section>
  `;
}
