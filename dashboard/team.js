// Team: the account's people (invite, remove) and the widget's saved replies. Changing either is
// an admin's (or the API key's) job; an agent sees the lists.

import { useState } from 'preact/hooks';
import { api, describeError, path } from './api.js';
import { Alert, html, Notice, useLoader, WidgetPicker } from './ui.js';

const ROLE_WORDS = { admin: 'Admin', agent: 'Agent' };

function People({ canManage, person }) {
  const people = useLoader(() => api('/api/users').then((b) => b.users), []);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState('agent');
  const [invited, setInvited] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function invite(event) {
    event.preventDefault();
    if (!email.trim() || !name.trim()) return setError('Enter the person\'s email and name.');
    setBusy(true);
    setError(null);
    setInvited(null);
    try {
      const created = await api('/api/users', { method: 'POST', body: { email: email.trim(), name: name.trim(), role } });
      setInvited(created);
      setEmail('');
      setName('');
      people.reload();
    } catch (failure) {
      setError(`Not invited: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  async function remove(user) {
    if (!confirm(`Remove ${user.name}? They are signed out at once.`)) return;
    try {
      await api(path`/api/users/${user.id}`, { method: 'DELETE' });
      people.reload();
    } catch (failure) {
      setError(`Not removed: ${describeError(failure)}`);
    }
  }

  return html`
    <section class="panel" aria-labelledby="people-heading">
      <h2 id="people-heading">People</h2>
      ${people.error ? html`<${Alert} message=${`Could not load the people: ${people.error}`} />` : null}
      ${people.data?.length
        ? html`<table>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Status</th>${canManage ? html`<th scope="col"><span class="visually-hidden">Actions</span></th>` : null}</tr></thead>
            <tbody>${people.data.map((u) => html`<tr key=${u.id}>
              <th scope="row">${u.name}</th><td>${u.email}</td><td>${ROLE_WORDS[u.role]}</td><td>${u.pending_invitation ? 'Invited' : 'Active'}</td>
              ${canManage ? html`<td>${person?.id === u.id ? null : html`<button type="button" class="link-button" onClick=${() => remove(u)}>Remove ${u.name}</button>`}</td>` : null}
            </tr>`)}</tbody>
          </table>`
        : people.data ? html`<p class="empty">Nobody yet: invite the people who answer your customers.</p>` : null}
      ${canManage
        ? html`<form class="invite" onSubmit=${invite} novalidate>
            <h3>Invite a person</h3>
            <div class="field"><label for="invite-email">Email</label><input id="invite-email" type="email" value=${email} onInput=${(e) => setEmail(e.currentTarget.value)} /></div>
            <div class="field"><label for="invite-name">Name</label><input id="invite-name" type="text" value=${name} onInput=${(e) => setName(e.currentTarget.value)} /></div>
            <div class="field"><label for="invite-role">Role</label>
              <select id="invite-role" value=${role} onChange=${(e) => setRole(e.currentTarget.value)}>
                <option value="agent">Agent: works conversations</option><option value="admin">Admin: also manages people, numbers, widgets and webhooks</option>
              </select>
            </div>
            <${Alert} message=${error} />
            <button type="submit" class="primary" disabled=${busy}>Invite</button>
          </form>`
        : null}
      ${invited
        ? html`<div class="invited">
            <${Notice} message=${`${invited.name} is invited. Send them this link: it sets their password, once, within 7 days.`} />
            <label for="invite-link">Invitation link</label>
            <input id="invite-link" type="text" readonly value=${invited.invite_url} onFocus=${(e) => e.currentTarget.select()} />
          </div>`
        : null}
    </section>
  `;
}

function SavedReplies({ widgets, widgetId, setWidgetId, canManage }) {
  const replies = useLoader(() => (widgetId ? api(path`/api/widgets/${widgetId}/canned-replies`).then((b) => b.canned_replies) : []), [widgetId]);
  const [shortcut, setShortcut] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState(null);

  async function save(event) {
    event.preventDefault();
    setError(null);
    try {
      await api(path`/api/widgets/${widgetId}/canned-replies`, { method: 'POST', body: { shortcut: shortcut.trim().replace(/^\//, '').toLowerCase(), text } });
      setShortcut('');
      setText('');
      replies.reload();
    } catch (failure) {
      setError(`Not saved: ${describeError(failure)}`);
    }
  }

  async function remove(reply) {
    try {
      await api(path`/api/widgets/${widgetId}/canned-replies/${reply.id}`, { method: 'DELETE' });
      replies.reload();
    } catch (failure) {
      setError(`Not removed: ${describeError(failure)}`);
    }
  }

  return html`
    <section class="panel" aria-labelledby="saved-heading">
      <h2 id="saved-heading">Saved replies</h2>
      <${WidgetPicker} widgets=${widgets} widgetId=${widgetId} onChange=${setWidgetId} id="saved-widget" />
      <p class="hint">Type / and the shortcut in a conversation's reply box to insert one.</p>
      ${replies.data?.length
        ? html`<ul class="saved-replies">${replies.data.map((r) => html`<li key=${r.id}><strong>/${r.shortcut}</strong> ${r.text}
            ${canManage ? html` <button type="button" class="link-button" onClick=${() => remove(r)}>Remove /${r.shortcut}</button>` : null}</li>`)}</ul>`
        : replies.data ? html`<p class="empty">No saved replies yet.</p>` : null}
      ${canManage && widgetId
        ? html`<form onSubmit=${save} novalidate>
            <div class="field"><label for="saved-shortcut">Shortcut</label><input id="saved-shortcut" type="text" value=${shortcut} onInput=${(e) => setShortcut(e.currentTarget.value)} /></div>
            <div class="field"><label for="saved-text">Reply text</label><textarea id="saved-text" rows="3" value=${text} onInput=${(e) => setText(e.currentTarget.value)}></textarea></div>
            <${Alert} message=${error} />
            <button type="submit">Save reply</button>
          </form>`
        : null}
    </section>
  `;
}

export function TeamScreen({ widgets, widgetId, setWidgetId, person }) {
  // The API key manages everything; a person only if an admin.
  const canManage = !person || person.role === 'admin';
  return html`
    <h1 tabindex="-1">Team</h1>
    <${People} canManage=${canManage} person=${person} />
    <${SavedReplies} widgets=${widgets} widgetId=${widgetId} setWidgetId=${setWidgetId} canManage=${canManage} />
  `;
}
