// The page: opens the session (IndexedDB + the stockroom ledger), then shows one view at a time,
// chosen by the URL hash (#catalog, #operations, #stock, #report, #chart, #data).

import { Session } from './session.js';
import { h } from './ui.js';
import * as catalogView from './views/catalog.js';
import * as operationsView from './views/operations.js';
import * as stockView from './views/stock.js';
import * as reportView from './views/report.js';
import * as chartView from './views/chart.js';
import * as dataView from './views/data.js';

const VIEWS = {
  catalog: catalogView,
  operations: operationsView,
  stock: stockView,
  report: reportView,
  chart: chartView,
  data: dataView,
};

const main = document.getElementById('main');
const status = document.getElementById('status');
const badge = document.getElementById('low-badge');
let session = null;
let current = null;  // { name, el }

function setStatus(text, isError = false) {
  status.textContent = text;
  status.classList.toggle('error', isError);
}

function summary() {
  const { movements } = session.ledger.stats();
  const c = session.catalog;
  return `Ready: ${c.workspaces.length} workspace${c.workspaces.length === 1 ? '' : 's'}, ` +
    `${c.products.length} product${c.products.length === 1 ? '' : 's'}, ${movements} movement${movements === 1 ? '' : 's'}. ` +
    'Saved in this browser.';
}

function updateBadge() {
  const n = session.lowStockAll().length;
  badge.hidden = n === 0;
  badge.textContent = String(n);
  badge.setAttribute('aria-label', `${n} low-stock alert${n === 1 ? '' : 's'}`);
}

function viewName() {
  const name = location.hash.replace(/^#/, '');
  if (VIEWS[name]) return name;
  return session && session.catalog.workspaces.length && session.catalog.products.length ? 'operations' : 'catalog';
}

function show(focus) {
  const name = viewName();
  for (const a of document.querySelectorAll('.tabs a')) {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  current?.el.destroy?.();
  const el = VIEWS[name].render(session);
  current = { name, el };
  main.replaceChildren(el);
  document.title = `${VIEWS[name].title} · Stockroom demo`;
  if (focus) main.focus();
}

async function start() {
  try {
    session = await Session.open();
  } catch (e) {
    console.error(e);
    setStatus(`The stock engine or the stored data could not be loaded: ${e?.message ?? e}`, true);
    main.replaceChildren(h('section', { class: 'card' },
      h('h2', {}, 'Nothing could be loaded'),
      h('p', {}, 'If the data stored in this browser is damaged, you can erase it and start over ',
        '(export first from a working copy if you have one).'),
      h('button', {
        type: 'button', class: 'danger',
        onclick: async () => {
          indexedDB.deleteDatabase('stockroom-demo');
          location.reload();
        },
      }, 'Erase the stored data and reload')));
    return;
  }
  setStatus(summary());
  document.documentElement.dataset.ready = 'true';
  session.onChange(() => {
    setStatus(summary());
    updateBadge();
    current?.el.refresh?.();
  });
  updateBadge();
  window.addEventListener('hashchange', () => show(true));
  show(false);
}

start();
