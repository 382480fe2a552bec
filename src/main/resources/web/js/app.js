// The dashboard's shell: who is signed in, the header, and which page the address names (#/inbox, #/orders, ...).

import { api, session } from './api.js';
import { h, replace } from './dom.js';
import { startLive, stopLive } from './live.js';
import { signInPage } from './signin.js';

const pages = {
  inbox: () => import('./inbox.js'),
  orders: () => import('./orders.js'),
  store: () => import('./store.js'),
  health: () => import('./health.js'),
};

const main = document.getElementById('main');
const header = document.querySelector('header.top');
let leave = null;

async function route() {
  leave?.();
  leave = null;
  const [page = 'inbox', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  if (!session.get()) {
    header.hidden = true;
    stopLive();
    replace(main, signInPage(signedIn));
    performance.mark('steadfast:signin-shown');
    return;
  }
  header.hidden = false;
  startLive();
  const name = pages[page] ? page : 'inbox';
  for (const link of header.querySelectorAll('nav a')) {
    if (link.dataset.page === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const module = await pages[name]();
  const view = h('div', { class: `page page-${name}` });
  replace(main, view);
  leave = module.show(view, rest.map(decodeURIComponent));
  document.title = `${name[0].toUpperCase()}${name.slice(1)} · Steadfast`;
}

/** A credential was accepted: remember who it is, then show the page asked for. */
async function signedIn(token) {
  const me = await api('/v1/me', { token });
  session.set({ token, role: me.role, operator: me.operator, business: me.business, email: me.email ?? null });
  showWho();
  if (!location.hash || location.hash === '#/signin') location.hash = '#/inbox';
  else route();
}

function showWho() {
  const s = session.get();
  if (!s) return;
  replace(document.getElementById('who'),
    `${s.email ?? (s.operator ? 'Operator' : 'API key')} · ${s.business.name ?? `business ${s.business.id}`} · ${s.role}`);
}

function signOut(message) {
  session.clear();
  stopLive();
  location.hash = '#/signin';
  route();
  if (message) document.querySelector('.signin [role="alert"]')?.replaceChildren(message);
}

document.getElementById('sign-out').addEventListener('click', () => signOut());
window.addEventListener('steadfast:signed-out', event => signOut(event.detail ?? 'Your session ended; sign in again.'));
window.addEventListener('hashchange', route);
showWho();
route();
