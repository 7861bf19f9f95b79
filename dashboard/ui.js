// Small pieces every screen uses: rendering, loading, live events, formatting.

import { h } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import htm from 'htm';
import { describeError } from './api.js';

export const html = htm.bind(h);

/**
 * Loads data with `load()` when `deps` change and on reload(); answers that arrive after a
 * newer request started are dropped, so a slow answer never overwrites a fresh one.
 */
export function useLoader(load, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const sequence = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const mine = ++sequence.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await loadRef.current();
      if (mine === sequence.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === sequence.current) setState((s) => ({ data: s.data, error: describeError(error), loading: false }));
    }
  }, []);

  useEffect(() => {
    setState({ data: null, error: null, loading: true });
    reload();
    // A request still in flight when deps change must not land on the new screen.
    return () => {
      sequence.current++;
    };
  }, deps);

  return { ...state, reload };
}

/** Calls the latest `handler` for every live event while mounted. */
export function useLiveEvents(live, handler) {
  const handlerRef = useRef(handler);
  handlerRef.current = handler;
  useEffect(() => (live ? live.subscribe((message) => handlerRef.current(message)) : undefined), [live]);
}

/** Runs `fn` at most once per `ms`, after the last call: a burst of events makes one refetch. */
export function useDebounced(fn, ms = 250) {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  const timer = useRef(null);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useCallback(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => fnRef.current(), ms);
  }, [ms]);
}

/** Calls `fn` every `ms` while `active`. */
export function useInterval(fn, ms, active) {
  const fnRef = useRef(fn);
  fnRef.current = fn;
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => fnRef.current(), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}

export function Alert({ message, id }) {
  if (!message) return null;
  return html`<p class="alert" role="alert" id=${id}>${message}</p>`;
}

export function Notice({ message }) {
  if (!message) return null;
  return html`<p class="notice" role="status">${message}</p>`;
}

/** The widget choice shared by the screens; shown even for one widget, so it is clear whose data this is. */
export function WidgetPicker({ widgets, widgetId, onChange, id = 'widget-picker' }) {
  if (!widgets?.length) return null;
  return html`
    <div class="field inline">
      <label for=${id}>Widget</label>
      <select id=${id} value=${widgetId ?? ''} onChange=${(e) => onChange(e.currentTarget.value)}>
        ${widgets.map((w) => html`<option key=${w.id} value=${w.id}>${w.name}</option>`)}
      </select>
    </div>
  `;
}

export function NoWidgetYet() {
  return html`<p class="empty">You have no widget yet. <a href="#/widget">Create one on the Widget page</a> first.</p>`;
}

export function formatTime(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

let languageNames = null;

export function languageName(code) {
  if (!code) return '—';
  try {
    languageNames ??= new Intl.DisplayNames([navigator.language || 'en'], { type: 'language' });
    const name = languageNames.of(code);
    return name && name !== code ? name : code;
  } catch {
    return code;
  }
}
