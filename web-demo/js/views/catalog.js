// Catalog: workspaces (shops, warehouses), products (SKU, decimals, negative stock) and minimums.
// Ids are assigned by the page; the facts are registered into the ledger and kept in IndexedDB.

import { field, formCard, h, setOptions, showCall, showOk, table } from '../ui.js';

export const title = 'Catalog';

const DECIMALS = [0, 1, 2, 3, 4].map((d) => ({
  value: d, label: d === 0 ? '0 (whole units)' : `${d} (e.g. ${(1.5).toFixed(d)})`,
}));

function yes(v) { return v ? 'Yes' : 'No'; }

export function render(session) {
  // ---- workspace form
  const wsPick = field('edit_workspace', 'Workspace', 'select');
  const wsName = field('name', 'Name', 'text', { placeholder: 'e.g. Main store', required: true });
  const wsActive = field('active', 'Active (can receive and send stock)', 'checkbox', { value: true });
  const wsCard = formCard('Workspaces', {
    id: 'form-workspace',
    hint: 'A workspace is a place that holds stock: a shop, a warehouse, a van.',
    fields: [wsPick, wsName, wsActive],
    submitLabel: 'Save workspace',
    async onsubmit(form) {
      const id = Number(wsPick.control.value) || undefined;
      const ws = await session.saveWorkspace({ id, name: wsName.control.value, active: wsActive.control.checked });
      showCall(form, `ledger.register({ workspaces: [${JSON.stringify(ws)}] })`, {});
      showOk(form, `${id ? 'Saved' : 'Added'} workspace ${ws.name} (id ${ws.id}).`);
      if (!id) { wsName.control.value = ''; wsActive.control.checked = true; }
      fillWsPick(ws.id);
    },
  });
  const fillWsPick = (selected) => {
    setOptions(wsPick.control, [{ value: '', label: 'New workspace' },
      ...session.catalog.workspaces.map((w) => ({ value: w.id, label: `Edit: ${w.name}` }))], selected ?? '');
  };
  wsPick.control.addEventListener('change', () => {
    const w = session.workspace(wsPick.control.value);
    wsName.control.value = w?.name ?? '';
    wsActive.control.checked = w ? w.active !== false : true;
  });

  // ---- product form
  const pPick = field('edit_product', 'Product', 'select');
  const pSku = field('sku', 'SKU', 'text', { placeholder: 'e.g. A-100', required: true });
  const pName = field('name', 'Name', 'text', { placeholder: 'e.g. Apples', required: true });
  const pDecimals = field('decimals', 'Decimal places', 'select', { options: DECIMALS, value: 2,
    hint: 'How finely it is counted: 0 for pieces, 3 for kilograms to the gram.' });
  const pNegative = field('allow_negative_stock', 'Allow negative stock (sell or adjust below zero)', 'checkbox');
  const pTracked = field('track_inventory', 'Track inventory', 'checkbox', { value: true });
  const pActive = field('active', 'Active', 'checkbox', { value: true });
  const pCard = formCard('Products', {
    id: 'form-product',
    hint: 'Decimal places cannot change once the product has movements.',
    fields: [pPick, pSku, pName, pDecimals, pNegative, pTracked, pActive],
    submitLabel: 'Save product',
    async onsubmit(form) {
      const id = Number(pPick.control.value) || undefined;
      const p = await session.saveProduct({
        id, sku: pSku.control.value, name: pName.control.value, decimals: Number(pDecimals.control.value),
        allow_negative_stock: pNegative.control.checked, track_inventory: pTracked.control.checked,
        active: pActive.control.checked,
      });
      showCall(form, `ledger.register({ products: [${JSON.stringify(p)}] })`, {});
      showOk(form, `${id ? 'Saved' : 'Added'} product ${p.name} (${p.sku}), id ${p.id}.`);
      if (!id) {
        pSku.control.value = ''; pName.control.value = '';
        pNegative.control.checked = false; pTracked.control.checked = true; pActive.control.checked = true;
      }
      fillPPick(p.id);
    },
  });
  const fillPPick = (selected) => {
    setOptions(pPick.control, [{ value: '', label: 'New product' },
      ...session.catalog.products.map((p) => ({ value: p.id, label: `Edit: ${p.name} (${p.sku})` }))], selected ?? '');
  };
  pPick.control.addEventListener('change', () => {
    const p = session.product(pPick.control.value);
    pSku.control.value = p?.sku ?? '';
    pName.control.value = p?.name ?? '';
    pDecimals.control.value = String(p?.decimals ?? 2);
    pNegative.control.checked = Boolean(p?.allow_negative_stock);
    pTracked.control.checked = p ? p.track_inventory !== false : true;
    pActive.control.checked = p ? p.active !== false : true;
  });

  // ---- minimum form
  const mProduct = field('product_id', 'Product', 'select');
  const mWorkspace = field('workspace_id', 'Workspace', 'select');
  const mQty = field('minimum_quantity', 'Minimum quantity', 'decimal', { placeholder: 'e.g. 10' });
  const mCard = formCard('Minimum stock', {
    id: 'form-minimum',
    hint: 'At or below its minimum, a product shows up in the low-stock alerts. 0 turns the alert off.',
    fields: [mProduct, mWorkspace, mQty],
    submitLabel: 'Set minimum',
    async onsubmit(form) {
      const cmd = {
        product_id: Number(mProduct.control.value), workspace_id: Number(mWorkspace.control.value),
        minimum_quantity: mQty.control.value.trim(),
      };
      const r = await session.command('setMinimum', cmd);
      showCall(form, `ledger.setMinimum(${JSON.stringify(cmd)})`, r);
      const m = r.minimums[0];
      showOk(form, `Minimum of ${session.productLabel(m.product_id)} in ${session.workspaceName(m.workspace_id)}: ${m.minimum_quantity}.`);
    },
  });

  // ---- lists
  const lists = h('section', { class: 'card', 'aria-label': 'Workspaces and products' });
  const fillLists = () => {
    const c = session.catalog;
    const minOf = (p, w) => c.minimums.find((m) => m.product_id === p && m.workspace_id === w)?.minimum_quantity;
    lists.replaceChildren(...[
      h('h2', {}, 'What is registered'),
      table([
        { label: 'Id', num: true, get: (w) => String(w.id) },
        { label: 'Workspace', get: (w) => w.name },
        { label: 'Active', get: (w) => yes(w.active !== false) },
      ], c.workspaces, { caption: 'Workspaces', empty: 'No workspace yet: add one above.' }),
      table([
        { label: 'Id', num: true, get: (p) => String(p.id) },
        { label: 'SKU', get: (p) => p.sku },
        { label: 'Name', get: (p) => p.name },
        { label: 'Decimals', num: true, get: (p) => String(p.decimals) },
        { label: 'Negative stock', get: (p) => yes(p.allow_negative_stock) },
        { label: 'Tracked', get: (p) => yes(p.track_inventory !== false) },
        { label: 'Active', get: (p) => yes(p.active !== false) },
      ], c.products, { caption: 'Products', empty: 'No product yet: add one above.' }),
      c.minimums.some((m) => Number(m.minimum_quantity) > 0)
        ? table([
          { label: 'Product', get: (m) => session.productLabel(m.product_id) },
          { label: 'Workspace', get: (m) => session.workspaceName(m.workspace_id) },
          { label: 'Minimum', num: true, get: (m) => minOf(m.product_id, m.workspace_id) },
        ], c.minimums.filter((m) => Number(m.minimum_quantity) > 0), { caption: 'Minimums' })
        : null,
    ].filter(Boolean));
  };

  const fillSelects = () => {
    fillWsPick(wsPick.control.value);
    fillPPick(pPick.control.value);
    setOptions(mProduct.control, session.trackedProducts().map((p) => ({ value: p.id, label: `${p.name} (${p.sku})` })));
    setOptions(mWorkspace.control, session.activeWorkspaces().map((w) => ({ value: w.id, label: w.name })));
  };

  const el = h('div', { class: 'view', 'data-view': 'catalog' },
    h('div', { class: 'grid' }, wsCard, pCard, mCard), h('div', { class: 'spacer' }), lists);
  el.refresh = () => { fillSelects(); fillLists(); };
  el.refresh();
  return el;
}
