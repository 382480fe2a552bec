// The agent's inbox: conversations newest first, one conversation's messages in provider order with their delivery
// ticks, a reply box that sends each reply once, and search. Everything refreshes from the live feed.

import { api, ApiError, newKey } from './api.js';
import { capped, debounce, h, replace, shortTime, time, toast } from './dom.js';
import { onLive } from './live.js';

const TICKS = {
  queued: ['🕓', 'Queued'], sending: ['🕓', 'Sending'], sent: ['✓', 'Sent'], delivered: ['✓✓', 'Delivered'],
  read: ['✓✓', 'Read'], failed: ['!', 'Failed'], unknown: ['?', 'Unknown: the provider never confirmed this send'],
};

export function show(root, [openId]) {
  const conversationId = openId ? Number(openId) : null;
  const counts = h('p', { class: 'row', 'aria-live': 'polite' });
  const list = h('ul', { class: 'conversations', 'aria-label': 'Conversations' });
  const searchInput = h('input', { id: 'search', type: 'search', name: 'q', maxlength: 200, placeholder: 'Words, "a phrase", -leave out' });
  const searchForm = h('form', { role: 'search', class: 'row', 'aria-label': 'Search messages' },
    h('label', { for: 'search', class: 'visually-hidden' }, 'Search messages'), searchInput,
    h('button', { type: 'submit' }, 'Search'));
  const results = h('div', { class: 'results', 'aria-live': 'polite' });
  const thread = h('section', { class: 'thread card', 'aria-label': 'Conversation' });
  root.append(h('div', { class: `inbox${conversationId ? ' open' : ''}` },
    h('div', { class: 'list-pane' }, h('h1', {}, 'Inbox'), counts, searchForm, results, list),
    thread));

  let conversations = [];
  const loadList = async () => {
    const page = await api('/v1/conversations?limit=50');
    conversations = page.items;
    replace(list, conversations.length === 0 ? h('li', { class: 'muted' }, h('p', {}, 'No conversations yet: '
      + 'they appear as WhatsApp messages arrive.')) : conversations.map(c => conversationItem(c, c.id === conversationId)));
    const unread = conversations.reduce((n, c) => n + c.unread, 0);
    const failed = conversations.reduce((n, c) => n + c.failed, 0);
    if (performance.getEntriesByName('steadfast:inbox-listed').length === 0) performance.mark('steadfast:inbox-listed');
    if (counts.dataset.shown !== `${unread}/${failed}`) { // a live region: redrawn only when it changes
      counts.dataset.shown = `${unread}/${failed}`;
      replace(counts,
        h('span', { class: 'chip', 'data-count': 'unread' }, `${unread} unread`),
        h('span', { class: `chip${failed ? ' bad' : ''}`, 'data-count': 'failed' }, `${failed} failed`));
    }
  };

  const conversation = conversationId ? openConversation(thread, conversationId, loadList) : null;
  if (!conversation) replace(thread, h('p', { class: 'muted' }, 'Choose a conversation.'));

  searchForm.addEventListener('submit', async event => {
    event.preventDefault();
    const q = searchInput.value.trim();
    if (!q) return replace(results);
    try {
      const found = await api(`/v1/messages/search?q=${encodeURIComponent(q)}&limit=50`);
      replace(results, h('h2', {}, `${found.items.length} message${found.items.length === 1 ? '' : 's'} match “${q}”`),
        h('button', { type: 'button', class: 'quiet', onclick: () => { searchInput.value = ''; replace(results); } }, 'Clear search'),
        h('ul', { class: 'conversations', 'aria-label': 'Search results' }, found.items.map(m => h('li', {},
          h('a', { href: m.conversation_id ? `#/inbox/${m.conversation_id}` : '#/inbox' },
            h('span', { class: 'name' }, m.direction === 'inbound' ? 'Customer' : 'You'),
            h('span', { class: 'when' }, shortTime(m.provider_timestamp)),
            h('span', { class: 'preview' }, m.text ?? `(${m.type})`))))));
    } catch (e) {
      replace(results, h('p', { class: 'error', role: 'alert' }, e.message));
    }
  });

  const refreshList = debounce(() => loadList().catch(e => toast(e.message)), 200);
  const stop = onLive(change => {
    if (change.type === 'ready') {
      refreshList();
      conversation?.refresh();
      return;
    }
    const item = change.message ?? change.outbound_message;
    if (!item) return;
    refreshList();
    if (conversation && item.conversation_id === conversationId) conversation.refresh();
  });
  loadList().catch(e => replace(list, h('li', { class: 'error', role: 'alert' }, e.message)));
  return stop;
}

function conversationItem(c, current) {
  const name = c.customer?.name || c.customer?.wa_id || `Conversation ${c.id}`;
  return h('li', { 'data-conversation': c.id },
    h('a', { href: `#/inbox/${c.id}`, 'aria-current': current ? 'true' : null },
      h('span', { class: 'name' }, name),
      h('span', { class: 'when' }, shortTime(c.last_message_at)),
      h('span', { class: 'preview' }, c.preview ?? ''),
      h('span', { class: 'row' },
        c.unread ? h('span', { class: 'badge', 'data-unread': c.unread, 'aria-label': `${c.unread} unread` }, capped(c.unread)) : null,
        c.failed ? h('span', { class: 'badge failed', 'aria-label': `${c.failed} failed` }, `${capped(c.failed)} failed`) : null)));
}

