// Widget: create a widget and edit its assistant, website (allowed origins, greeting, the script tag
// to copy), alerts, hours and handoff timers (its knowledge is on the Knowledge screen).

import { useRef, useState } from 'preact/hooks';
import { api, ApiError, describeError, path } from './api.js';
import { Alert, html, languageName, Notice, useLoader, WidgetPicker } from './ui.js';

const DEFAULT_AUTO_RESUME = 1800;
const DEFAULT_RESPONSE_TIMEOUT = 600;
const HOURS_EXAMPLE = '{\n  "timezone": "Europe/Bucharest",\n  "days": {\n    "mon": [["09:00", "18:00"]],\n    "sat": [["10:00", "14:00"]]\n  }\n}';

/** Form fields that API error paths can point at. */
const FIELDS = [
  'name', 'assistant_name', 'personality', 'default_language', 'admin_phones', 'allowed_origins', 'greeting.text', 'greeting',
  'notifications.lead_alerts', 'notifications.alert_channel', 'notifications.alert_phone', 'notifications',
  'business_hours.away_message', 'business_hours',
  'handoff.auto_resume_after', 'handoff.response_timeout', 'handoff.on_response_timeout', 'handoff',
];
function inputId(field) {
  return `w-${field.replace(/\./g, '-')}`;
}

function secondsText(value, fallback) {
  if (value === null) return '';
  return String(value ?? fallback);
}

function formFromWidget(widget) {
  const { away_message: away = '', ...hours } = widget.business_hours ?? {};
  return {
    name: widget.name ?? '',
    assistant_name: widget.assistant_name ?? '',
    personality: widget.personality ?? '',
    default_language: widget.default_language ?? '',
    admin_phones: (widget.admin_phones ?? []).join('\n'),
    allowed_origins: (widget.allowed_origins ?? []).join('\n'),
    greeting: widget.greeting?.text ?? '',
    greeting_translations: widget.greeting?.translations ?? null,
    lead_alerts: Boolean(widget.notifications?.lead_alerts),
    alert_channel: widget.notifications?.alert_channel ?? 'whatsapp',
    alert_phone: widget.notifications?.alert_phone ?? '',
    had_alert_phone: Boolean(widget.notifications?.alert_phone),
    business_hours: widget.business_hours ? JSON.stringify(hours, null, 2) : '',
    away_message: away,
    auto_resume_after: secondsText(widget.handoff?.auto_resume_after, DEFAULT_AUTO_RESUME),
    response_timeout: secondsText(widget.handoff?.response_timeout, DEFAULT_RESPONSE_TIMEOUT),
    on_response_timeout: widget.handoff?.on_response_timeout ?? 'resume',
    pause_on_business_reply: widget.handoff?.pause_on_business_reply ?? true,
    auto_assign: widget.handoff?.auto_assign ?? false,
  };
}

/** One origin per line; a page's full address ("https://shop.example/contact") is cut to its origin. */
function originsFromText(text) {
  return text.split('\n').map((line) => line.trim()).filter(Boolean).map((line) => {
    try {
      const url = new URL(line);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : line;
    } catch {
      return line;
    }
  });
}

/** Empty turns the timer off; digits are seconds; anything else ("30m") the API reads itself. */
function durationValue(text) {
  const value = text.trim();
  if (!value) return null;
  return /^\d+$/.test(value) ? Number(value) : value;
}

function parseHours(form, errors) {
  const text = form.business_hours.trim();
  const away = form.away_message.trim();
  if (!text) {
    if (away) errors['business_hours.away_message'] = ['Add your business hours first: the away message is sent outside them.'];
    return null;
  }
  let hours;
  try {
    hours = JSON.parse(text);
  } catch (error) {
    errors.business_hours = [`This is not valid JSON (${error.message}). Compare it with the example.`];
    return undefined;
  }
  if (!hours || typeof hours !== 'object' || Array.isArray(hours)) {
    errors.business_hours = ['Write the hours as an object with "timezone" and "days", like the example.'];
    return undefined;
  }
  return away ? { ...hours, away_message: away } : hours;
}

