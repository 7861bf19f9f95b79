// The one way the dashboard talks to the Caty API: the API key, JSON, and its error shape.

const KEY_STORAGE = 'caty.apiKey';

/** An API answer that was not a success, in the API's own words. */
export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
  }
}

export function storedKey() {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function storeKey(key) {
  sessionStorage.setItem(KEY_STORAGE, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY_STORAGE);
}

let unauthorizedHandler = null;

/** Called when a signed-in request is refused with 401: the key was revoked or the account removed. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export function authHeaders(key = storedKey()) {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** A fresh id for an Idempotency-Key header: one per click. */
export function newRequestId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function send(path, { method = 'GET', body, file, headers = {}, key, signal } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...authHeaders(key ?? storedKey()), ...headers }, signal, credentials: 'same-origin' };
  if (file !== undefined) {
    // A file goes as its raw bytes with its own type (POST /api/media).
    init.headers['Content-Type'] = file.type || 'application/octet-stream';
    init.body = file;
  } else if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  try {
    return await fetch(path, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'Could not reach Caty. Check your internet connection and try again.');
  }
}

async function failure(response, usedExplicitKey) {
  let payload = null;
  try {
    payload = await response.json();
  } catch {
    // Not JSON (a proxy page, say): fall back to the status line below.
  }
  const error = payload?.error;
  const message = error?.message || `Caty answered ${response.status} ${response.statusText}`.trim();
  const apiError = new ApiError(response.status, error?.code ?? 'http_error', message, error?.details);
  if (response.status === 401 && !usedExplicitKey && unauthorizedHandler) unauthorizedHandler(apiError);
  return apiError;
}

/** JSON request; resolves with the parsed body (null for an empty one), rejects with ApiError. */
export async function api(path, options = {}) {
  const response = await send(path, options);
  if (!response.ok) throw await failure(response, options.key !== undefined);
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** A text answer, such as an SVG image. */
export async function apiText(path, options = {}) {
  const response = await send(path, { ...options, headers: { Accept: '*/*', ...(options.headers ?? {}) } });
  if (!response.ok) throw await failure(response, options.key !== undefined);
  return response.text();
}

/** A binary answer (an image to download) as a Blob. */
export async function apiBlob(path, options = {}) {
  const response = await send(path, { ...options, headers: { Accept: '*/*', ...(options.headers ?? {}) } });
  if (!response.ok) throw await failure(response, options.key !== undefined);
  return response.blob();
}

/** A message for a person to read, whatever was thrown. */
export function describeError(error) {
  if (error instanceof ApiError) return error.message;
  return error?.message || 'Something went wrong. Please try again.';
}

/** Path segments are ids and phone numbers: never let them break the URL. */
export function path(strings, ...values) {
  return strings.reduce((out, part, i) => out + part + (i < values.length ? encodeURIComponent(values[i]) : ''), '');
}

/** A file as the raw body (its own type), answered with JSON. */
export async function apiUpload(path, file) {
  let response;
  try {
    response = await fetch(path, { method: 'POST', headers: { Accept: 'application/json', 'Content-Type': file.type || 'application/octet-stream', ...authHeaders() }, body: file });
  } catch {
    throw new ApiError(0, 'network', 'Could not reach Caty. Check your internet connection and try again.');
  }
  if (!response.ok) throw await failure(response, false);
  return response.json();
}

/** Who the session cookie belongs to, or null when there is no live session. */
export async function currentPerson() {
  const response = await send('/api/me', { key: '' });
  if (!response.ok) return null;
  const me = await response.json();
  return me.id ? me : null;
}

/** Email and password: the API answers with an HttpOnly session cookie the browser keeps. */
export async function signInWithPassword(email, password) {
  const response = await send('/auth/login', { method: 'POST', body: { email, password }, key: '' });
  if (!response.ok) throw await failure(response, true);
}

export async function signOutSession() {
  await send('/auth/logout', { method: 'POST', key: '' }).catch(() => undefined);
}

/** Sets the password of an invitation (the token from its link). */
export async function acceptInvitation(token, password) {
  const response = await send(`/auth/invitations/${encodeURIComponent(token)}`, { method: 'POST', body: { password }, key: '' });
  if (!response.ok) throw await failure(response, true);
  return response.json();
}
