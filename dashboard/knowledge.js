// Knowledge: what Caty answers from. Websites and documents (crawled, with each page's status),
// a box to try a question, the questions nothing answered, and the typed answers.

import { useState } from 'preact/hooks';
import { api, apiUpload, describeError, path } from './api.js';
import { Alert, formatTime, html, NoWidgetYet, Notice, useInterval, useLoader, WidgetPicker } from './ui.js';

const STATUS_WORDS = { queued: 'Queued', running: 'Reading…', ready: 'Ready', failed: 'Failed' };
const PAGE_WORDS = { pending: 'Waiting', indexed: 'Read', unchanged: 'Unchanged', skipped: 'Skipped', failed: 'Failed' };

function sourceName(source) {
  return source.url ?? source.filename ?? source.id;
}

function AddWebsite({ widgetId, onAdded }) {
  const [url, setUrl] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    if (!url.trim()) return setError('Enter the address of your website, such as https://www.example.com.');
    setBusy(true);
    setError(null);
    try {
      await api(path`/api/widgets/${widgetId}/sources`, { method: 'POST', body: { type: 'website', url: url.trim() } });
      setUrl('');
      onAdded();
    } catch (failure) {
      setError(`The website was not added: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }
  return html`
    <form class="inline-form" onSubmit=${submit} novalidate>
      <div class="field">
        <label for="website-address">Website address</label>
        <input id="website-address" type="url" inputmode="url" placeholder="https://www.example.com" value=${url}
          onInput=${(e) => setUrl(e.currentTarget.value)} aria-describedby="website-hint" />
      </div>
      <button type="submit" class="primary" disabled=${busy}>Add website</button>
      <p class="hint" id="website-hint">Caty reads up to 50 pages of the site (those its robots.txt allows) and reads them again every week.</p>
      <${Alert} message=${error} />
    </form>
  `;
}

function UploadDocument({ widgetId, onAdded }) {
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  async function submit(event) {
    event.preventDefault();
    const file = event.currentTarget.elements.document.files[0];
    if (!file) return setError('Choose a PDF, Word (DOCX), HTML, Markdown or text file first.');
    setBusy(true);
    setError(null);
    try {
      await apiUpload(`${path`/api/widgets/${widgetId}/sources/files`}?filename=${encodeURIComponent(file.name)}`, file);
      event.currentTarget.reset();
      onAdded();
    } catch (failure) {
      setError(`The document was not added: ${describeError(failure)}`);
    } finally {
      setBusy(false);
    }
  }
  return html`
    <form class="inline-form" onSubmit=${submit} novalidate>
      <div class="field">
        <label for="document-file">Upload a document</label>
        <input id="document-file" name="document" type="file" accept=".pdf,.docx,.html,.htm,.md,.markdown,.txt" />
      </div>
      <button type="submit" disabled=${busy}>Upload</button>
      <${Alert} message=${error} />
    </form>
  `;
}

function SourcePages({ sourceId }) {
  const detail = useLoader(() => api(path`/api/sources/${sourceId}`), [sourceId]);
  if (detail.error) return html`<${Alert} message=${`Could not load the pages: ${detail.error}`} />`;
  if (!detail.data) return html`<p class="loading">Loading…</p>`;
  if (!detail.data.pages.length) return html`<p class="empty">No pages yet.</p>`;
  return html`
    <table class="pages">
      <thead><tr><th scope="col">Page</th><th scope="col">Status</th><th scope="col">Passages</th></tr></thead>
      <tbody>
        ${detail.data.pages.map((p) => html`
          <tr key=${p.url}>
            <td><span class="page-title">${p.title || p.url}</span><br /><code>${p.url}</code></td>
            <td>${PAGE_WORDS[p.status] ?? p.status}${p.error ? html`<br /><span class="error-text">${p.error}</span>` : null}</td>
            <td>${p.passages}</td>
          </tr>`)}
      </tbody>
    </table>
  `;
}

function Source({ source, onChanged }) {
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const [open, setOpen] = useState(false);
  const name = sourceName(source);
  const working = source.status === 'queued' || source.status === 'running';
  async function act(method, url, done) {
    setError(null);
    setNotice(null);
    try {
      await api(url, { method });
      setNotice(done);
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    }
  }
  return html`
    <li class="card source">
      <h3>${name}</h3>
      <p>
        <span class=${`status-word source-${source.status}`}>${STATUS_WORDS[source.status] ?? source.status}</span>
        ${' '}${source.pages_done} of ${source.pages_total} ${source.type === 'file' ? 'document' : 'pages'} read · ${source.passages} passages
        ${source.last_synced_at ? html` · last read ${formatTime(source.last_synced_at)}` : null}
      </p>
      ${working ? html`<progress max=${Math.max(1, source.pages_total)} value=${source.pages_done} aria-label=${`Reading ${name}`}></progress>` : null}
      ${source.error ? html`<p class="error-text">${source.error}</p>` : null}
      <div class="actions">
        <button type="button" onClick=${() => act('POST', path`/api/sources/${source.id}/sync`, 'Caty will read it again now.')} aria-label=${`Sync now: ${name}`}>Sync now</button>
        <button type="button" class="danger" onClick=${() => act('DELETE', path`/api/sources/${source.id}`, null)} aria-label=${`Remove ${name}`}>Remove</button>
        <button type="button" class="link-button" aria-expanded=${open ? 'true' : 'false'} onClick=${() => setOpen(!open)}>${open ? 'Hide pages' : 'Show pages'}</button>
      </div>
      <${Notice} message=${notice} />
      <${Alert} message=${error} />
      ${open ? html`<${SourcePages} sourceId=${source.id} key=${`${source.id}:${source.pages_done}:${source.status}`} />` : null}
    </li>
  `;
}

function TryQuestion({ widgetId }) {
  const [question, setQuestion] = useState('');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  async function submit(event) {
    event.preventDefault();
    if (!question.trim()) return setError('Type a question as a customer would ask it.');
    setError(null);
    try {
      setResult(await api(path`/api/widgets/${widgetId}/knowledge/try`, { method: 'POST', body: { question: question.trim() } }));
    } catch (failure) {
      setError(describeError(failure));
    }
  }
  const answer = result?.answer;
  return html`
    <section class="panel" aria-labelledby="try-heading">
      <h2 id="try-heading">Try a question</h2>
      <form class="inline-form" onSubmit=${submit} novalidate>
        <div class="field">
          <label for="try-question">Question</label>
          <input id="try-question" type="text" value=${question} onInput=${(e) => setQuestion(e.currentTarget.value)} />
        </div>
        <button type="submit">Ask</button>
        <${Alert} message=${error} />
      </form>
      ${result ? html`
        <div class="note try-answer" role="status">
          ${answer
            ? html`<p class="answer-text">${answer.text}</p>
                <p class="hint">Source: ${answer.source.kind === 'entry'
                  ? html`your typed answer “${answer.source.question}”`
                  : html`<a href=${answer.source.url.startsWith('http') ? answer.source.url : undefined}>${answer.source.title || answer.source.url}</a>`}</p>`
            : html`<p>No answer: a customer would be told Caty does not know and offered a person.</p>`}
        </div>` : null}
    </section>
  `;
}

function Unanswered({ widgetId, onAnswered, version }) {
  const list = useLoader(() => api(path`/api/widgets/${widgetId}/unanswered`), [widgetId, version]);
  const [adding, setAdding] = useState(null);
  const [answer, setAnswer] = useState('');
  const [error, setError] = useState(null);
  async function save(event) {
    event.preventDefault();
    if (!answer.trim()) return setError('Write the answer Caty should give.');
    setError(null);
    try {
      await onAnswered({ question: adding, answer: answer.trim() });
      setAdding(null);
      setAnswer('');
    } catch (failure) {
      setError(`The answer was not saved: ${describeError(failure)}`);
    }
  }
  const questions = list.data?.questions ?? [];
  return html`
    <section class="panel" aria-labelledby="unanswered-heading">
      <h2 id="unanswered-heading">Questions Caty could not answer</h2>
      ${list.error ? html`<${Alert} message=${list.error} />` : null}
      ${list.data && !questions.length ? html`<p class="empty">None in the last 30 days.</p>` : null}
      <ul class="unanswered">
        ${questions.map((q) => html`
          <li key=${q.question}>
            <p><strong>${q.question}</strong> <span class="hint">asked ${q.count} ${q.count === 1 ? 'time' : 'times'}, last ${formatTime(q.latest_at)}</span></p>
            ${q.examples.length ? html`<p class="hint">Also: ${q.examples.join(' · ')}</p>` : null}
            ${adding === q.question
              ? html`<form onSubmit=${save} novalidate>
                  <div class="field">
                    <label for="new-answer">Answer to “${q.question}”</label>
                    <textarea id="new-answer" rows="3" value=${answer} onInput=${(e) => setAnswer(e.currentTarget.value)}></textarea>
                  </div>
                  <${Alert} message=${error} />
                  <div class="actions"><button type="submit" class="primary">Save answer</button><button type="button" onClick=${() => setAdding(null)}>Cancel</button></div>
                </form>`
              : html`<button type="button" onClick=${() => { setAdding(q.question); setAnswer(''); setError(null); }} aria-label=${`Add an answer: ${q.question}`}>Add an answer</button>`}
          </li>`)}
      </ul>
    </section>
  `;
}

let nextKey = 1;
const entryForm = (entry) => ({
  key: nextKey++,
  question: entry.question ?? '',
  answer: entry.answer ?? '',
  alternatives: (entry.alternatives ?? []).join('\n'),
  translations: Object.entries(entry.translations ?? {}).map(([language, t]) => ({ key: nextKey++, language, question: t.question ?? '', answer: t.answer ?? '', alternatives: (t.alternatives ?? []).join('\n') })),
});
const lines = (text) => text.split('\n').map((l) => l.trim()).filter(Boolean);
function entryBody(form) {
  const translations = Object.fromEntries(form.translations.filter((t) => t.language.trim()).map((t) => [t.language.trim().toLowerCase(), {
    ...(t.question.trim() ? { question: t.question } : {}), answer: t.answer, ...(lines(t.alternatives).length ? { alternatives: lines(t.alternatives) } : {}),
  }]));
  return { question: form.question, answer: form.answer, ...(lines(form.alternatives).length ? { alternatives: lines(form.alternatives) } : {}), ...(Object.keys(translations).length ? { translations } : {}) };
}

function TypedAnswers({ widget, onSaved }) {
  const [entries, setEntries] = useState(() => (widget.knowledge_base ?? []).map(entryForm));
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState(null);
  const update = (key, change) => setEntries((list) => list.map((e) => (e.key === key ? { ...e, ...change } : e)));
  async function save(event) {
    event.preventDefault();
    setError(null);
    setNotice(null);
    try {
      const saved = await api(path`/api/widgets/${widget.id}/knowledge`, { method: 'PUT', body: entries.map(entryBody) });
      setEntries(saved.knowledge_base.map(entryForm));
      setNotice('Saved.');
      onSaved();
    } catch (failure) {
      setError(`Nothing was saved: ${describeError(failure)}`);
    }
  }
  return html`
    <section class="panel" aria-labelledby="typed-heading">
      <h2 id="typed-heading">Typed answers</h2>
      <p class="hint">Questions and answers you write yourself, in the widget's default language (${widget.default_language}). They come before anything read from your pages.</p>
      <form onSubmit=${save} novalidate>
        ${entries.length === 0 ? html`<p class="empty">No typed answers yet.</p>` : null}
        <ol class="kb">
          ${entries.map((e, i) => html`
            <li class="kb-entry" key=${e.key}>
              <div class="field"><label for=${`q-${e.key}`}>Question ${i + 1}</label>
                <input id=${`q-${e.key}`} type="text" value=${e.question} onInput=${(ev) => update(e.key, { question: ev.currentTarget.value })} /></div>
              <div class="field"><label for=${`a-${e.key}`}>Answer ${i + 1}</label>
                <textarea id=${`a-${e.key}`} rows="3" value=${e.answer} onInput=${(ev) => update(e.key, { answer: ev.currentTarget.value })}></textarea></div>
              <div class="field"><label for=${`alt-${e.key}`}>Other ways to ask question ${i + 1}</label>
                <textarea id=${`alt-${e.key}`} rows="2" value=${e.alternatives} onInput=${(ev) => update(e.key, { alternatives: ev.currentTarget.value })}></textarea>
                <p class="hint">One per line.</p></div>
              ${e.translations.map((t) => html`
                <fieldset key=${t.key} class="translation">
                  <legend>Translation of question ${i + 1}</legend>
                  <div class="field"><label for=${`tl-${t.key}`}>Language code</label>
                    <input id=${`tl-${t.key}`} type="text" maxlength="2" value=${t.language} onInput=${(ev) => update(e.key, { translations: e.translations.map((x) => (x.key === t.key ? { ...x, language: ev.currentTarget.value } : x)) })} /></div>
                  <div class="field"><label for=${`tq-${t.key}`}>Translated question</label>
                    <input id=${`tq-${t.key}`} type="text" value=${t.question} onInput=${(ev) => update(e.key, { translations: e.translations.map((x) => (x.key === t.key ? { ...x, question: ev.currentTarget.value } : x)) })} /></div>
                  <div class="field"><label for=${`ta-${t.key}`}>Translated answer</label>
                    <textarea id=${`ta-${t.key}`} rows="2" value=${t.answer} onInput=${(ev) => update(e.key, { translations: e.translations.map((x) => (x.key === t.key ? { ...x, answer: ev.currentTarget.value } : x)) })}></textarea></div>
                  <button type="button" class="link-button danger-text" onClick=${() => update(e.key, { translations: e.translations.filter((x) => x.key !== t.key) })}>Remove translation</button>
                </fieldset>`)}
              <div class="actions">
                <button type="button" onClick=${() => update(e.key, { translations: [...e.translations, { key: nextKey++, language: '', question: '', answer: '', alternatives: '' }] })}>Add translation</button>
                <button type="button" class="link-button danger-text" aria-label=${`Remove question ${i + 1}`} onClick=${() => setEntries((list) => list.filter((x) => x.key !== e.key))}>Remove</button>
              </div>
            </li>`)}
        </ol>
        <div class="actions">
          <button type="button" onClick=${() => setEntries((list) => [...list, entryForm({})])}>Add question</button>
          <button type="submit" class="primary">Save typed answers</button>
        </div>
        <${Alert} message=${error} />
        <${Notice} message=${notice} />
      </form>
    </section>
  `;
}

export function KnowledgeScreen({ widgets, widgetId, setWidgetId }) {
  const sources = useLoader(() => (widgetId ? api(path`/api/widgets/${widgetId}/sources`) : null), [widgetId]);
  const widget = useLoader(() => (widgetId ? api(path`/api/widgets/${widgetId}`) : null), [widgetId]);
  const [version, setVersion] = useState(0);
  const working = (sources.data?.sources ?? []).some((s) => s.status === 'queued' || s.status === 'running');
  useInterval(() => sources.reload(), 1500, working);
  if (!widgets.length) return html`<h1 tabindex="-1">Knowledge</h1><${NoWidgetYet} />`;

  async function addAnswer(entry) {
    const current = await api(path`/api/widgets/${widgetId}`);
    await api(path`/api/widgets/${widgetId}/knowledge`, { method: 'PUT', body: [...current.knowledge_base, entry] });
    await widget.reload();
    setVersion((v) => v + 1);
  }

  const list = sources.data?.sources ?? [];
  return html`
    <h1 tabindex="-1">Knowledge</h1>
    <div class="toolbar"><${WidgetPicker} widgets=${widgets} widgetId=${widgetId} onChange=${setWidgetId} /></div>
    <section class="panel" aria-labelledby="sources-heading">
      <h2 id="sources-heading">Websites and documents</h2>
      <${AddWebsite} widgetId=${widgetId} onAdded=${sources.reload} />
      <${UploadDocument} widgetId=${widgetId} onAdded=${sources.reload} />
      ${sources.error ? html`<${Alert} message=${`Could not load the sources: ${sources.error}`} />` : null}
      ${sources.data && !list.length ? html`<p class="empty">Nothing yet: add your website or a document.</p>` : null}
      <ul class="cards">${list.map((s) => html`<${Source} key=${s.id} source=${s} onChanged=${sources.reload} />`)}</ul>
    </section>
    <${TryQuestion} widgetId=${widgetId} />
    <${Unanswered} widgetId=${widgetId} onAnswered=${addAnswer} version=${version} />
    ${widget.data && widget.data.id === widgetId
      ? // Made afresh when an answer is added from the list, not when it saves itself (it would lose its "Saved.").
        html`<${TypedAnswers} key=${`${widget.data.id}:${version}`} widget=${widget.data} onSaved=${widget.reload} />`
      : null}
  `;
}
