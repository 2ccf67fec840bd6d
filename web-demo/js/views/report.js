// The movements report of a workspace: filters (product, type, dates), its summary per product
// (opening, in, out, closing) and the movements, page by page.

import { clearErrors, field, formCard, formatTime, h, REASON_LABELS, setOptions, showCall, table, TYPE_LABELS } from '../ui.js';

export const title = 'Movements';

const PER_PAGE = [15, 50, 200].map((n) => ({ value: n, label: String(n) }));

export function render(session) {
  const ws = field('workspace_id', 'Workspace', 'select');
  const prod = field('product_id', 'Product', 'select');
  const start = field('start_date', 'From date', 'date');
  const end = field('end_date', 'To date', 'date');
  const perPage = field('per_page', 'Movements per page', 'select', { options: PER_PAGE, value: 15 });
  const typeBoxes = Object.entries(TYPE_LABELS).map(([value, label]) => {
    const f = field('type', label, 'checkbox');
    f.control.value = value;
    return f;
  });
  const types = h('fieldset', {}, h('legend', {}, 'Types (none ticked: all)'), h('div', { class: 'row' }, typeBoxes));
  const out = h('div', { id: 'report-output', 'aria-live': 'polite' });
  let page = 1;

  const run = () => {
    const form = card.form;
    clearErrors(form);
    const filter = { workspace_id: Number(ws.control.value) };
    if (Number(prod.control.value)) filter.product_id = Number(prod.control.value);
    const picked = typeBoxes.filter((f) => f.control.checked).map((f) => f.control.value);
    if (picked.length) filter.type = picked;
    if (start.control.value) filter.start_date = start.control.value;
    if (end.control.value) filter.end_date = end.control.value;
    const query = { filter, page, per_page: Number(perPage.control.value), sort: '-id' };
    const r = session.ledger.report(query);
    if (r.last_page < page && r.total > 0) { page = r.last_page; return run(); }
    showCall(form, `ledger.report(${JSON.stringify(query)})`, { ...r, data: `[${r.data.length} movements]` });
    out.replaceChildren(...[
      h('h3', {}, 'Summary'),
      table([
        { label: 'Product', get: (s) => `${s.product.name} (${s.product.sku})` },
        { label: 'Opening', num: true, get: (s) => s.opening_balance },
        { label: 'In', num: true, get: (s) => s.quantity_in },
        { label: 'Out', num: true, get: (s) => s.quantity_out },
        { label: 'Net', num: true, get: (s) => s.net },
        { label: 'Closing', num: true, get: (s) => s.closing_balance },
        { label: 'Movements', get: (s) => Object.entries(s.counts).filter(([, n]) => n > 0)
          .map(([t, n]) => `${TYPE_LABELS[t] ?? t} ${n}`).join(', ') },
      ], r.summary, { caption: `Summary for ${session.workspaceName(filter.workspace_id)}`, empty: 'No stock in this range.' }),
      h('h3', {}, `Movements (${r.total})`),
      table([
        { label: '#', num: true, get: (m) => String(m.id) },
        { label: 'Date', get: (m) => formatTime(m.created_at) },
        { label: 'Type', get: (m) => (TYPE_LABELS[m.type] ?? m.type) + (m.reason ? ` (${REASON_LABELS[m.reason] ?? m.reason})` : '') },
        { label: 'Product', get: (m) => `${m.product.name} (${m.product.sku})` },
        { label: 'Quantity', num: true, get: (m) => m.quantity },
        { label: 'Balance', num: true, get: (m) => m.balance_after },
        { label: 'Details', get: (m) => [
          m.from_workspace && m.to_workspace ? `${m.from_workspace.name} → ${m.to_workspace.name}` : null,
          m.invoice_id ? `invoice ${m.invoice_id}` : null,
          m.linked_movement_id ? `linked #${m.linked_movement_id}` : null,
          m.unit_cost ? `unit cost ${m.unit_cost}` : null,
          m.reference, m.notes,
        ].filter(Boolean).join(' · ') },
      ], r.data, { caption: 'Movements, newest first', empty: 'No movement matches these filters.' }),
      r.last_page > 1 ? h('div', { class: 'pager' },
        h('button', { type: 'button', class: 'secondary', disabled: page <= 1, onclick: () => { page -= 1; run(); } }, 'Previous page'),
        h('span', {}, `Page ${r.page} of ${r.last_page}`),
        h('button', { type: 'button', class: 'secondary', disabled: page >= r.last_page, onclick: () => { page += 1; run(); } }, 'Next page'))
        : null,
    ].filter(Boolean));
  };

  const card = formCard('Movements report', {
    id: 'form-report',
    hint: 'Dates are whole days (UTC), both ends included. Type filters the list, not the balances.',
    fields: [ws, prod, start, end, perPage],
    extra: types,
    submitLabel: 'Show report',
    async onsubmit() { page = 1; run(); },
  });

  const el = h('div', { class: 'view', 'data-view': 'report' }, card, h('section', { class: 'card' }, out));
  el.refresh = () => {
    setOptions(ws.control, session.catalog.workspaces.map((w) => ({ value: w.id, label: w.name })));
    setOptions(prod.control, [{ value: '', label: 'All products' },
      ...session.catalog.products.map((p) => ({ value: p.id, label: `${p.name} (${p.sku})` }))]);
    if (!session.catalog.workspaces.length) {
      out.replaceChildren(h('p', { class: 'empty' }, 'No workspace yet: add one in the Catalog.'));
      return;
    }
    try { run(); } catch (e) { /* shown when the form is submitted */ out.replaceChildren(); }
  };
  el.refresh();
  return el;
}