/** The settings as the API takes them, plus problems found before asking it. */
function settingsFromForm(form) {
  const errors = {};
  const settings = {
    name: form.name,
    assistant_name: form.assistant_name,
    personality: form.personality.trim() ? form.personality : null,
    default_language: form.default_language.trim(),
    admin_phones: form.admin_phones.split('\n').map((p) => p.trim()).filter(Boolean),
    allowed_origins: originsFromText(form.allowed_origins),
    // An emptied greeting goes back to the standard one, translations and all.
    greeting: form.greeting.trim() ? { text: form.greeting, ...(form.greeting_translations ? { translations: form.greeting_translations } : {}) } : null,
    notifications: {
      lead_alerts: form.lead_alerts,
      alert_channel: form.alert_channel,
      // An emptied field removes the phone; one never set stays absent.
      ...(form.alert_phone.trim() ? { alert_phone: form.alert_phone.trim() } : form.had_alert_phone ? { alert_phone: null } : {}),
    },
    business_hours: parseHours(form, errors),
    handoff: {
      auto_resume_after: durationValue(form.auto_resume_after),
      response_timeout: durationValue(form.response_timeout),
      on_response_timeout: form.on_response_timeout,
      pause_on_business_reply: form.pause_on_business_reply,
      auto_assign: form.auto_assign,
    },
  };
  return { settings, errors };
}

/** Only what the person changed is sent: untouched settings (and server defaults) stay as they are. */
function changedSettings(before, after) {
  const patch = {};
  for (const [key, value] of Object.entries(after)) {
    if (JSON.stringify(value) !== JSON.stringify(before[key])) patch[key] = value;
  }
  return patch;
}

/** The form field an API error path points at, or null when none does. */
export function fieldForPath(errorPath) {
  const segments = errorPath.split('.');
  for (let n = segments.length; n > 0; n--) {
    const candidate = segments.slice(0, n).join('.');
    if (FIELDS.includes(candidate)) return candidate;
  }
  return null;
}

function describeDetail(detail, field) {
  const line = (field === 'admin_phones' || field === 'allowed_origins') && /^\w+\.(\d+)$/.exec(detail.path);
  return line ? `Line ${Number(line[1]) + 1}: ${detail.message}` : detail.message;
}

/** Splits an API refusal into messages by field and those that fit no field. */
function errorsFromApi(error) {
  const byField = {};
  const general = [];
  for (const detail of error.details ?? []) {
    const field = fieldForPath(String(detail.path ?? ''));
    if (field) (byField[field] ??= []).push(describeDetail(detail, field));
    else general.push(detail.path ? `${detail.path}: ${detail.message}` : detail.message);
  }
  if (!error.details?.length) general.push(error.message);
  return { byField, general };
}

function FieldError({ field, errors }) {
  const messages = errors[field];
  if (!messages?.length) return null;
  return html`<p class="field-error" id=${`${inputId(field)}-error`}>${messages.join(' ')}</p>`;
}

function a11y(field, errors, hint = false) {
  const id = inputId(field);
  const describedBy = [hint ? `${id}-hint` : null, errors[field]?.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return { id, 'aria-invalid': errors[field]?.length ? 'true' : undefined, 'aria-describedby': describedBy || undefined };
}

/** `field` is the API's name for it: errors for that path are shown here. */
function TextField({ field, label, value, onValue, errors, hint, multiline = false, rows = 3, type = 'text', placeholder }) {
  const props = a11y(field, errors, Boolean(hint));
  const onInput = (e) => onValue(e.currentTarget.value);
  return html`
    <div class="field">
      <label for=${props.id}>${label}</label>
      ${multiline
        ? html`<textarea ...${props} rows=${rows} value=${value} onInput=${onInput} placeholder=${placeholder}></textarea>`
        : html`<input ...${props} type=${type} value=${value} onInput=${onInput} placeholder=${placeholder} />`}
      ${hint ? html`<p class="hint" id=${`${props.id}-hint`}>${hint}</p>` : null}
      <${FieldError} field=${field} errors=${errors} />
    </div>
  `;
}

/** Copies `text`; where the Clipboard API is refused (a page not served over https), through a selection. */
async function copyText(text, textarea) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    textarea.focus();
    textarea.select();
    return document.execCommand('copy');
  }
}

