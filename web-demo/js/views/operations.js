// Record stock: initial stock, transfer, adjustment, sale (and voiding it), purchase, stock count.
// Each form is one ledger command; its error is shown under it, its result (and the package call)
// too.

import { field, formCard, h, REASON_LABELS, setOptions, showCall, showOk, TYPE_LABELS } from '../ui.js';

export const title = 'Record stock';

/** `value` trimmed, or undefined when empty (optional members are left out of the command). */
function opt(control) {
  const v = control.value.trim();
  return v === '' ? undefined : v;
}

function withoutUndefined(obj) {
  return JSON.parse(JSON.stringify(obj));
}

export function render(session) {
  const productSelects = [];
  const workspaceSelects = [];
  const levelHints = [];
  const product = (label = 'Product') => {
    const f = field('product_id', label, 'select');
    productSelects.push(f.control);
    return f;
  };
  const workspace = (label = 'Workspace', name = 'workspace_id') => {
    const f = field(name, label, 'select');
    workspaceSelects.push(f.control);
    return f;
  };
  /** A live "in stock here" line for a workspace + product pair. */
  const levelHint = (ws, prod) => {
    const el = h('p', { class: 'hint', 'aria-live': 'polite' });
    const update = () => {
      const p = Number(prod.control.value);
      const w = Number(ws.control.value);
      if (!p || !w || !session.product(p)) { el.textContent = ''; return; }
      try {
        const row = session.ledger.productStock(p).data.find((r) => r.workspace_id === w);
        el.textContent = row ? `In stock in ${row.workspace_name}: ${row.quantity}` : '';
      } catch { el.textContent = ''; }
    };
    ws.control.addEventListener('change', update);
    prod.control.addEventListener('change', update);
    levelHints.push(update);
    return el;
  };

  /** Sentence for an error, naming the product and workspace and what is available. */
  const describe = (e) => {
    if (e?.code === 'insufficient_stock' && e.details) {
      const d = e.details;
      return `Not enough stock: ${session.workspaceName(d.workspace_id)} has only ${d.available} of ` +
        `${session.productLabel(d.product_id)} available, and this needs ${d.requested}. Nothing was recorded.`;
    }
    if (e?.code === 'stale_quantity' && e.details) {
      return `The stock changed meanwhile: it is now ${e.details.available}, not ${e.details.requested}.`;
    }
    return undefined;
  };

  const done = (form, call, r) => {
    showCall(form, call, r);
    const ms = r.movements;
    if (!ms.length) {
      showOk(form, r.minimums?.length ? 'Saved the minimum; no stock moved.' : 'Nothing to record: no stock moved.');
    } else {
      showOk(form, `Recorded ${ms.map((m) => `${TYPE_LABELS[m.type] ?? m.type} #${m.id}: ${m.quantity} ` +
        `${m.product.name} in ${session.workspaceName(m.workspace_id)}, now ${m.balance_after}`).join('; ')}.`);
    }
    for (const u of levelHints) u();
  };

  const card = (spec) => {
    const c = formCard(spec.title, spec);
    c.form.describeError = describe;
    return c;
  };

  // ---- initial stock
  const iWs = workspace();
  const iProd = product();
  const iQty = field('quantity', 'Quantity on hand', 'decimal', { placeholder: 'e.g. 100' });
  const iCost = field('cost_per_unit', 'Cost per unit (optional)', 'decimal', { placeholder: 'e.g. 2.50' });
  const iMin = field('minimum_quantity', 'Minimum (optional)', 'decimal', { placeholder: 'e.g. 10' });
  const initial = card({
    title: 'Initial stock', id: 'form-initial', submitLabel: 'Set initial stock',
    hint: 'What a workspace holds when you start; once per product and workspace.',
    fields: [iWs, iProd, levelHint(iWs, iProd), iQty, iCost, iMin],
    async onsubmit(form) {
      const cmd = withoutUndefined({
        workspace_id: Number(iWs.control.value),
        items: [{ product_id: Number(iProd.control.value), quantity: iQty.control.value.trim(),
          cost_per_unit: opt(iCost.control), minimum_quantity: opt(iMin.control) }],
      });
      const r = await session.command('initialStock', cmd);
      done(form, `ledger.initialStock(${JSON.stringify(cmd)})`, r);
      iQty.control.value = ''; iCost.control.value = ''; iMin.control.value = '';
    },
  });

  // ---- transfer
  const tProd = product();
  const tFrom = workspace('From workspace', 'from_workspace_id');
  const tTo = workspace('To workspace', 'to_workspace_id');
  const tQty = field('quantity', 'Quantity', 'decimal', { placeholder: 'e.g. 25' });
  const tRef = field('reference', 'Reference (optional)', 'text', { placeholder: 'e.g. TRF-001' });
  const transfer = card({
    title: 'Transfer', id: 'form-transfer', submitLabel: 'Transfer',
    hint: 'Moves stock from one workspace to another; never below zero at the source.',
    fields: [tProd, tFrom, levelHint(tFrom, tProd), tTo, tQty, tRef],
    async onsubmit(form) {
      const cmd = withoutUndefined({
        product_id: Number(tProd.control.value), from_workspace_id: Number(tFrom.control.value),
        to_workspace_id: Number(tTo.control.value), quantity: tQty.control.value.trim(), reference: opt(tRef.control),
      });
      const r = await session.command('transfer', cmd);
      done(form, `ledger.transfer(${JSON.stringify(cmd)})`, r);
      tQty.control.value = ''; tRef.control.value = '';
    },
  });

  // ---- adjust
  const aWs = workspace();
  const aProd = product();
  const aQty = field('quantity', 'Change (+ adds, − removes)', 'decimal', { placeholder: 'e.g. -2' });
  const aReason = field('reason', 'Reason', 'select', {
    options: Object.entries(REASON_LABELS).map(([value, label]) => ({ value, label })),
  });
  const aNotes = field('notes', 'Notes (optional)', 'text');
  const adjust = card({
    title: 'Adjust', id: 'form-adjust', submitLabel: 'Adjust',
    hint: 'Corrects stock: breakage, loss, a find. Below zero only for products that allow it.',
    fields: [aWs, aProd, levelHint(aWs, aProd), aQty, aReason, aNotes],
    async onsubmit(form) {
      const cmd = withoutUndefined({
        workspace_id: Number(aWs.control.value),
        items: [{ product_id: Number(aProd.control.value), quantity: aQty.control.value.trim().replace(/^−/, '-'),
          reason: aReason.control.value, notes: opt(aNotes.control) }],
      });
      const r = await session.command('adjust', cmd);
      done(form, `ledger.adjust(${JSON.stringify(cmd)})`, r);
      aQty.control.value = ''; aNotes.control.value = '';
    },
  });

  // ---- sale
  const sWs = workspace();
  const sProd = product();
  const sQty = field('quantity', 'Quantity sold', 'decimal', { placeholder: 'e.g. 3' });
  const sRef = field('reference', 'Reference (optional)', 'text', { placeholder: 'e.g. receipt 42' });
  const sale = card({
    title: 'Sale', id: 'form-sale', submitLabel: 'Record sale',
    hint: 'Each sale gets the next invoice number; a sale can be voided below.',
    fields: [sWs, sProd, levelHint(sWs, sProd), sQty, sRef],
    async onsubmit(form) {
      const cmd = withoutUndefined({
        workspace_id: Number(sWs.control.value),
        lines: [{ product_id: Number(sProd.control.value), quantity: sQty.control.value.trim() }],
        reference: opt(sRef.control),
      });
      const invoice = session.catalog.next.invoice;
      const r = await session.command('sell', cmd);
      done(form, `ledger.sell(${JSON.stringify({ ...cmd, invoice_id: invoice })})`, r);
      form.card.ok.prepend(`Invoice ${invoice}. `);
      sQty.control.value = ''; sRef.control.value = '';
      fillInvoices();
    },
  });

  // ---- void sale
  const vInvoice = field('invoice_id', 'Invoice', 'select');
  const vNotes = field('notes', 'Notes (optional)', 'text');
  const voidCard = card({
    title: 'Void a sale', id: 'form-void', submitLabel: 'Void sale',
    hint: 'Puts the sold stock back, with a movement linked to each sale movement.',
    fields: [vInvoice, vNotes],
    async onsubmit(form) {
      const cmd = withoutUndefined({ invoice_id: Number(vInvoice.control.value), notes: opt(vNotes.control) });
      const r = await session.command('voidSale', cmd);
      done(form, `ledger.voidSale(${JSON.stringify(cmd)})`, r);
      vNotes.control.value = '';
      fillInvoices();
    },
  });
  const fillInvoices = () => {
    const sales = session.allMovements({ type: 'sale' });
    const voided = new Set(sales.filter((m) => m.linked_movement_id !== null && Number(m.quantity) > 0).map((m) => m.invoice_id));
    const open = new Map();
    for (const m of sales) {
      if (Number(m.quantity) >= 0 || voided.has(m.invoice_id)) continue;
      const list = open.get(m.invoice_id) ?? [];
      list.push(`${m.quantity.replace(/^-/, '')} ${m.product.name}`);
      open.set(m.invoice_id, list);
    }
    const options = [...open.entries()].reverse()
      .map(([inv, lines]) => ({ value: inv, label: `Invoice ${inv}: ${lines.join(', ')}` }));
    setOptions(vInvoice.control, options.length ? options : [{ value: '', label: 'No sale to void' }]);
  };

  // ---- purchase
  const pWs = workspace();
  const pProd = product();
  const pQty = field('quantity', 'Quantity received', 'decimal', { placeholder: 'e.g. 50' });
  const pCost = field('unit_cost', 'Unit cost (optional)', 'decimal', { placeholder: 'e.g. 1.20' });
  const pRef = field('reference', 'Reference (optional)', 'text', { placeholder: 'e.g. PO-17' });
  const purchase = card({
    title: 'Purchase', id: 'form-purchase', submitLabel: 'Record purchase',
    hint: 'Stock received from a supplier.',
    fields: [pWs, pProd, levelHint(pWs, pProd), pQty, pCost, pRef],
    async onsubmit(form) {
      const cmd = withoutUndefined({
        workspace_id: Number(pWs.control.value),
        items: [{ product_id: Number(pProd.control.value), quantity: pQty.control.value.trim(), unit_cost: opt(pCost.control) }],
        reference: opt(pRef.control),
      });
      const r = await session.command('purchase', cmd);
      done(form, `ledger.purchase(${JSON.stringify(cmd)})`, r);
      pQty.control.value = ''; pCost.control.value = ''; pRef.control.value = '';
    },
  });

  // ---- count
  const cWs = workspace();
  const cProd = product();
  const cQty = field('quantity', 'Counted quantity', 'decimal', { placeholder: 'e.g. 48' });
  const count = card({
    title: 'Stock count', id: 'form-count', submitLabel: 'Record count',
    hint: 'Enter what is on the shelf; the difference is recorded as a recount adjustment.',
    fields: [cWs, cProd, levelHint(cWs, cProd), cQty],
    async onsubmit(form) {
      const cmd = { workspace_id: Number(cWs.control.value),
        items: [{ product_id: Number(cProd.control.value), quantity: cQty.control.value.trim() }] };
      const r = await session.command('count', cmd);
      done(form, `ledger.count(${JSON.stringify(cmd)})`, r);
      cQty.control.value = '';
    },
  });

  const notice = h('p', { class: 'card hint' });
  const el = h('div', { class: 'view', 'data-view': 'operations' }, notice,
    h('div', { class: 'grid' }, initial, transfer, adjust, sale, purchase, count, voidCard));

  el.refresh = () => {
    const products = session.trackedProducts().filter((p) => p.active !== false)
      .map((p) => ({ value: p.id, label: `${p.name} (${p.sku})` }));
    const workspaces = session.activeWorkspaces().map((w) => ({ value: w.id, label: w.name }));
    for (const s of productSelects) setOptions(s, products);
    for (const s of workspaceSelects) setOptions(s, workspaces);
    if (workspaces.length > 1 && tTo.control.value === tFrom.control.value) tTo.control.value = String(workspaces[1].value);
    const missing = [!workspaces.length && 'a workspace', !products.length && 'a product'].filter(Boolean);
    notice.replaceChildren(...(missing.length
      ? ['To record stock, first add ', missing.join(' and '), ' in the ', h('a', { href: '#catalog' }, 'Catalog'), '.']
      : ['Quantities are exact decimals (type 12.5, not 12,5). Every change is saved in this browser at once.']));
    fillInvoices();
    for (const u of levelHints) u();
  };
  el.refresh();
  return el;
}
