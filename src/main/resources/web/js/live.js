// The live feed: one WebSocket per tab, opened with a short-lived ticket (a browser cannot set its headers).
// After each (re)connect the server says "ready"; pages read their state then, so nothing between is missed.

import { api } from './api.js';

const listeners = new Set();
let socket = null;
let stopped = true;
let retry = 0;

function setState(state) {
  const el = document.getElementById('live');
  el.dataset.state = state;
  el.textContent = { live: 'Live', reconnecting: 'Reconnecting…', off: 'Offline' }[state];
  for (const listener of listeners) listener({ type: state === 'live' ? 'ready' : 'state', state });
}

async function connect() {
  if (stopped) return;
  try {
    const { ticket } = await api('/v1/sync/tickets', { method: 'POST' });
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    socket = new WebSocket(`${scheme}://${location.host}/v1/sync?ready=true&ticket=${encodeURIComponent(ticket)}`);
  } catch (e) {
    return reconnect();
  }
  socket.onmessage = event => {
    const change = JSON.parse(event.data);
    if (change.type === 'ready') {
      retry = 0;
      setState('live');
      return;
    }
    for (const listener of listeners) listener(change);
  };
  socket.onclose = () => reconnect();
}

function reconnect() {
  socket = null;
  if (stopped) return;
  setState('reconnecting');
  retry = Math.min(retry + 1, 5);
  setTimeout(connect, 500 * 2 ** retry);
}

export function startLive() {
  if (!stopped) return;
  stopped = false;
  connect();
}

export function stopLive() {
  stopped = true;
  socket?.close();
  socket = null;
  setState('off');
}

/** Calls fn with every change, and with {type: 'ready'} after each (re)connect; returns the unsubscribe. */
export function onLive(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