/** The web widget: which sites may show it, what it says first, the script tag to copy, the demo page. */
function Website({ widget, form, set, errors }) {
  const [copied, setCopied] = useState(null);
  const tagRef = useRef(null);
  const origin = location.origin;
  const tag = `<script src="${origin}/widget.js" data-widget="${widget.id}" async></script>`;
  const saved = widget.allowed_origins ?? [];
  const demoAllowed = saved.includes('*') || saved.includes(origin.toLowerCase());
  const inForm = originsFromText(form.allowed_origins).map((o) => o.toLowerCase()).includes(origin.toLowerCase());
  const translated = Object.keys(form.greeting_translations ?? {});

  async function copy() {
    setCopied((await copyText(tag, tagRef.current)) ? 'Copied.' : 'Could not copy: select the tag and copy it yourself.');
  }

  return html`
    <fieldset>
      <legend>Website</legend>
      <${TextField} field="allowed_origins" label="Allowed origins" value=${form.allowed_origins} onValue=${(v) => set('allowed_origins', v)}
        errors=${errors} multiline rows=${3} placeholder="https://shop.example"
        hint="The sites whose pages may show the chat, one per line, such as https://shop.example (a page's address is cut to its site). * allows any site. Until one is listed, every page is refused." />
      <${TextField} field="greeting.text" label="Greeting" value=${form.greeting} onValue=${(v) => set('greeting', v)}
        errors=${errors} multiline rows=${3}
        hint="What the chat says when a visitor opens it, in the default language. Leave empty for the standard greeting, with the assistant's name, in the visitor's language." />
      ${translated.length ? html`<p class="hint">This greeting is also written in ${translated.map(languageName).join(', ')}; those translations are kept.</p>` : null}
      <${FieldError} field="greeting" errors=${errors} />
      <div class="field">
        <label for="w-script-tag">Script tag for your site</label>
        <textarea id="w-script-tag" ref=${tagRef} rows="2" readonly value=${tag} aria-describedby="w-script-tag-hint"></textarea>
        <p class="hint" id="w-script-tag-hint">Paste it into your site's pages, before the closing body tag.</p>
        <button type="button" onClick=${copy}>Copy</button>
        <${Notice} message=${copied} />
      </div>
      <p>
        <a href=${`/demo?widget=${encodeURIComponent(widget.id)}`} target="_blank" rel="noopener">Try it</a>
        <span class="hint"> on the demo page (a new tab), where this widget answers as on your site.</span>
      </p>
      ${demoAllowed ? null : html`
        <p class="hint">
          The demo page is on ${origin}, which this widget does not allow yet${inForm ? ': save to allow it.' : '. '}
          ${inForm ? null : html`<button type="button" class="link-button" onClick=${() => set('allowed_origins', [form.allowed_origins.trim(), origin].filter(Boolean).join('\n'))}>Add ${origin} to the allowed origins</button>, then save.`}
        </p>`}
    </fieldset>
  `;
}

function LeadAlerts({ form, set, errors }) {
  const checkbox = a11y('notifications.lead_alerts', errors);
  const channel = a11y('notifications.alert_channel', errors);
  return html`
    <fieldset>
      <legend>Lead alerts</legend>
      <div class="field checkbox">
        <input ...${checkbox} type="checkbox" checked=${form.lead_alerts} onChange=${(e) => set('lead_alerts', e.currentTarget.checked)} />
        <label for=${checkbox.id}>Send lead alerts</label>
        <${FieldError} field="notifications.lead_alerts" errors=${errors} />
      </div>
      <div class="field">
        <label for=${channel.id}>Send alerts by</label>
        <select ...${channel} value=${form.alert_channel} onChange=${(e) => set('alert_channel', e.currentTarget.value)}>
          <option value="whatsapp">WhatsApp message</option>
          <option value="webhook">Webhook</option>
        </select>
        <${FieldError} field="notifications.alert_channel" errors=${errors} />
      </div>
      <${TextField} field="notifications.alert_phone" label="Alert phone" value=${form.alert_phone}
        onValue=${(v) => set('alert_phone', v)} errors=${errors} type="tel" placeholder="+40721234567"
        hint="The WhatsApp number that gets “New Lead Captured!” messages." />
      <${FieldError} field="notifications" errors=${errors} />
    </fieldset>
  `;
}

