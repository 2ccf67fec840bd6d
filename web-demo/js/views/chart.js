// A chart of one product's level over time, one line per workspace (uPlot, served from the page's
// own vendor/ folder). The same numbers are listed in a table under the chart.

import { field, formatTime, h, setOptions, table } from '../ui.js';

export const title = 'Chart';

const COLORS = ['#1a5fb4', '#c64600', '#26a269', '#9141ac', '#a51d2d', '#986a44', '#1c71d8', '#5e5c64'];

let uplotPromise = null;
function loadUPlot() {
  uplotPromise ??= import('../../vendor/uplot/uPlot.esm.js').then((m) => m.default);
  uplotPromise.catch(() => { uplotPromise = null; });
  return uplotPromise;
}

/**
 * The product's movements as aligned series: x in seconds (uPlot's time unit), one level series per
 * workspace that has a movement, carried forward between movements, ending at `nowMs`.
 */
export function levelSeries(movements, nowMs) {
  const wsIds = [...new Set(movements.map((m) => m.workspace_id))].sort((a, b) => a - b);
  const col = new Map(wsIds.map((id, i) => [id, i]));
  const xs = [];
  const ys = wsIds.map(() => []);
  const level = wsIds.map(() => 0);
  const latest = wsIds.map(() => '0');  // exact decimal text, for the words under the title
  for (const m of movements) {
    const t = Date.parse(m.created_at) / 1000;
    level[col.get(m.workspace_id)] = Number(m.balance_after);  // for drawing only
    latest[col.get(m.workspace_id)] = m.balance_after;
    if (xs.length && xs[xs.length - 1] === t) {
      ys.forEach((s, i) => { s[s.length - 1] = level[i]; });
    } else {
      xs.push(t);
      ys.forEach((s, i) => s.push(level[i]));
    }
  }
  const now = nowMs / 1000;
  if (xs.length && now > xs[xs.length - 1]) {
    xs.push(now);
    ys.forEach((s, i) => s.push(level[i]));
  }
  return { wsIds, xs, ys, latest };
}

export function render(session) {
  const prod = field('product_id', 'Product', 'select');
  const box = h('div', { class: 'chart', id: 'level-chart', role: 'figure', 'aria-label': 'Stock level chart' });
  const note = h('p', { class: 'chart-legend-note', 'aria-live': 'polite' });
  const dataTable = h('div', {});
  let plot = null;
  let observer = null;
  let token = 0;

  const destroyPlot = () => { plot?.destroy(); plot = null; };

  const draw = async () => {
    const mine = ++token;
    const id = Number(prod.control.value);
    destroyPlot();
    box.replaceChildren();
    dataTable.replaceChildren();
    if (!id) { note.textContent = 'No product yet: add one in the Catalog.'; return; }
    const movements = session.allMovements({ product_id: id });
    const { wsIds, xs, ys, latest } = levelSeries(movements, Date.now());
    if (!xs.length) { note.textContent = `${session.productLabel(id)} has no movement yet.`; return; }
    note.textContent = `${session.productLabel(id)} now: ` +
      wsIds.map((w, i) => `${session.workspaceName(w)} ${latest[i]}`).join(', ') + '.';
    box.setAttribute('aria-label', `Stock level of ${session.productLabel(id)} over time. ${note.textContent}`);
    dataTable.replaceChildren(h('details', {}, h('summary', {}, 'The movements behind the chart'),
      table([
        { label: '#', num: true, get: (m) => String(m.id) },
        { label: 'Date', get: (m) => formatTime(m.created_at) },
        { label: 'Workspace', get: (m) => session.workspaceName(m.workspace_id) },
        { label: 'Change', num: true, get: (m) => m.quantity },
        { label: 'Level after', num: true, get: (m) => m.balance_after },
      ], movements)));
    let UPlot;
    try { UPlot = await loadUPlot(); } catch {
      note.textContent += ' (The chart library is not installed: run npm ci.)';
      return;
    }
    if (mine !== token) return;
    const decimals = session.product(id)?.decimals ?? 2;
    const opts = {
      width: Math.max(280, box.clientWidth || 600),
      height: 300,
      scales: { x: { time: true } },
      axes: [{}, {
        values: (u, vals) => vals.map((v) => v.toFixed(decimals)),
        // wide enough for the longest label (uPlot's default 50px clips "1200.00")
        size: (u, values) => 18 + 8 * Math.max(4, ...(values ?? []).map((v) => String(v).length)),
      }],
      series: [
        { label: 'Time', value: (u, v) => (v == null ? '' : new Date(v * 1000).toLocaleString()) },
        ...wsIds.map((w, i) => ({
          label: session.workspaceName(w),
          stroke: COLORS[i % COLORS.length],
          width: 2,
          points: { show: false },
          paths: UPlot.paths.stepped({ align: 1 }),
          value: (u, v) => (v == null ? '' : v.toFixed(decimals)),
        })),
      ],
    };
    plot = new UPlot(opts, [xs, ...ys], box);
  };

  prod.control.addEventListener('change', draw);

  const el = h('div', { class: 'view', 'data-view': 'chart' },
    h('section', { class: 'card' }, h('h2', {}, 'Stock level over time'),
      h('p', { class: 'hint' }, 'One line per workspace; each step is a movement.'),
      prod, note, box, dataTable));

  el.refresh = () => {
    setOptions(prod.control, session.catalog.products.map((p) => ({ value: p.id, label: `${p.name} (${p.sku})` })));
    draw();
  };
  el.destroy = () => { token++; destroyPlot(); observer?.disconnect(); };
  if (typeof ResizeObserver === 'function') {
    observer = new ResizeObserver(() => {
      if (plot && box.clientWidth && Math.abs(plot.width - box.clientWidth) > 4) {
        plot.setSize({ width: Math.max(280, box.clientWidth), height: 300 });
      }
    });
    observer.observe(box);
  }
  // Draw once the view is in the document (the box needs its width).
  requestAnimationFrame(() => el.refresh());
  return el;
}
