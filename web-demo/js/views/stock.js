// Stock levels: one product in every workspace, one workspace's stock (now or at the end of a day),
// and the low-stock alerts of every workspace.

import { field, h, setOptions, statusCell, table } from '../ui.js';

export const title = 'Stock levels';

export function render(session) {
  // ---- product across workspaces
  const prod = field('product_id', 'Product', 'select');
  const prodOut = h('div', { id: 'product-stock', 'aria-live': 'polite' });
  const showProduct = () => {
    const id = Number(prod.control.value);
    if (!id) { prodOut.replaceChildren(h('p', { class: 'empty' }, 'No product yet.')); return; }
    const r = session.ledger.productStock(id);
    prodOut.replaceChildren(table([
      { label: 'Workspace', get: (row) => row.workspace_name },
      { label: 'Quantity', num: true, get: (row) => row.quantity },
      { label: 'Minimum', num: true, get: (row) => row.minimum_quantity },
      { label: 'Status', get: (row) => statusCell(row.status) },
    ], r.data.map((row) => ({ ...row, __class: `ws-${row.workspace_id}` })), {
      caption: `${session.productLabel(id)} in every workspace`,
      empty: 'No workspace yet.',
      footer: h('tr', { class: 'total' }, h('td', {}, 'Total'), h('td', { class: 'num', 'data-total': '' }, r.total_quantity),
        h('td', {}), h('td', {})),
    }));
  };
  prod.control.addEventListener('change', showProduct);

  // ---- one workspace
  const ws = field('workspace_id', 'Workspace', 'select');
  const asOf = field('as_of_date', 'As of the end of (optional)', 'date');
  const wsOut = h('div', { id: 'workspace-stock', 'aria-live': 'polite' });
  const wsError = h('div', { class: 'form-error', role: 'alert' });
  const showWorkspace = () => {
    wsError.replaceChildren();
    const id = Number(ws.control.value);
    if (!id) { wsOut.replaceChildren(h('p', { class: 'empty' }, 'No workspace yet.')); return; }
    const query = { workspace_id: id };
    if (asOf.control.value) query.as_of_date = asOf.control.value;
    let r;
    try { r = session.ledger.workspaceLevels(query); } catch (e) {
      wsError.textContent = e.message; wsOut.replaceChildren(); return;
    }
    wsOut.replaceChildren(table([
      { label: 'Product', get: (row) => `${row.product.name} (${row.product.sku})` },
      { label: 'Quantity', num: true, get: (row) => row.quantity },
      { label: 'Minimum', num: true, get: (row) => row.minimum_quantity },
      { label: 'Status', get: (row) => statusCell(row.status) },
    ], r.data, {
      caption: `Stock in ${session.workspaceName(id)}${query.as_of_date ? ` at the end of ${query.as_of_date}` : ''}`,
      empty: 'No stock has been recorded in this workspace.',
    }));
  };
  ws.control.addEventListener('change', showWorkspace);
  asOf.control.addEventListener('change', showWorkspace);

  // ---- low stock
  const lowOut = h('div', { id: 'low-stock', 'aria-live': 'polite' });
  const showLow = () => {
    const rows = session.lowStockAll();
    lowOut.replaceChildren(rows.length
      ? h('ul', { class: 'alerts' }, rows.map((r) => h('li', {},
        h('strong', {}, `${r.product.name} (${r.product.sku})`), ` in ${session.workspaceName(r.workspace_id)}: `,
        `${r.quantity} left, minimum ${r.minimum_quantity}, short by ${r.shortage}. `, statusCell(r.status))))
      : h('p', { class: 'empty' }, 'No alerts: everything is above its minimum.'));
  };

  const el = h('div', { class: 'view', 'data-view': 'stock' },
    h('div', { class: 'grid' },
      h('section', { class: 'card', 'aria-labelledby': 'h-low' }, h('h2', { id: 'h-low' }, 'Low-stock alerts'), lowOut),
      h('section', { class: 'card', 'aria-labelledby': 'h-prod' }, h('h2', { id: 'h-prod' }, 'A product in every workspace'),
        prod, prodOut),
      h('section', { class: 'card', 'aria-labelledby': 'h-ws' }, h('h2', { id: 'h-ws' }, 'Stock of a workspace'),
        h('div', { class: 'row' }, ws, asOf), wsError, wsOut)));

  el.refresh = () => {
    setOptions(prod.control, session.catalog.products.map((p) => ({ value: p.id, label: `${p.name} (${p.sku})` })));
    setOptions(ws.control, session.catalog.workspaces.map((w) => ({ value: w.id, label: w.name })));
    showProduct();
    showWorkspace();
    showLow();
  };
  el.refresh();
  return el;
}
