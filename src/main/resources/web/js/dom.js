// Building the page from data: elements made with text nodes, never from HTML strings.

export function h(tag, props = {}, ...children) {
  const el = tag.startsWith('svg:')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.slice(4))
    : document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.setAttribute('class', value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

/** Appends each child that is not null, undefined or false (Element.append would write "null"). */
export function append(el, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function time(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

export function shortTime(iso) {
  if (!iso) return '';
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return today ? at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : at.toLocaleDateString();
}

export function seconds(value) {
  if (value === null || value === undefined) return '—';
  if (value < 60) return `${Math.round(value)} s`;
  if (value < 3600) return `${Math.round(value / 60)} min`;
  return `${(value / 3600).toFixed(1)} h`;
}

export function capped(n) {
  return n >= 100 ? '99+' : String(n);
}

/** Runs fn once, ms after the last of a burst of calls. */
export function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function toast(text) {
  const el = document.getElementById('toast');
  el.textContent = text;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.textContent = ''; }, 5000);
}

/** A table: columns of {label, value(row) -> node or text, num}; rowKey(row) names each row (data-key). */
export function table(caption, columns, rows, { rowKey, empty = 'Nothing yet.' } = {}) {
  if (rows.length === 0) return h('p', { class: 'muted' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('caption', { class: 'visually-hidden' }, caption),
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
    h('tbody', {}, rows.map(row => h('tr', { 'data-key': rowKey ? rowKey(row) : null },
      columns.map(c => h('td', { class: c.num ? 'num' : null }, c.value(row))))))));
}

/** A confirmation dialog; resolves true when the person confirms. */
export function confirmDialog(title, body, confirmLabel, { danger = false } = {}) {
  return new Promise(resolve => {
    const dialog = h('dialog', { 'aria-labelledby': 'dialog-title' },
      h('h2', { id: 'dialog-title' }, title), body,
      h('form', { method: 'dialog', class: 'row' },
        h('button', { value: 'cancel', class: 'quiet', autofocus: true }, 'Cancel'),
        h('button', { value: 'confirm', class: danger ? 'danger' : null }, confirmLabel)));
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
