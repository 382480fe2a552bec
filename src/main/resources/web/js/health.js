// The system's health: the inbox's depth and oldest pending age over time, the workers and their counters, dead
// letters with their reasons and a replay button, and the latest chaos and load reports.

import { api, isAdmin, session } from './api.js';
import { append, h, replace, seconds, table, time, toast } from './dom.js';

const POLL_MS = 5000;

export function show(root) {
  const stats = h('div', { class: 'cards' }); // redrawn every few seconds: not announced
  const chart = h('div');
  const workers = h('div');
  const dead = h('div');
  const reports = h('div');
  append(root, h('h1', {}, 'Health'), stats,
    h('section', { 'aria-labelledby': 'inbox-title' }, h('h2', { id: 'inbox-title' }, 'Inbox over time'),
      h('p', { class: 'legend' }, h('span', { class: 'pending' }, '━ pending events'), ' · ',
        h('span', { class: 'age' }, '┅ oldest pending age (s)')), chart),
    h('section', { 'aria-labelledby': 'workers-title' }, h('h2', { id: 'workers-title' }, 'Workers'), workers),
    h('section', { 'aria-labelledby': 'dead-title' }, h('h2', { id: 'dead-title' }, 'Dead letters'), dead),
    session.get()?.operator ? h('section', { 'aria-labelledby': 'reports-title' },
      h('h2', { id: 'reports-title' }, 'Latest chaos and load reports'), reports) : null);

  const history = [];
  const poll = async () => {
    // the full report is the operator's; anyone else reads the part a load balancer may see
    const health = await fetchHealth();
    const inbox = health.components.inbox ?? {};
    replace(stats,
      stat('Database', health.components.database.status, health.components.database.status === 'up' ? 'ok' : 'bad'),
      stat('Pending', inbox.pending ?? '—'),
      stat('Processing', inbox.processing ?? '—'),
      stat('Dead', inbox.dead ?? '—', inbox.dead ? 'bad' : 'ok'),
      stat('Oldest pending', seconds(inbox.oldest_pending_age_seconds)),
      stat('Workers reporting', health.workers_reporting));
    if (inbox.pending !== undefined) {
      history.push({ at: health.timestamp, pending: inbox.pending, oldest_pending_age_seconds: inbox.oldest_pending_age_seconds });
      if (history.length > 720) history.shift();
    }
    replace(chart, lineChart(history));
    replace(workers, table('Workers', [
      { label: 'Worker', value: w => w.id ?? '(operator only)' },
      { label: 'Status', value: w => h('span', { class: `chip ${w.status === 'running' || w.status === 'idle' ? 'ok' : 'warn'}` }, w.status) },
      { label: 'Processed', num: true, value: w => w.processed_count },
      { label: 'Errors', num: true, value: w => w.errors_count },
      { label: 'Leases lost', num: true, value: w => w.lease_lost_count },
      { label: 'Last heartbeat', value: w => w.heartbeat_at ? time(w.heartbeat_at) : '—' },
    ], health.workers, { empty: 'No worker has reported in the last seconds.' }));
  };

  const loadDead = async () => {
    const page = await api('/v1/inbox/dead?limit=100');
    replace(dead, table('Dead letters', [
      { label: 'Event', value: d => `#${d.id}` },
      { label: 'Source', value: d => `${d.source} · ${d.partition_key}` },
      { label: 'Type', value: d => d.event_type },
      { label: 'Reason', value: d => h('span', { class: 'error' }, d.reason) },
      { label: 'Attempts', num: true, value: d => d.attempts },
      { label: 'Dead since', value: d => time(d.dead_at) },
      { label: 'Replay', value: d => isAdmin() ? h('button', { type: 'button', 'data-replay': d.id,
        'aria-label': `Replay event ${d.id}`, onclick: event => replay(event.target, d.id) }, 'Replay') : '—' },
    ], page.items, { rowKey: d => `dead-${d.id}`, empty: 'No dead letters: every event was processed or is on its way.' }));
  };

  const replay = async (button, id) => {
    button.disabled = true;
    try {
      await api(`/v1/inbox/${id}/replay`, { method: 'POST' });
      toast(`Event ${id} is pending again; a worker will process it.`);
      await loadDead();
    } catch (e) {
      button.disabled = false;
      toast(e.message);
    }
  };

  const loadReports = async () => {
    const page = await api('/v1/reports');
    replace(reports, table('Reports', [
      { label: 'Run', value: r => r.title },
      { label: 'Kind', value: r => r.kind },
      { label: 'Verdict', value: r => h('span', { class: `chip ${r.passed ? 'ok' : 'bad'}` }, r.passed ? 'pass' : 'fail') },
      { label: 'Finished', value: r => time(r.at) },
      { label: 'Report', value: r => h('button', { type: 'button', class: 'quiet', 'data-report': r.name,
        'aria-label': `Open the report of ${r.title}`, onclick: () => openReport(r) }, 'Open') },
    ], page.items, { empty: 'No reports here yet: run ./steadfast chaos or ./steadfast load in this directory.' }));
  };

  api('/health/history').then(past => history.unshift(...past.items)).catch(() => {}).finally(() => poll().catch(e => toast(e.message)));
  loadDead().catch(e => replace(dead, h('p', { class: 'error', role: 'alert' }, e.message)));
  if (session.get()?.operator) loadReports().catch(e => replace(reports, h('p', { class: 'error' }, e.message)));
  const timer = setInterval(() => {
    poll().catch(() => {});
    loadDead().catch(() => {});
  }, POLL_MS);
  return () => clearInterval(timer);
}