function HandoffTimers({ form, set, errors }) {
  const choice = a11y('handoff.on_response_timeout', errors);
  return html`
    <fieldset>
      <legend>When a person takes over</legend>
      <${TextField} field="handoff.auto_resume_after" label="Resume Caty after the agent is silent for (seconds)"
        value=${form.auto_resume_after} onValue=${(v) => set('auto_resume_after', v)} errors=${errors}
        hint="For example 1800 (30 minutes), or 30m, 2h. Leave empty so Caty never resumes by herself." />
      <${TextField} field="handoff.response_timeout" label="Wait for a person before following up (seconds)"
        value=${form.response_timeout} onValue=${(v) => set('response_timeout', v)} errors=${errors}
        hint="When a customer asks for a person. For example 600 (10 minutes). Leave empty to wait without a follow-up." />
      <div class="field">
        <label for=${choice.id}>When nobody answers in time</label>
        <select ...${choice} value=${form.on_response_timeout} onChange=${(e) => set('on_response_timeout', e.currentTarget.value)}>
          <option value="resume">Caty answers again</option>
          <option value="wait">Keep waiting for a person</option>
        </select>
        <${FieldError} field="handoff.on_response_timeout" errors=${errors} />
      </div>
      <div class="field checkbox">
        <input id="pause-on-business-reply" type="checkbox" checked=${form.pause_on_business_reply} onChange=${(e) => set('pause_on_business_reply', e.currentTarget.checked)} />
        <label for="pause-on-business-reply">A reply typed on the business phone or sent from the dashboard takes the conversation over</label>
      </div>
      <div class="field checkbox">
        <input id="auto-assign" type="checkbox" checked=${form.auto_assign} onChange=${(e) => set('auto_assign', e.currentTarget.checked)} />
        <label for="auto-assign">Assign a customer who asks for a person to the signed-in team member with the fewest open conversations</label>
      </div>
      <${FieldError} field="handoff" errors=${errors} />
    </fieldset>
  `;
}

function BusinessHours({ form, set, errors }) {
  return html`
    <fieldset>
      <legend>Business hours</legend>
      <${TextField} field="business_hours" label="Business hours" value=${form.business_hours} onValue=${(v) => set('business_hours', v)}
        errors=${errors} multiline rows=${8}
        placeholder=${HOURS_EXAMPLE}
        hint="Opening times per day (mon to sun) in your time zone; a day left out is closed. Leave empty to answer at all hours." />
      <${TextField} field="business_hours.away_message" label="Away message" value=${form.away_message}
        onValue=${(v) => set('away_message', v)} errors=${errors} multiline rows=${2}
        hint="Sent once when a customer writes while you are closed. Leave empty for the standard message." />
    </fieldset>
  `;
}

