// Small DOM helpers shared by the views: element building, labelled fields, form errors in plain
// words, tables. No framework.

let uid = 0;

/** h('div', { class: 'x', onclick }, child, ...): an element; children may be strings, nodes, arrays, null. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

export function nextId(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * A labelled field. `control` is 'text' | 'decimal' | 'date' | 'select' | 'checkbox' | 'textarea'.
 * Returns the wrapper; the control is wrapper.control. The control's `name` is the field key that
 * server-side (core) error paths map onto, and its error line is announced with aria-describedby.
 */
export function field(name, label, control = 'text', opts = {}) {
  const id = opts.id ?? nextId(name.replace(/[^a-z0-9]+/gi, '-'));
  const errId = `${id}-error`;
  const hintId = opts.hint ? `${id}-hint` : null;
  const described = [hintId, errId].filter(Boolean).join(' ');
  let input;
  if (control === 'select') {
    input = h('select', { id, name, 'aria-describedby': described, required: opts.required ?? false });
    setOptions(input, opts.options ?? [], opts.value);
  } else if (control === 'checkbox') {
    input = h('input', { id, name, type: 'checkbox', 'aria-describedby': described });
    input.checked = Boolean(opts.value);
  } else if (control === 'textarea') {
    input = h('textarea', { id, name, rows: opts.rows ?? 2, 'aria-describedby': described });
    if (opts.value !== undefined) input.value = opts.value;
  } else {
    input = h('input', {
      id, name, type: control === 'date' ? 'date' : 'text',
      inputmode: control === 'decimal' ? 'decimal' : null,
      autocomplete: 'off',
      placeholder: opts.placeholder ?? null,
      required: opts.required ?? false,
      'aria-describedby': described,
    });
    if (opts.value !== undefined) input.value = opts.value;
  }
  const wrap = control === 'checkbox'
    ? h('div', { class: 'field check' }, input, h('label', { for: id }, label),
      hintId ? h('span', { class: 'hint', id: hintId }, opts.hint) : null,
      h('span', { class: 'field-error', id: errId }))
    : h('div', { class: 'field' }, h('label', { for: id }, label),
      hintId ? h('span', { class: 'hint', id: hintId }, opts.hint) : null,
      input, h('span', { class: 'field-error', id: errId }));
  wrap.control = input;
  return wrap;
}

/** Replaces a select's options with [{ value, label }], keeping the selection when it still exists. */
export function setOptions(select, options, value) {
  const keep = value !== undefined ? String(value) : select.value;
  select.replaceChildren(...options.map((o) => h('option', { value: String(o.value) }, o.label)));
  if (options.some((o) => String(o.value) === keep)) select.value = keep;
}

/** A form with an error box and a success box under it, and a "package call" panel for developers. */
export function formCard(title, { hint, onsubmit, submitLabel = 'Save', fields = [], extra = null, id } = {}) {
  const error = h('div', { class: 'form-error', role: 'alert' });
  const ok = h('div', { class: 'form-ok', role: 'status' });
  const devPre = h('pre', {});
  const dev = h('details', { class: 'dev' }, h('summary', {}, 'Package call'), devPre);
  dev.hidden = true;
  const button = h('button', { type: 'submit' }, submitLabel);
  const form = h('form', { novalidate: true, 'aria-label': title },
    h('div', { class: 'row' }, fields), extra, h('div', { class: 'actions' }, button), error, ok, dev);
  const card = h('section', { class: 'card', id: id ?? null }, h('h2', {}, title),
    hint ? h('p', { class: 'hint' }, hint) : null, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors(form);
    button.disabled = true;
    try {
      await onsubmit(form);
    } catch (e) {
      showError(form, e);
    } finally {
      button.disabled = false;
    }
  });
  Object.assign(card, { form, error, ok, devPre, dev });
  form.card = card;
  return card;
}

export function clearErrors(form) {
  const card = form.card;
  card.error.replaceChildren();
  card.ok.replaceChildren();
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
}

export function showOk(form, message) {
  form.card.ok.textContent = message;
}

/** Records the call made to the package and its answer in the form's developer panel. */
export function showCall(form, call, answer) {
  const card = form.card;
  card.dev.hidden = false;
  card.devPre.textContent = `${call}\n\n→ ${JSON.stringify(answer, null, 2)}`;
}

/** Error path (e.g. "items.0.quantity", "products.0.sku") -> the form field name it belongs to. */
export function fieldOf(path) {
  return String(path).replace(/^(items|lines|products|workspaces|minimums)\.\d+\./, '').replace(/^filter\./, '');
}

/**
 * Shows an error next to the form that caused it: a sentence in the box under the form (the core's
 * message, or a plainer one for stock errors), and each field's own message under that field.
 * `describe` (optional, set by the view) turns a StockroomError into the sentence.
 */
export function showError(form, e) {
  const card = form.card;
  const sentence = form.describeError?.(e) ?? plainMessage(e);
  const box = [h('span', { class: 'msg' }, sentence)];
  if (e && typeof e.code === 'string') box.push(' ', h('span', { class: 'code' }, `(${e.code})`));
  card.error.replaceChildren(...box);
  let focused = false;
  const errors = { ...(e?.errors ?? {}) };
  // A stock error names no field: it is the quantity that does not fit.
  if ((e?.code === 'insufficient_stock' || e?.code === 'stale_quantity') && !Object.keys(errors).length) {
    errors.quantity = [`Available: ${e.details?.available ?? '?'}.`];
  }
  for (const [path, messages] of Object.entries(errors)) {
    const name = fieldOf(path);
    const control = form.elements.namedItem(name);
    if (!control || !(control instanceof HTMLElement)) continue;
    control.setAttribute('aria-invalid', 'true');
    const err = document.getElementById(`${control.id}-error`);
    if (err) err.textContent = messages.join(' ');
    if (!focused) { control.focus(); focused = true; }
  }
  if (!(e && (typeof e.code === 'string' || e.name === 'DemoError'))) console.error(e);  // a bug, not a refusal
}

export function plainMessage(e) {
  if (e && typeof e.message === 'string' && e.message) return e.message;
  return 'Something went wrong.';
}

/** A table: columns [{ label, num?, get(row) -> string|Node }], rows; `empty` when no row. */
export function table(columns, rows, { caption, empty = 'Nothing to show yet.', footer } = {}) {
  if (!rows.length && !footer) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption ?? 'table' },
    h('table', {},
      caption ? h('caption', {}, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', { class: r.__class ?? null },
        columns.map((c) => h('td', { class: [c.num ? 'num' : '', c.cls?.(r) ?? ''].join(' ').trim() || null }, c.get(r)))))),
      footer ? h('tfoot', {}, footer) : null));
}

export const STATUS_LABELS = {
  in_stock: 'In stock', low_stock: 'Low stock', out_of_stock: 'Out of stock',
};

export const TYPE_LABELS = {
  initial_stock: 'Initial stock', purchase: 'Purchase', sale: 'Sale', transfer_out: 'Transfer out',
  transfer_in: 'Transfer in', adjustment: 'Adjustment',
};

export const REASON_LABELS = {
  damaged: 'Damaged', lost: 'Lost', found: 'Found', recount: 'Recount', other: 'Other',
};

export function statusCell(status) {
  return h('span', { class: `status-${status}` }, STATUS_LABELS[status] ?? status);
}

export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** Saves text as a file through a temporary link (no network: a blob URL). */
export function download(filename, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function today() {
  return new Date().toISOString().slice(0, 10);
}