/** The open conversation: its messages, marked read as they are shown, and the reply box. */
function openConversation(thread, id, listChanged) {
  const title = h('h2', { id: 'thread-title' }, `Conversation ${id}`);
  const messages = h('ol', { class: 'messages', 'aria-labelledby': 'thread-title' });
  const announcer = h('p', { class: 'visually-hidden', 'aria-live': 'polite' }); // says what is new, not the whole list
  const reply = replyBox(id, () => refresh());
  replace(thread, h('a', { class: 'back', href: '#/inbox' }, '← Conversations'), title, messages, announcer, reply);

  let lastInbound = null;
  let shown = null; // the ids on screen, once the first load drew them
  const load = async () => {
    const [header, all] = await Promise.all([api(`/v1/conversations/${id}`), allMessages(id)]);
    const page = { items: all.slice(-SHOWN) };
    title.textContent = [header.customer?.name, header.customer?.wa_id, header.channel].filter(Boolean).join(' · ');
    replace(messages, page.items.length === 0 ? h('li', { class: 'muted' }, 'No messages.') : [
      all.length > SHOWN ? h('li', { class: 'muted' }, `The latest ${SHOWN} of ${all.length} messages; search finds older ones.`) : null,
      page.items.map(messageItem)]);
    const arrived = shown ? page.items.filter(m => m.direction === 'inbound' && !shown.has(m.id)) : [];
    if (arrived.length) announcer.textContent = arrived.map(m => `New message: ${m.text ?? m.type}`).join('. ');
    shown = new Set(page.items.filter(m => m.direction === 'inbound').map(m => m.id));
    messages.scrollTop = messages.scrollHeight;
    const newest = page.items.filter(m => m.direction === 'inbound').at(-1)?.provider_timestamp ?? null;
    if (newest && newest !== lastInbound) {
      lastInbound = newest;
      await api(`/v1/conversations/${id}/read`, { method: 'POST' });
      listChanged();
    }
  };
  const refresh = debounce(() => load().catch(e => {
    if (e instanceof ApiError && e.status === 404) replace(thread, h('p', { role: 'alert' }, `No conversation ${id} here.`));
    else toast(e.message);
  }), 150);
  refresh();
  return { refresh };
}

const SHOWN = 500;
const MAX_PAGES = 50;

/** The conversation's messages in provider order, page after page (the newest are last). */
async function allMessages(id) {
  const items = [];
  let cursor = null;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await api(`/v1/conversations/${id}/messages?limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    items.push(...page.items);
    cursor = page.next_cursor;
    if (!cursor) break;
  }
  return items;
}

function messageItem(m) {
  const outbound = m.direction === 'outbound';
  const status = m.status ?? 'received';
  const [mark, label] = TICKS[status] ?? ['', status];
  const reason = status === 'failed' ? (m.status_errors ?? []).map(e => [e.code, e.message ?? e.title].filter(Boolean).join(': ')).join('; ') : '';
  return h('li', { class: `msg ${m.direction}`, 'data-id': `${m.direction}-${m.id}`, 'data-status': status },
    h('div', { class: 'text' }, m.text ?? `(${m.type})`),
    h('div', { class: 'meta' },
      h('time', { datetime: m.provider_timestamp }, time(m.provider_timestamp)),
      outbound ? h('span', { class: 'tick', 'data-status': status, title: label, 'aria-label': label }, mark) : null,
      outbound && status !== 'read' && status !== 'delivered' && status !== 'sent' ? h('span', {}, label) : null),
    reason ? h('div', { class: 'error' }, `Failed: ${reason || 'no reason given'}`) : null);
}

/**
 * The reply box. A reply gets one Idempotency-Key, kept across retries of the same text, so a double click, a
 * retry after a lost answer or a resubmitted form sends it once; a new text gets a new key.
 */
function replyBox(conversationId, sent) {
  const text = h('textarea', { id: 'reply', name: 'text', maxlength: 4096, required: true, rows: 2 });
  const button = h('button', { type: 'submit' }, 'Send');
  const status = h('p', { role: 'status', class: 'muted' });
  const form = h('form', { class: 'reply', 'aria-label': 'Reply' },
    h('label', { for: 'reply', class: 'visually-hidden' }, 'Reply'), text, button);
  let pending = null; // {key, text}

  form.addEventListener('submit', async event => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    if (!pending || pending.text !== body) pending = { key: newKey(), text: body };
    const { key } = pending;
    button.disabled = true;
    status.textContent = 'Sending…';
    try {
      await api('/v1/messages', { method: 'POST', key, body: { conversation_id: conversationId, text: body } });
      if (pending?.key === key) {
        pending = null;
        text.value = '';
      }
      status.textContent = 'Queued: the tick beside it shows how far it got.';
      sent();
    } catch (e) {
      if (e.status >= 400 && e.status < 500) pending = null; // refused: nothing was stored under the key
      status.textContent = e.status === 0 ? `${e.message} Sending again is safe: it will not send twice.` : e.message;
    } finally {
      button.disabled = false;
    }
  });
  return h('div', {}, form, status);
}
