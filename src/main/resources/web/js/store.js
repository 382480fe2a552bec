// The store: products with their stock and lifecycle actions (each destructive one previewed by a dry run and
// confirmed), and customers' wallets with their ledgers.

import { all, api, isAdmin } from './api.js';
import { confirmDialog, h, replace, table, time, toast } from './dom.js';
import { onLive } from './live.js';

const ACTIONS = {
  draft: ['activate', 'delete'],
  active: ['disable', 'delete'],
  disabled: ['activate', 'archive', 'delete'],
  archived: ['restore', 'delete'],
};
const DESTRUCTIVE = new Set(['disable', 'archive', 'delete']);

export function show(root, [section, openId]) {
  const products = h('section', { 'aria-labelledby': 'products-title' }, h('h2', { id: 'products-title' }, 'Products'));
  const productList = h('div');
  products.append(productList);
  const wallets = h('section', { 'aria-labelledby': 'wallets-title' }, h('h2', { id: 'wallets-title' }, 'Wallets'));
  const walletList = h('div');
  wallets.append(walletList);
  const detail = h('section', { class: 'card detail', 'aria-label': 'Details' },
    h('p', { class: 'muted' }, 'Choose a product or a wallet to see its history.'));
  root.append(h('h1', {}, 'Store'), h('div', { class: 'split' }, h('div', {}, products, wallets), detail));

  const reload = () => Promise.all([loadProducts(productList, reload), loadWallets(walletList)]).catch(e => toast(e.message));
  reload();
  if (section === 'products' && openId) productDetail(detail, openId).catch(e => toast(e.message));
  if (section === 'wallets' && openId) walletDetail(detail, openId).catch(e => toast(e.message));
  return onLive(change => {
    if (change.type === 'ready' || change.type === 'store_order') reload();
  });
}

async function loadProducts(container, reload) {
  const items = await all('/v1/store/products', 500);
  replace(container, table('Products', [
    { label: 'Product', value: p => h('a', { href: `#/store/products/${p.id}` }, p.name), },
    { label: 'SKU', value: p => p.sku },
    { label: 'Status', value: p => h('span', { 'data-field': 'status', class: `chip ${p.status === 'active' ? 'ok' : 'warn'}` }, p.status) },
    { label: 'Price', num: true, value: p => `${p.price} ${p.currency}` },
    { label: 'On hand', num: true, value: p => p.on_hand },
    { label: 'Reserved', num: true, value: p => p.reserved },
    { label: 'Available', num: true, value: p => p.available },
    { label: 'Actions', value: p => isAdmin() ? h('span', { class: 'row' }, (ACTIONS[p.status] ?? []).map(action =>
      h('button', { type: 'button', class: DESTRUCTIVE.has(action) ? 'quiet' : null, 'data-action': action,
        'aria-label': `${action} ${p.name}`, onclick: () => lifecycle(p, action).then(reload) }, action))) : '—' },
  ], items, { rowKey: p => `product-${p.id}`, empty: 'No products yet: create them with POST /v1/store/products.' }));
}

/**
 * A lifecycle action. A destructive one is first asked as a dry run, whose impact (open orders, pending shipments,
 * reserved units, carts) the person sees before confirming; cancelling changes nothing.
 */
async function lifecycle(product, action) {
  const path = action === 'delete' ? `/v1/store/products/${product.id}` : `/v1/store/products/${product.id}/${action}`;
  const method = action === 'delete' ? 'DELETE' : 'POST';
  try {
    if (DESTRUCTIVE.has(action)) {
      const preview = await api(`${path}?dry_run=true`, { method });
      const refused = preview.outcome === 'refused';
      const impact = preview.impact;
      const body = h('div', { class: 'impact-preview' },
        h('p', {}, `${action[0].toUpperCase()}${action.slice(1)} “${product.name}” (${product.sku}) would touch:`),
        h('dl', { class: 'impact' },
          h('dt', {}, 'Open orders'), h('dd', { 'data-impact': 'open_orders' }, impact.open_orders),
          h('dt', {}, 'Pending shipments'), h('dd', { 'data-impact': 'pending_shipments' }, impact.pending_shipments),
          h('dt', {}, 'Reserved units'), h('dd', { 'data-impact': 'active_reservations' }, impact.active_reservations),
          h('dt', {}, 'Carts holding it'), h('dd', { 'data-impact': 'carts' }, impact.carts)),
        refused ? h('p', { class: 'error', role: 'alert' }, `It would be refused: ${preview.reason}`) : null,
        h('p', { class: 'muted' }, 'Nothing has changed yet.'));
      if (!await confirmDialog(`${action[0].toUpperCase()}${action.slice(1)} ${product.name}?`, body, `Confirm ${action}`,
        { danger: true })) {
        toast(`Nothing changed: ${product.name} is still ${product.status}.`);
        return;
      }
      await api(`${path}?confirm=true`, { method });
    } else {
      await api(path, { method });
    }
    toast(`${product.name}: ${action} done.`);
  } catch (e) {
    toast(e.message);
  }
}

async function productDetail(detail, id) {
  const product = await api(`/v1/store/products/${id}`);
  const audit = isAdmin() ? await api(`/v1/audit?entity=product&id=${id}&limit=100`) : { items: [] };
  replace(detail,
    h('h2', {}, `${product.name} · ${product.sku}`),
    h('dl', { class: 'impact' },
      h('dt', {}, 'Status'), h('dd', {}, product.status),
      h('dt', {}, 'Stock'), h('dd', {}, `${product.on_hand} on hand, ${product.reserved} reserved, ${product.available} available`),
      h('dt', {}, 'Price'), h('dd', {}, `${product.price} ${product.currency}`)),
    isAdmin() ? h('h3', {}, 'Admin actions') : null,
    isAdmin() ? table('Admin actions', [
      { label: 'When', value: a => time(a.at) },
      { label: 'Who', value: a => a.actor },
      { label: 'Action', value: a => a.action },
      { label: 'Status after', value: a => a.after?.status ?? '—' },
    ], audit.items) : null);
}

async function loadWallets(container) {
  const items = await all('/v1/wallets', 500);
  replace(container, table('Wallets', [
    { label: 'Customer', value: w => h('a', { href: `#/store/wallets/${w.id}` }, w.customer_ref) },
    { label: 'Balance', num: true, value: w => `${w.balance} ${w.currency}` },
    { label: 'Held', num: true, value: w => w.held },
    { label: 'Available', num: true, value: w => w.available },
  ], items, { rowKey: w => `wallet-${w.id}`, empty: 'No wallets yet.' }));
}

async function walletDetail(detail, id) {
  const [wallet, ledger] = await Promise.all([api(`/v1/wallets/${id}`), all(`/v1/wallets/${id}/ledger`, 1000)]);
  replace(detail,
    h('h2', {}, `Wallet of ${wallet.customer_ref}`),
    h('p', {}, `Balance ${wallet.balance} ${wallet.currency} · held ${wallet.held} · available ${wallet.available}`),
    h('h3', {}, 'Ledger'),
    table('Ledger', [
      { label: 'When', value: e => time(e.created_at) },
      { label: 'Kind', value: e => e.kind },
      { label: 'Amount', num: true, value: e => e.amount },
      { label: 'Reason', value: e => e.reason ?? '—' },
    ], ledger, { empty: 'No entries.' }));
}
