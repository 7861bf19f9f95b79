// A conversation asking for a person: a browser notification (with a short chime where the
// browser allows sound) for whoever is signed in, and a line at the top of every screen.

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, path } from './api.js';
import { html, useDebounced, useLiveEvents } from './ui.js';

function customerWords(c) {
  return c.channel === 'web' ? `A website visitor (${c.customer_phone.slice(-6)})` : c.customer_phone;
}

/** Two soft tones; browsers allow sound only after the person has used the page. */
function chime() {
  try {
    const context = new AudioContext();
    if (context.state !== 'running') return;
    for (const [i, frequency] of [880, 660].entries()) {
      const tone = context.createOscillator();
      const gain = context.createGain();
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.08, context.currentTime + i * 0.18);
      gain.gain.exponentialRampToValueAtTime(0.0001, context.currentTime + i * 0.18 + 0.16);
      tone.connect(gain).connect(context.destination);
      tone.start(context.currentTime + i * 0.18);
      tone.stop(context.currentTime + i * 0.18 + 0.17);
    }
  } catch {
    // No sound here: the notification and the banner still say it.
  }
}

function notify(conversation) {
  chime();
  if (!('Notification' in window) || Notification.permission !== 'granted') return;
  const notification = new Notification('A customer asks for a person', { body: `${customerWords(conversation)} is waiting in Caty.`, tag: conversation.id });
  notification.onclick = () => {
    window.focus();
    location.hash = '#/conversations';
  };
}

export function HandoffAlerts({ live, widgetId }) {
  const known = useRef(null);
  const [waiting, setWaiting] = useState([]);
  const [permission, setPermission] = useState(() => ('Notification' in window ? Notification.permission : 'unsupported'));

  async function check() {
    const body = await api(`${path`/api/widgets/${widgetId}/conversations`}?mode=handoff_requested&limit=50`).catch(() => null);
    if (!body) return;
    const now = body.conversations;
    // The first look only learns who is waiting already; later ones announce whoever is new.
    if (known.current) for (const c of now) if (!known.current.has(c.id)) notify(c);
    known.current = new Set(now.map((c) => c.id));
    setWaiting(now);
  }
  const refresh = useDebounced(check, 300);

  useEffect(() => {
    known.current = null;
    check();
  }, [widgetId]);
  useLiveEvents(live, (event) => {
    if (event.type === 'resync' || (event.type === 'conversation.updated' && event.data.widget_id === widgetId)) refresh();
  });

  async function allow() {
    setPermission(await Notification.requestPermission());
  }

  if (!waiting.length && permission !== 'default') return null;
  return html`
    <div class="handoff-alerts">
      ${waiting.length
        ? html`<p role="status"><a href="#/conversations">${waiting.length === 1 ? `${customerWords(waiting[0])} asks for a person` : `${waiting.length} customers ask for a person`}</a></p>`
        : null}
      ${permission === 'default' ? html`<button type="button" class="link-button" onClick=${allow} title="A notification and a chime when a customer wants a person">Turn on notifications</button>` : null}
    </div>
  `;
}