function WidgetEditor({ widget: loaded, onSaved }) {
  // The widget as last saved: what the website section says is allowed now.
  const [widget, setWidget] = useState(loaded);
  const [form, setForm] = useState(() => formFromWidget(widget));
  const [baseline, setBaseline] = useState(() => settingsFromForm(formFromWidget(widget)).settings);
  const [errors, setErrors] = useState({});
  const [general, setGeneral] = useState(null);
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (key, value) => setForm((f) => ({ ...f, [key]: value }));

  async function save(event) {
    event.preventDefault();
    setNotice(null);
    setGeneral(null);
    const { settings, errors: local } = settingsFromForm(form);
    if (Object.keys(local).length) {
      setErrors(local);
      setGeneral('Nothing was saved. Please fix the fields marked below.');
      return;
    }
    setErrors({});
    const patch = changedSettings(baseline, settings);
    if (!Object.keys(patch).length) {
      setNotice('Nothing to save: you have not changed anything.');
      return;
    }
    setBusy(true);
    try {
      // One request, so a refusal leaves everything as it was.
      const saved = await api(path`/api/widgets/${widget.id}`, { method: 'PATCH', body: patch });
      const fresh = formFromWidget(saved);
      setWidget(saved);
      setForm(fresh);
      setBaseline(settingsFromForm(fresh).settings);
      setNotice('Saved.');
      onSaved(saved);
    } catch (failure) {
      if (failure instanceof ApiError && (failure.status === 400 || failure.status === 422)) {
        const { byField, general: unplaced } = errorsFromApi(failure);
        setErrors(byField);
        setGeneral(['Nothing was saved. Please fix the fields marked below.', ...unplaced].join(' '));
      } else {
        setGeneral(`Nothing was saved: ${describeError(failure)}`);
      }
    } finally {
      setBusy(false);
    }
  }

  const field = (name, label, extra = {}) =>
    html`<${TextField} field=${name} label=${label} value=${form[name]} onValue=${(v) => set(name, v)} errors=${errors} ...${extra} />`;
  return html`
    <form class="widget-form" onSubmit=${save} novalidate>
      <fieldset>
        <legend>Assistant</legend>
        ${field('name', 'Name', { hint: 'For you: how this widget is called in the dashboard.' })}
        ${field('assistant_name', 'Assistant name', { hint: 'The name the assistant gives itself when talking to customers.' })}
        ${field('personality', 'Personality', { multiline: true, rows: 4, hint: 'How the assistant should sound, e.g. “Friendly and brief, uses the customer’s first name.”' })}
        ${field('default_language', 'Default language', { hint: `Two-letter code, e.g. ro or en. Now: ${languageName(form.default_language.trim())}.` })}
        ${field('admin_phones', 'Admin phones', { multiline: true, rows: 3, placeholder: '+40721234567', hint: 'One number per line. Messages “PREIA” (take over) and “/caty on” (resume) from these numbers count as yours.' })}
      </fieldset>
      <${Website} widget=${widget} form=${form} set=${set} errors=${errors} />
      <${LeadAlerts} form=${form} set=${set} errors=${errors} />
      <${BusinessHours} form=${form} set=${set} errors=${errors} />
      <${HandoffTimers} form=${form} set=${set} errors=${errors} />
      <p class="hint">The questions Caty answers, and the websites and documents she learns from, are on the <a href="#/knowledge">Knowledge</a> page.</p>
      <div class="form-footer">
        <${Alert} message=${general} />
        <${Notice} message=${notice} />
        <button type="submit" class="primary" disabled=${busy}>Save</button>
      </div>
    </form>
  `;
}

function CreateWidget({ onCreated, first }) {
  const [name, setName] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  async function submit(event) {
    event.preventDefault();
    if (!name.trim()) {
      setError('Give the new widget a name.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const widget = await api('/api/widgets', { method: 'POST', body: { name: name.trim() } });
      setName('');
      onCreated(widget);
    } catch (failure) {
      setError(`Could not create the widget: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }

  return html`
    <form class="inline-form create-widget" onSubmit=${submit} novalidate>
      ${first ? html`<p>Create your first widget: the assistant that answers your customers.</p>` : null}
      <div class="field">
        <label for="new-widget-name">New widget name</label>
        <input id="new-widget-name" type="text" value=${name} onInput=${(e) => setName(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled=${busy}>Create widget</button>
      <${Alert} message=${error} />
    </form>
  `;
}

export function WidgetScreen({ widgets, reloadWidgets, widgetId, setWidgetId }) {
  const current = useLoader(() => (widgetId ? api(path`/api/widgets/${widgetId}`) : null), [widgetId]);
  const [created, setCreated] = useState(null);

  async function onCreated(widget) {
    // The new widget must be in the list before it can be the selected one.
    await reloadWidgets();
    setWidgetId(widget.id);
    setCreated({ id: widget.id, message: `Widget “${widget.name}” created. Fill in its settings below.` });
  }

  return html`
    <h1 tabindex="-1">Widget</h1>
    <div class="toolbar">
      <${WidgetPicker} widgets=${widgets} widgetId=${widgetId} onChange=${setWidgetId} />
      <${CreateWidget} onCreated=${onCreated} first=${widgets.length === 0} />
    </div>
    <${Notice} message=${created?.id === widgetId ? created.message : null} />
    ${current.error ? html`<${Alert} message=${`Could not load the widget: ${current.error}`} />` : null}
    ${current.data && current.data.id === widgetId
      ? html`<section class="panel"><${WidgetEditor} key=${current.data.id} widget=${current.data} onSaved=${reloadWidgets} /></section>`
      : widgetId && !current.error ? html`<p class="loading">Loading…</p>` : null}
  `;
}
