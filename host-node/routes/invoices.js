// Invoices of the current workspace: creating one sells its stock (core `sell`), voiding returns it.
import { ApiError, invalid, invalidMany, mergeErrors, notFound } from '../lib/errors.js';
import { actorOf } from '../lib/auth.js';
import { envelope, pageParams } from '../lib/pagination.js';
import { id, items, listQuery, money, quantity, text } from '../lib/schemas.js';
import { formatFixed, formatMoney, multiply, parseMoney, parseRaw } from '../lib/decimal.js';
import { pathId } from '../lib/views.js';
import { CURRENT_WORKSPACE_FIELDS, commandErrors, coreCall, eachItem, wireId, wireQty } from './inventory.js';

// Lines' unit prices are money the host owns (the core never sees them).
const unitPrice = (l) => (l.unit_price === undefined || l.unit_price === null ? null : parseMoney(l.unit_price));
function priceErrors(lines) {
  const errors = {};
  (Array.isArray(lines) ? lines : []).forEach((l, i) => {
    if (l?.unit_price != null && parseMoney(l.unit_price) === null) {
      errors[`lines.${i}.unit_price`] = ['The unit price must be a decimal between 0 and 1000000000000 with at most 4 decimal places.'];
    }
  });
  return errors;
}
// The value checks of a refused body run the sale for an invoice that cannot exist yet (and undo it).
const PROBE_INVOICE_ID = Number.MAX_SAFE_INTEGER;

