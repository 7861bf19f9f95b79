// The dashboard's entry: sign in, navigation and the screen for the current #/ address.

import { render } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { acceptInvitation, api, ApiError, currentPerson, describeError, forgetKey, onUnauthorized, signInWithPassword, signOutSession, storedKey, storeKey } from './api.js';
import { HandoffAlerts } from './handoff-alerts.js';
import { ReportsScreen } from './reports.js';
import { TeamScreen } from './team.js';
import { startLiveEvents } from './events.js';
import { Alert, html, Notice, useLoader } from './ui.js';
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
  reports: { title: 'Reports', component: ReportsScreen },
  team: { title: 'Team', component: TeamScreen },
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

/**
 * People sign in with their email and password (a session cookie); an API key still works, for
 * whoever holds the account's key. One form, one Sign in button: whichever was filled in is used.
 */
function SignIn({ onSignedIn, reason, notice }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [key, setKey] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    const candidate = key.trim();
    if (!candidate && (!email.trim() || !password)) {
      setError('Enter your email and password, or an API key, to sign in.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      if (candidate) {
        await api('/api/widgets', { key: candidate });
        onSignedIn({ key: candidate });
      } else {
        await signInWithPassword(email.trim(), password);
        onSignedIn({ person: await currentPerson() });
      }
    } catch (failure) {
      const notAccepted = failure instanceof ApiError && failure.status === 401;
      if (candidate) setError(notAccepted ? `That API key was not accepted: ${failure.message}` : `Could not sign in: ${describeError(failure)}`);
      else setError(notAccepted ? 'That email and password do not match. Check them and try again.' : `Could not sign in: ${describeError(failure)}`);
      setBusy(false);
    }
  }

  const invalid = error ? 'true' : undefined;
  const described = error ? 'signin-error' : undefined;
  return html`
    <main class="signin">
      <h1>Caty</h1>
      <p class="lead">Sign in to manage your assistant, your WhatsApp number and your conversations.</p>
      ${notice && !error ? html`<${Notice} message=${notice} />` : null}
      ${reason && !error ? html`<${Alert} message=${reason} />` : null}
      <form class="card" onSubmit=${submit} novalidate>
        <div class="field">
          <label for="signin-email">Email</label>
          <input id="signin-email" type="email" autocomplete="username" value=${email} onInput=${(e) => setEmail(e.currentTarget.value)}
            aria-invalid=${invalid} aria-describedby=${described} />
        </div>
        <div class="field">
          <label for="signin-password">Password</label>
          <input id="signin-password" type="password" autocomplete="current-password" value=${password} onInput=${(e) => setPassword(e.currentTarget.value)}
            aria-invalid=${invalid} aria-describedby=${described} />
        </div>
        <fieldset class="key-signin">
          <legend>Or with the account's API key</legend>
          <div class="field">
            <label for="api-key">API key</label>
            <input id="api-key" type="text" autocomplete="off" autocapitalize="off" spellcheck="false"
              value=${key} onInput=${(e) => setKey(e.currentTarget.value)}
              aria-invalid=${invalid} aria-describedby=${described} />
          </div>
        </fieldset>
        <${Alert} message=${error} id="signin-error" />
        <button type="submit" class="primary" disabled=${busy}>Sign in</button>
        <p class="hint">An API key is kept only in this browser tab and is forgotten when you close it.</p>
      </form>
    </main>
  `;
}

/** The page an invitation link opens: the invited person chooses their password. */
function Invitation({ token, onDone }) {
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (password.length < 10) return setError('Choose a password of at least 10 characters.');
    if (password !== again) return setError('The two passwords are not the same.');
    setBusy(true);
    setError(null);
    try {
      const person = await acceptInvitation(token, password);
      onDone(person.email);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return html`
    <main class="signin">
      <h1>Welcome to Caty</h1>
      <p class="lead">Choose the password you will sign in with.</p>
      <form class="card" onSubmit=${submit} novalidate>
        <div class="field">
          <label for="new-password">New password</label>
          <input id="new-password" type="password" autocomplete="new-password" value=${password} onInput=${(e) => setPassword(e.currentTarget.value)}
            aria-describedby="new-password-hint" />
          <p class="hint" id="new-password-hint">At least 10 characters.</p>
        </div>
        <div class="field">
          <label for="new-password-again">Repeat the password</label>
          <input id="new-password-again" type="password" autocomplete="new-password" value=${again} onInput=${(e) => setAgain(e.currentTarget.value)} />
        </div>
        <${Alert} message=${error} />
        <button type="submit" class="primary" disabled=${busy}>Set password</button>
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

function Dashboard({ apiKey, person, onSignOut }) {
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
      ${person ? html`<span class="signed-in">${person.name}</span>` : null}
      <button type="button" class="link-button" onClick=${onSignOut}>Sign out</button>
    </header>
    <${ChannelAlerts} live=${live} />
    ${widgetId ? html`<${HandoffAlerts} live=${live} widgetId=${widgetId} />` : null}
    <main ref=${mainRef} class="screen">
      ${widgets.error && !widgets.data ? html`<${Alert} message=${`Could not load your widgets: ${widgets.error}`} />` : null}
      ${ready
        ? html`<${Screen}
            config=${config.data}
            widgets=${widgets.data}
            reloadWidgets=${widgets.reload}
            widgetId=${widgetId}
            setWidgetId=${setWidgetId}
            person=${person}
            live=${live} />`
        : widgets.error ? null : html`<p class="loading">Loading…</p>`}
    </main>
  `;
}

const INVITATION = /^\/dashboard\/invite\/([A-Za-z0-9_-]+)$/;

function App() {
  // Signed in with an API key (kept for the tab), or a person by the session cookie (checked at start).
  const [apiKey, setApiKey] = useState(storedKey);
  const [person, setPerson] = useState(null);
  const [checking, setChecking] = useState(() => !storedKey() && !INVITATION.test(location.pathname));
  const [invitation, setInvitation] = useState(() => INVITATION.exec(location.pathname)?.[1] ?? null);
  const [reason, setReason] = useState(null);
  const [notice, setNotice] = useState(null);

  useEffect(() => {
    if (!checking) return;
    currentPerson()
      .then((me) => setPerson(me))
      .finally(() => setChecking(false));
  }, []);

  const signOut = useCallback((why = null) => {
    forgetKey();
    signOutSession();
    setReason(why);
    setApiKey(null);
    setPerson(null);
  }, []);

  useEffect(() => {
    onUnauthorized((error) => signOut(`You were signed out: ${error.message}`));
  }, [signOut]);

  if (invitation) {
    return html`<${Invitation} token=${invitation} onDone=${(email) => {
      history.replaceState(null, '', '/dashboard');
      setInvitation(null);
      setNotice(`Your password is set. Sign in with ${email}.`);
    }} />`;
  }
  if (checking) return html`<p class="loading">Loading…</p>`;
  if (!apiKey && !person) {
    return html`<${SignIn} reason=${reason} notice=${notice} onSignedIn=${(signedIn) => {
      if (signedIn.key) {
        storeKey(signedIn.key);
        setApiKey(signedIn.key);
      } else setPerson(signedIn.person);
      setReason(null);
      setNotice(null);
    }} />`;
  }
  return html`<${Dashboard} key=${apiKey ?? person.id} apiKey=${apiKey} person=${person} onSignOut=${() => signOut()} />`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
