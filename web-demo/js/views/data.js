// Data: export everything (catalog + journal) as one JSON file, the levels as CSV, import an export
// back (checked whole first, then it replaces what is here), check the ledger, erase.

import { DemoError } from '../session.js';
import { field, formCard, h, showCall, showOk, download, today, table } from '../ui.js';

export const title = 'Data';

function csvCell(v) {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Every workspace's levels as CSV text (one row per product with stock or a minimum there). */
export function levelsCsv(session) {
  const lines = [['workspace_id', 'workspace', 'product_id', 'sku', 'product', 'quantity', 'minimum_quantity', 'status']];
  for (const w of session.catalog.workspaces) {
    for (const row of session.ledger.workspaceLevels({ workspace_id: w.id }).data) {
      lines.push([w.id, w.name, row.product_id, row.product.sku, row.product.name, row.quantity, row.minimum_quantity, row.status]);
    }
  }
  return lines.map((l) => l.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

export function render(session) {
  // ---- export
  const exportCard = formCard('Export', {
    id: 'form-export',
    hint: 'One JSON file with the catalog and the journal of every movement: a full backup, readable by the Import below.',
    submitLabel: 'Download export (JSON)',
    extra: h('div', { class: 'actions' }, h('button', {
      type: 'button', class: 'secondary', id: 'export-csv',
      onclick: () => {
        download(`stockroom-levels-${today()}.csv`, levelsCsv(session), 'text/csv');
        showOk(exportCard.form, 'Downloaded the levels as CSV.');
      },
    }, 'Download levels (CSV)')),
    async onsubmit(form) {
      const doc = session.exportDocument();
      download(`stockroom-${today()}.json`, `${JSON.stringify(doc, null, 1)}\n`, 'application/json');
      const lines = doc.journal ? doc.journal.split('\n').length - 1 : 0;
      showCall(form, 'ledger.exportJournal()', { journal: `[${lines} lines]` });
      showOk(form, `Downloaded ${doc.catalog.workspaces.length} workspaces, ${doc.catalog.products.length} products and ${lines} movements.`);
    },
  });

  // ---- import
  const file = h('input', { type: 'file', id: 'import-file', name: 'file', accept: '.json,application/json', 'aria-describedby': 'import-file-error' });
  const fileField = h('div', { class: 'field' }, h('label', { for: 'import-file' }, 'Export file to import'),
    file, h('span', { class: 'field-error', id: 'import-file-error' }));
  const importCard = formCard('Import', {
    id: 'form-import',
    hint: 'Replaces everything in this browser with the file, after checking it whole. Export first if you want to keep what is here.',
    fields: [fileField],
    submitLabel: 'Import and replace',
    async onsubmit(form) {
      const f = file.files?.[0];
      if (!f) {
        throw new DemoError('Choose an export file first.', { file: ['Choose a .json file made by Export.'] });
      }
      const r = await session.importDocument(await f.text());
      showCall(form, 'ledger.register(catalog); ledger.replayJournal(journal)', { appended: r.movements });
      showOk(form, `Imported ${f.name}: ${r.workspaces} workspaces, ${r.products} products, ${r.movements} movements.`);
      file.value = '';
    },
  });

  // ---- verify
  const verifyOut = h('div', { 'aria-live': 'polite' });
  const verifyCard = formCard('Check the ledger', {
    id: 'form-verify',
    hint: 'Recomputes every level from the movements and compares it with the kept level.',
    submitLabel: 'Check',
    async onsubmit(form) {
      const v = session.ledger.verify();
      const s = session.ledger.stats();
      showCall(form, 'ledger.verify(); ledger.stats()', { ...v, ...s });
      if (!v.differences.length) showOk(form, `All levels agree with the ${s.movements} movements.`);
      verifyOut.replaceChildren(v.differences.length ? table([
        { label: 'Product', get: (d) => session.productLabel(d.product_id) },
        { label: 'Workspace', get: (d) => session.workspaceName(d.workspace_id) },
        { label: 'Kept', num: true, get: (d) => d.kept },
        { label: 'Recomputed', num: true, get: (d) => d.recomputed },
      ], v.differences, { caption: 'Differences' }) : '');
    },
    extra: verifyOut,
  });

  // ---- erase
  const confirm = field('confirm', 'Yes, erase every workspace, product and movement in this browser', 'checkbox');
  const eraseCard = formCard('Erase', {
    id: 'form-erase',
    hint: 'Starts over with nothing. This cannot be undone (export first).',
    fields: [confirm],
    submitLabel: 'Erase everything',
    async onsubmit(form) {
      if (!confirm.control.checked) {
        throw new DemoError('Tick the box to confirm.', { confirm: ['Tick this box to confirm.'] });
      }
      await session.eraseAll();
      confirm.control.checked = false;
      showOk(form, 'Everything was erased.');
    },
  });
  eraseCard.querySelector('button[type="submit"]').classList.add('danger');

  const el = h('div', { class: 'view', 'data-view': 'data' },
    h('div', { class: 'grid' }, exportCard, importCard, verifyCard, eraseCard));
  return el;
}
