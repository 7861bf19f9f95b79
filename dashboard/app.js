// The dashboard's entry: sign in, navigation and the screen for the current #/ address.

import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, describeError, forgetKey, onUnauthorized, storedKey, storeKey } from './api.js';
import { startLiveEvents } from './events.js';
import { Alert, html, useLoader } from './ui.js';
import { ChannelAlerts } from './channel-alerts.js';
import { ConversationsScreen } from './conversations.js';
import { IntegrationsScreen } from './integrations.js';
import { KnowledgeScreen } from './knowledge.js';
import { WidgetScreen } from './widget.js';
import { WebhooksScreen } from './webhooks.js';

const SCREENS = {
  conversations: { title: 'Conversations', component: ConversationsScreen },
  integrations: { title: 'Integrations', component: IntegrationsScreen },
  widget: { title: 'Widget', component: WidgetScreen },
  knowledge: { title: 'Knowledge', component: KnowledgeScreen },
  webhooks: { title: 'Webhooks', component: WebhooksScreen },
};
const DEFAULT_SCREEN = 'conversations';
const WIDGET_STORAGE = 'caty.widgetId';
const FALLBACK_CONFIG = { sandbox: false, temporal_ui_url: null, temporal_namespace: 'default' };

function currentScreen() {
  const name = location.hash.replace(/^#\/?/, '').split('/')[0];
  return SCREENS[name] ? name : DEFAULT_SCREEN;
}

function useHashRoute() {
  const [screen, setScreen] = useState(currentScreen);
  useEffect(() => {
    if (!SCREENS[location.hash.replace(/^#\/?/, '').split('/')[0]]) history.replaceState(null, '', `#/${DEFAULT_SCREEN}`);
    const onChange = () => setScreen(currentScreen());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return screen;
}

function SignIn({ onSignedIn, reason }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate) {
      setError('Enter your API key to sign in.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api('/api/widgets', { key: candidate });
      onSignedIn(candidate);
    } catch (failure) {
      const notAccepted = failure instanceof ApiError && failure.status === 401;
      setError(notAccepted ? `That API key was not accepted: ${failure.message}` : `Could not sign in: ${describeError(failure)}`);
      setBusy(false);
    }
  }

  return html`
    <main class="signin">
      <h1>Caty</h1>
      <p class="lead">Sign in to manage your assistant, your WhatsApp number and your conversations.</p>
      ${reason && !error ? html`<${Alert} message=${reason} />` : null}
      <form class="card" onSubmit=${submit} novalidate>
        <div class="field">
          <label for="api-key">API key</label>
          <input id="api-key" type="text" autocomplete="off" autocapitalize="off" spellcheck="false"
            value=${key} onInput=${(e) => setKey(e.currentTarget.value)}
            aria-invalid=${error ? 'true' : undefined} aria-describedby=${error ? 'signin-error' : undefined} />
        </div>
        <${Alert} message=${error} id="signin-error" />
        <button type="submit" class="primary" disabled=${busy}>Sign in</button>
        <p class="hint">Your key is kept only in this browser tab and is forgotten when you close it.</p>
      </form>
    </main>
  `;
}

function useSelectedWidget(widgets) {
  const [widgetId, setWidgetIdState] = useState(() => sessionStorage.getItem(WIDGET_STORAGE));
  const setWidgetId = useCallback((id) => {
    if (id) sessionStorage.setItem(WIDGET_STORAGE, id);
    else sessionStorage.removeItem(WIDGET_STORAGE);
    setWidgetIdState(id);
  }, []);
  // A widget chosen in an earlier session may be gone: fall back to the first one.
  const valid = widgets && widgets.some((w) => w.id === widgetId) ? widgetId : (widgets?.[0]?.id ?? null);
  return [valid, setWidgetId];
}

function useLiveConnection(apiKey) {
  const [live, setLive] = useState(null);
  const [state, setState] = useState('connecting');
  useEffect(() => {
    const connection = startLiveEvents({ key: apiKey, onState: setState });
    setLive(connection);
    return () => connection.stop();
  }, [apiKey]);
  return [live, state];
}

const LIVE_WORDS = { live: 'Live', connecting: 'Connecting to live updates…', reconnecting: 'Reconnecting to live updates…' };

function Dashboard({ apiKey, onSignOut }) {
  const screen = useHashRoute();
  const [live, liveState] = useLiveConnection(apiKey);
  const config = useLoader(() => api('/api/dashboard/config').catch(() => FALLBACK_CONFIG), []);
  const widgets = useLoader(() => api('/api/widgets').then((body) => body?.widgets ?? []), []);
  const [widgetId, setWidgetId] = useSelectedWidget(widgets.data);
  const mainRef = useRef(null);
  const firstScreen = useRef(true);

  useEffect(() => {
    document.title = `${SCREENS[screen].title} · Caty`;
    // Keyboard and screen reader users land on the new screen's heading, not at the old link.
    if (firstScreen.current) firstScreen.current = false;
    else mainRef.current?.querySelector('h1')?.focus();
  }, [screen]);

  const Screen = SCREENS[screen].component;
  const ready = config.data && widgets.data;

  return html`
    <header class="topbar">
      <a class="brand" href="#/conversations">Caty</a>
      <nav aria-label="Dashboard">
        ${Object.entries(SCREENS).map(([name, { title }]) => html`
          <a key=${name} href=${`#/${name}`} aria-current=${name === screen ? 'page' : undefined}>${title}</a>
        `)}
      </nav>
      <span class=${`live live-${liveState}`} role="status">${LIVE_WORDS[liveState] ?? ''}</span>
      <button type="button" class="link-button" onClick=${onSignOut}>Sign out</button>
    </header>
    <${ChannelAlerts} live=${live} />
    <main ref=${mainRef} class="screen">
      ${widgets.error && !widgets.data ? html`<${Alert} message=${`Could not load your widgets: ${widgets.error}`} />` : null}
      ${ready
        ? html`<${Screen}
            config=${config.data}
            widgets=${widgets.data}
            reloadWidgets=${widgets.reload}
            widgetId=${widgetId}
            setWidgetId=${setWidgetId}
            live=${live} />`
        : widgets.error ? null : html`<p class="loading">Loading…</p>`}
    </main>
  `;
}

function App() {
  const [apiKey, setApiKey] = useState(storedKey);
  const [reason, setReason] = useState(null);

  const signOut = useCallback((why = null) => {
    forgetKey();
    setReason(why);
    setApiKey(null);
  }, []);

  useEffect(() => {
    onUnauthorized((error) => signOut(`You were signed out because your API key is no longer accepted: ${error.message}`));
  }, [signOut]);

  if (!apiKey) {
    return html`<${SignIn} reason=${reason} onSignedIn=${(key) => {
      storeKey(key);
      setReason(null);
      setApiKey(key);
    }} />`;
  }
  return html`<${Dashboard} key=${apiKey} apiKey=${apiKey} onSignOut=${() => signOut()} />`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