async function fetchHealth() {
  const operator = session.get()?.operator;
  const response = await fetch('/health/detailed', operator ? { headers: { Authorization: `Bearer ${session.get().token}` } } : {});
  return response.json();
}

function stat(label, value, tone) {
  return h('div', { class: 'card stat', 'data-stat': label.toLowerCase().replace(/ /g, '-') },
    h('div', { class: `value${tone ? ` ${tone}` : ''}` }, value), h('div', { class: 'label' }, label));
}

/** Pending events (solid) and the oldest pending age (dashed), each on its own scale, over the samples' time. */
function lineChart(points) {
  const width = 800, height = 160, pad = 28;
  const svg = h('svg:svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': points.length ? `Inbox over the last ${points.length} samples: ${points.at(-1).pending} pending now, `
      + `at most ${Math.max(...points.map(p => p.pending))}` : 'No samples yet' });
  if (points.length < 2) {
    svg.append(h('svg:text', { x: pad, y: height / 2 }, 'Collecting samples…'));
    return svg;
  }
  const t0 = Date.parse(points[0].at), t1 = Date.parse(points.at(-1).at);
  const x = at => pad + (width - 2 * pad) * (Date.parse(at) - t0) / Math.max(1, t1 - t0);
  const line = (key, cls) => {
    const max = Math.max(...points.map(p => p[key]));
    const y = v => height - pad - (height - 2 * pad) * v / Math.max(1, max);
    svg.append(h('svg:polyline', { class: cls, points: points.map(p => `${x(p.at).toFixed(1)},${y(p[key]).toFixed(1)}`).join(' ') }));
    return max;
  };
  const maxPending = line('pending', 'pending');
  const maxAge = line('oldest_pending_age_seconds', 'age');
  svg.append(h('svg:text', { x: 2, y: pad - 8 }, `at most ${maxPending} pending`),
    h('svg:text', { x: width - 2, y: pad - 8, 'text-anchor': 'end' }, `oldest ${seconds(maxAge)}`),
    h('svg:text', { x: pad, y: height - 6 }, new Date(t0).toLocaleTimeString()),
    h('svg:text', { x: width - pad, y: height - 6, 'text-anchor': 'end' }, new Date(t1).toLocaleTimeString()));
  return svg;
}

/** A report is the operator's: fetched with the credential and shown in a sandboxed frame (no scripts). */
async function openReport(report) {
  try {
    const response = await fetch(report.html, { headers: { Authorization: `Bearer ${session.get().token}` } });
    if (!response.ok) throw new Error(`the report could not be read (HTTP ${response.status})`);
    const dialog = h('dialog', { class: 'report', 'aria-label': report.title },
      h('form', { method: 'dialog', class: 'row' }, h('h2', { class: 'grow' }, report.title), h('button', {}, 'Close')),
      h('iframe', { sandbox: '', title: report.title, srcdoc: await response.text() }));
    dialog.addEventListener('close', () => dialog.remove());
    document.body.append(dialog);
    dialog.showModal();
  } catch (e) {
    toast(e.message);
  }
}
