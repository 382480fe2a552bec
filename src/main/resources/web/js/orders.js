// Orders: Shopify's (kept in sync from webhooks, each with its audit trail) and the store's own, updated live.

import { api, isAdmin } from './api.js';
import { debounce, h, replace, table, time, toast } from './dom.js';
import { onLive } from './live.js';

const AUDIT_POLL_MS = 5000;

export function show(root, [kind = 'shopify', openId]) {
  const store = kind === 'store';
  const tab = (name, label) => h('a', { href: `#/orders/${name}`, role: 'tab', class: kind === name ? 'button' : 'button quiet',
    'aria-selected': String(kind === name) }, label);
  const list = h('div', { role: 'tabpanel', 'aria-label': store ? 'Store orders' : 'Shopify orders' });
  const detail = h('section', { class: 'card detail', 'aria-label': 'Order' },
    h('p', { class: 'muted' }, 'Choose an order to see its details.'));
  root.append(h('h1', {}, 'Orders'),
    h('div', { class: 'tabs', role: 'tablist' }, tab('shopify', 'Shopify'), tab('store', 'Store')),
    h('div', { class: 'split' }, list, detail));

  const load = store ? loadStore : loadShopify;
  const showDetail = store ? storeDetail : shopifyDetail;
  const refresh = debounce(() => load(list, openId).catch(e => toast(e.message)), 150);
  const refreshDetail = debounce(() => openId && showDetail(detail, openId).catch(e => toast(e.message)), 150);
  refresh();
  refreshDetail();
  // a discarded or failed delivery changes no order, so the feed says nothing of it: its audit row is polled for
  const timer = setInterval(refreshDetail, AUDIT_POLL_MS);
  const stop = onLive(change => {
    if (change.type === 'ready') {
      refresh();
      refreshDetail();
    } else if (!store && change.type === 'order') {
      refresh();
      if (String(change.order.shopify_order_id) === openId) refreshDetail();
    } else if (store && change.type === 'store_order') {
      refresh();
      if (String(change.store_order.id) === openId) refreshDetail();
    }
  });
  return () => {
    clearInterval(timer);
    stop();
  };
}

const state = new Map(); // what each row showed, to flash the ones that changed

function flashChanged(container, rows, key, signature) {
  for (const row of rows) {
    const id = key(row);
    const before = state.get(id);
    const now = signature(row);
    if (before !== undefined && before !== now) container.querySelector(`tr[data-key="${id}"]`)?.classList.add('flash');
    state.set(id, now);
  }
}

async function loadShopify(list, openId) {
  const page = await api('/v1/orders?limit=100');
  const status = o => o.cancelled ? 'cancelled' : [o.financial_status, o.fulfillment_status ?? 'unfulfilled'].filter(Boolean).join(' · ');
  replace(list, table('Shopify orders', [
    { label: 'Order', value: o => h('a', { href: `#/orders/shopify/${o.shopify_order_id}`,
      'aria-current': String(o.shopify_order_id) === openId ? 'true' : null }, o.name ?? `#${o.shopify_order_id}`) },
    { label: 'Status', value: o => h('span', { 'data-field': 'status' }, status(o)) },
    { label: 'Total', num: true, value: o => `${o.total_price ?? '—'} ${o.currency ?? ''}` },
    { label: 'Updated', value: o => time(o.updated_at) },
    { label: 'Version', num: true, value: o => o.version },
  ], page.items, { rowKey: o => `shopify-${o.shopify_order_id}`,
    empty: 'No Shopify orders yet: they appear as the shop\'s webhooks arrive.' }));
  flashChanged(list, page.items, o => `shopify-${o.shopify_order_id}`, o => `${o.version}`);
}