export default async function invoiceRoutes(app, { h }) {
  const { store, ledgers } = h;

  const sale = (request, b, invoiceId, at = h.nowMs()) => (l) => l.sell({
    workspace_id: request.ctx.workspaceId, invoice_id: invoiceId, ...(typeof b.number === 'string' && b.number ? { reference: b.number.slice(0, 100) } : {}),
    lines: eachItem(b.lines, (ln) => ({ product_id: wireId(ln.product_id), quantity: wireQty(ln.quantity) })),
    actor: actorOf(request), at,
  });
  /** Every bad field of a body: the prices (host) and the lines (core); see checkValues in app.js. */
  const valueErrors = async (request) => mergeErrors(priceErrors(request.body.lines),
    await commandErrors(ledgers, request, sale(request, request.body, PROBE_INVOICE_ID)));

  function view(orgId, inv, movements) {
    const creator = inv.created_by ? store.getUser(orgId, inv.created_by) : null;
    const lines = store.invoiceLines(inv.id).map((l) => {
      const p = store.getProduct(orgId, l.product_id);
      let lineTotal = null;
      if (l.unit_price !== null) {
        const q = parseRaw(l.quantity); const u = parseMoney(l.unit_price);
        if (q !== null && u !== null) lineTotal = formatMoney(multiply(q, u));
      }
      return {
        product_id: l.product_id, product: p ? { id: p.id, name: p.name, sku: p.sku } : null,
        quantity: l.quantity, unit_price: l.unit_price, line_total: lineTotal,
      };
    });
    const out = {
      id: inv.id, number: inv.number, customer: inv.customer, workspace_id: inv.workspace_id, status: inv.status,
      total: inv.total, lines, created_by: creator ? { id: creator.id, name: creator.name } : null,
      created_at: inv.created_at, voided_at: inv.voided_at,
    };
    if (movements) out.movements = movements;
    return out;
  }

  function movementsOf(ledger, orgId, invoiceId) {
    return store.invoiceMovementIds(orgId, invoiceId).map((mid) => { const r = ledger.getMovement(mid); return r.movement ?? r; });
  }

  const find = (request) => {
    const inv = store.getInvoice(request.ctx.org.id, pathId(request.params.id, 'invoice'));
    if (!inv || inv.workspace_id !== request.ctx.workspaceId) throw notFound('invoice');
    return inv;
  };

  app.get('/invoices', {
    config: { auth: 'user', role: 'viewer' },
    schema: { summary: 'Invoices of the current workspace', tags: ['invoices'], querystring: listQuery(['filter[status]', 'filter[number]']) },
  }, async (request) => {
    const p = pageParams(request.query, { sorts: ['created_at', 'id', 'number'] });
    const q = request.query; const params = [request.ctx.org.id, request.ctx.workspaceId]; let where = 'org_id = ? AND workspace_id = ?';
    if (q['filter[status]'] !== undefined && q['filter[status]'] !== '') {
      if (!['issued', 'void'].includes(q['filter[status]'])) throw invalid('filter[status]', 'The status filter must be issued or void.');
      where += ' AND status = ?'; params.push(q['filter[status]']);
    }
    if (q['filter[number]'] !== undefined && q['filter[number]'] !== '') { where += ' AND number = ?'; params.push(q['filter[number]']); }
    const dir = p.desc ? 'DESC' : 'ASC';
    const { total, rows } = store.page('invoices', { where, params, orderBy: `${p.field} ${dir}, id ${dir}`, limit: p.perPage, offset: p.offset });
    return envelope(request, { data: rows.map((inv) => view(request.ctx.org.id, inv)), total, page: p.page, perPage: p.perPage });
  });

  app.get('/invoices/:id', {
    config: { auth: 'user', role: 'viewer', find },
    schema: { summary: 'One invoice of the current workspace, with its movements', tags: ['invoices'] },
  }, async (request) => {
    const inv = request.resource;
    const ledger = await ledgers.get(request.ctx.org.id);
    return { data: view(request.ctx.org.id, inv, movementsOf(ledger, request.ctx.org.id, inv.id)) };
  });

  app.post('/invoices', {
    config: { auth: 'user', role: 'clerk', checkValues: valueErrors },
    schema: {
      summary: 'Create an invoice in the current workspace; its stock is sold (all or nothing)', tags: ['invoices'],
      body: {
        type: 'object', required: ['lines'],
        properties: {
          number: { type: ['string', 'null'], minLength: 1, maxLength: 100 },
          customer: text(255),
          lines: items({ type: 'object', required: ['product_id', 'quantity'], properties: { product_id: id, quantity, unit_price: money } }),
        },
      },
    },
  }, async (request, reply) => {
    const b = request.body; const orgId = request.ctx.org.id; const ws = request.ctx.workspaceId;
    if (Object.keys(priceErrors(b.lines)).length) throw invalidMany(await valueErrors(request));
    const prices = b.lines.map(unitPrice);
    const number = b.number ?? null;
    const numberTaken = () => new ApiError(409, 'conflict', 'The invoice number has already been taken.', { number: ['The invoice number has already been taken.'] });
    if (number !== null && store.invoiceByNumber(orgId, number)) throw numberTaken();
    const ledger = await ledgers.get(orgId);
    const at = h.nowMs(); const atIso = new Date(at).toISOString();
    try {
      const r = await h.ledgerTx(request, orgId, ledger, (l) => {
        // the invoice id must exist before the sale: row first, in the same transaction
        const invoiceId = store.createInvoice(orgId, { workspace_id: ws, number, customer: b.customer ?? null, total: null, created_by: request.ctx.user.id }, atIso);
        const res = coreCall(() => sale(request, b, invoiceId, at)(l), CURRENT_WORKSPACE_FIELDS);
        let total = null;
        b.lines.forEach((ln, i) => {
          const p = store.getProduct(orgId, Number(ln.product_id));
          const raw = parseRaw(wireQty(ln.quantity));
          const qty = raw !== null && p ? formatFixed(raw, p.decimals) : String(wireQty(ln.quantity));
          store.addInvoiceLine(invoiceId, i, { product_id: Number(ln.product_id), quantity: qty, unit_price: prices[i] === null ? null : formatMoney(prices[i]) });
          if (prices[i] !== null && raw !== null) total = (total ?? 0n) + multiply(raw, prices[i]);
        });
        if (total !== null) store.db.prepare('UPDATE invoices SET total = ? WHERE id = ?').run(formatMoney(total), invoiceId);
        h.persist(orgId, res);
        return { status: 201, body: { data: view(orgId, store.getInvoice(orgId, invoiceId), res.movements) } };
      });
      return reply.code(r.status).send(r.body);
    } catch (e) {
      if (e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && /number/.test(e.message)) throw numberTaken();
      throw e;
    }
  });

  app.post('/invoices/:id/void', {
    config: { auth: 'user', role: 'clerk', find, success: [200] },
    schema: {
      summary: 'Void an invoice: one reversing sale movement per original (twice: 409)', tags: ['invoices'],
      body: { type: ['object', 'null'], properties: { notes: text(500) } },
    },
  }, async (request, reply) => {
    const inv = request.resource; const orgId = request.ctx.org.id;
    if (inv.status === 'void') throw new ApiError(409, 'conflict', 'The invoice is already void.');
    const ledger = await ledgers.get(orgId);
    const at = h.nowMs();
    const r = await h.ledgerTx(request, orgId, ledger, (l) => {
      const fresh = store.getInvoice(orgId, inv.id);
      if (fresh.status === 'void') throw new ApiError(409, 'conflict', 'The invoice is already void.');
      const res = coreCall(() => l.voidSale({ invoice_id: inv.id, ...(request.body?.notes ? { notes: request.body.notes } : {}), actor: actorOf(request), at }));
      h.persist(orgId, res);
      store.voidInvoice(orgId, inv.id, new Date(at).toISOString());
      return { status: 200, body: { data: view(orgId, store.getInvoice(orgId, inv.id), movementsOf(l, orgId, inv.id)) } };
    });
    return reply.code(r.status).send(r.body);
  });
}

