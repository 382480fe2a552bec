// The API, called as the signed-in credential. The session lives in this tab only (sessionStorage).

const SESSION = 'steadfast.session';

export const session = {
  get() {
    try { return JSON.parse(sessionStorage.getItem(SESSION)); } catch { return null; }
  },
  set(value) { sessionStorage.setItem(SESSION, JSON.stringify(value)); },
  clear() { sessionStorage.removeItem(SESSION); },
};

export class ApiError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.code = body?.error ?? `http_${status}`;
    this.body = body ?? {};
  }
}

/**
 * Calls the API and answers the JSON body; a refusal throws an ApiError with the server's message.
 * A 401 ends the session: the credential expired or was revoked.
 */
export async function api(path, { method = 'GET', body, key, token = session.get()?.token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (key) headers['Idempotency-Key'] = key;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { error: 'unreachable', message: 'The server did not answer; check the connection and try again.' });
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = { error: 'not_json', message: text }; }
  if (response.status === 401 && token && token === session.get()?.token) {
    session.clear();
    window.dispatchEvent(new CustomEvent('steadfast:signed-out', { detail: json?.message }));
  }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}

/** Every item of a list endpoint, following next_cursor up to max items. */
export async function all(path, max = 500) {
  const items = [];
  let cursor = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api(`${path}${separator}limit=${Math.min(100, max)}${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}

/** A fresh Idempotency-Key; crypto.getRandomValues works on plain http too, where randomUUID does not. */
export function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return 'dash-' + Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export function isAdmin() {
  return session.get()?.role === 'admin';
}