async function shopifyDetail(detail, id) {
  const [order, audit] = await Promise.all([api(`/v1/orders/${id}`), api(`/v1/orders/${id}/audit?limit=1000`)]);
  replace(detail,
    h('h2', {}, `${order.name ?? `Order ${id}`} · ${order.shop_domain}`),
    h('dl', { class: 'impact' },
      h('dt', {}, 'Status'), h('dd', { 'data-field': 'status' }, order.cancelled ? `cancelled (${order.cancel_reason ?? 'no reason'})`
        : `${order.financial_status ?? '—'} · ${order.fulfillment_status ?? 'unfulfilled'}`),
      h('dt', {}, 'Total'), h('dd', {}, `${order.total_price} ${order.currency} (tax ${order.total_tax ?? '0'}, shipping ${order.shipping_fee ?? '0'})`),
      h('dt', {}, 'Customer'), h('dd', {}, order.email ?? '—'),
      h('dt', {}, 'Shopify updated it'), h('dd', {}, time(order.updated_at))),
    h('h3', {}, 'Audit trail'),
    table('Audit trail', [
      { label: 'Outcome', value: a => h('span', { class: `chip ${a.outcome === 'processed' ? 'ok' : a.outcome === 'failed' ? 'bad' : 'warn'}` }, a.outcome) },
      { label: 'Why', value: a => a.reason ?? '—' },
      { label: 'Topic', value: a => a.topic },
      { label: 'Shopify time', value: a => time(a.updated_at) },
      { label: 'Processed', value: a => time(a.processed_at) },
    ], audit.items, { empty: 'No deliveries recorded.' }));
}

async function loadStore(list, openId) {
  const page = await api('/v1/store/orders?order=newest&limit=100');
  replace(list, table('Store orders', [
    { label: 'Order', value: o => h('a', { href: `#/orders/store/${o.id}`,
      'aria-current': String(o.id) === openId ? 'true' : null }, `#${o.id}`) },
    { label: 'Status', value: o => h('span', { 'data-field': 'status' }, o.status) },
    { label: 'Items', num: true, value: o => o.items.reduce((n, i) => n + i.quantity, 0) },
    { label: 'Total', num: true, value: o => `${o.total} ${o.currency}` },
    { label: 'Placed', value: o => time(o.created_at) },
  ], page.items, { rowKey: o => `store-${o.id}`, empty: 'No store orders yet.' }));
  flashChanged(list, page.items, o => `store-${o.id}`, o => `${o.status}:${o.updated_at}`);
}

async function storeDetail(detail, id) {
  const order = await api(`/v1/store/orders/${id}`);
  const act = action => h('button', { type: 'button', onclick: async () => {
    try {
      await api(`/v1/store/orders/${id}/${action}`, { method: 'POST' });
      toast(`Order ${id}: ${action} done.`);
    } catch (e) {
      toast(e.message);
    }
  } }, action[0].toUpperCase() + action.slice(1));
  replace(detail,
    h('h2', {}, `Store order #${id}`),
    h('dl', { class: 'impact' },
      h('dt', {}, 'Status'), h('dd', { 'data-field': 'status' }, order.status),
      h('dt', {}, 'Subtotal'), h('dd', {}, `${order.subtotal} ${order.currency}`),
      h('dt', {}, 'Shipping'), h('dd', {}, `${order.shipping.amount} (${order.shipping.source})`),
      h('dt', {}, 'Total'), h('dd', {}, `${order.total} ${order.currency}`),
      h('dt', {}, 'Paid from wallet'), h('dd', {}, order.wallet_id ? h('a', { href: `#/store/wallets/${order.wallet_id}` }, `Wallet ${order.wallet_id}`) : '—'),
      h('dt', {}, 'Notifications'), h('dd', {}, Object.entries(order.notifications ?? {})
        .map(([channel, n]) => `${channel}: ${n.status}${n.reason ? ` (${n.reason})` : ''}`).join(', ') || '—')),
    h('h3', {}, 'Items'),
    table('Items', [
      { label: 'Product', value: i => h('a', { href: `#/store/products/${i.product_id}` }, `Product ${i.product_id}`) },
      { label: 'Quantity', num: true, value: i => i.quantity },
      { label: 'Amount', num: true, value: i => i.amount },
    ], order.items),
    isAdmin() ? h('div', { class: 'row' }, ['ship', 'deliver', 'cancel'].map(act)) : null);
}
