// Inventory routes (API.md §3, purchases of §4, counts and levels of §5). The core validates and computes
// everything about stock; this file maps HTTP to commands and queries and persists what they produce.
import { forbidden, fromCoreError, invalid, invalidMany, isCoreError, notFound } from '../lib/errors.js';
import { actorOf, requireRole } from '../lib/auth.js';
import { envelope, pageParams } from '../lib/pagination.js';
import { id, items, listQuery, money, quantity, query, reason, text } from '../lib/schemas.js';
import { pathId } from '../lib/views.js';

const TYPES = ['initial_stock', 'purchase', 'sale', 'transfer_out', 'transfer_in', 'adjustment'];
const REASONS = ['damaged', 'lost', 'found', 'recount', 'other'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A request value as the core reads it: ids as numbers when safe, quantities as decimal strings. */
export const wireId = (v) => (v === undefined || v === null ? v : (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)));
export const wireQty = (v) => (typeof v === 'number' ? String(v) : v);

/** Core field paths of queries -> the API's query parameter names. */
const QUERY_FIELDS = {
  'filter.product_id': 'filter[product_id]', 'filter.workspace_id': 'filter[workspace_id]',
  'filter.type': 'filter[type]', 'filter.reason': 'filter[reason]',
  'filter.start_date': 'start_date', 'filter.end_date': 'end_date',
};

export function coreCall(fn, fieldMap) {
  try { return fn(); } catch (e) {
    if (isCoreError(e)) throw fromCoreError(e, fieldMap);
    throw e;
  }
}

function validDate(s) {
  if (!DATE_RE.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00.000Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** filter[...] values of a movement list, checked; throws 422 naming each bad parameter. */
function movementFilter(q, { types = TYPES, defaultTypes = null, dates = false } = {}) {
  const errors = {}; const filter = {};
  const pid = q['filter[product_id]'];
  if (pid !== undefined && pid !== '') {
    if (!/^[1-9][0-9]{0,15}$/.test(pid)) errors['filter[product_id]'] = ['The product id filter must be an integer id.'];
    else filter.product_id = Number(pid);
  }
  const type = q['filter[type]'];
  if (type !== undefined && type !== '') {
    const list = type.split(',').map((s) => s.trim());
    if (!list.every((t) => types.includes(t))) errors['filter[type]'] = [`The type filter must be one or more of: ${types.join(', ')}.`];
    else filter.type = list.join(',');
  } else if (defaultTypes) filter.type = defaultTypes.join(',');
  const rsn = q['filter[reason]'];
  if (rsn !== undefined && rsn !== '') {
    if (!REASONS.includes(rsn)) errors['filter[reason]'] = [`The reason filter must be one of: ${REASONS.join(', ')}.`];
    else filter.reason = rsn;
  }
  if (dates) {
    for (const k of ['start_date', 'end_date']) {
      if (q[k] !== undefined && q[k] !== '') {
        if (!validDate(q[k])) errors[k] = [`The ${k.replace('_', ' ')} must be a date in the form YYYY-MM-DD.`];
        else filter[k] = q[k];
      }
    }
    if (filter.start_date && filter.end_date && filter.start_date > filter.end_date && !errors.end_date) {
      errors.end_date = ['The end date must be a date after or equal to the start date.'];
    }
  }
  if (Object.keys(errors).length) throw invalidMany(errors);
  return filter;
}

/** A workspace named by a query parameter: default current; the user must be a member (403). */
function memberWorkspace(request, value, field) {
  if (value === undefined || value === '') {
    if (!request.ctx.workspaceId) throw forbidden('You are not a member of any workspace.');
    return request.ctx.workspaceId;
  }
  if (!/^[1-9][0-9]{0,15}$/.test(value)) throw invalid(field, `The ${field} must be an integer id.`);
  const ws = Number(value);
  if (!request.ctx.memberships.has(ws)) throw forbidden('You are not a member of this workspace.');
  return ws;
}

const MOVEMENT_SORTS = ['created_at', 'id', 'quantity'];

export default async function inventoryRoutes(app, { h }) {
  const { store, ledgers } = h;
  const ledgerOf = (request) => ledgers.get(request.ctx.org.id);

  /** Runs a command of the current organization and answers 201 with its movements (or `answer(result)`). */
  async function command(request, reply, run, { status = 201, answer = (res) => ({ data: res.movements }), fieldMap } = {}) {
    const orgId = request.ctx.org.id;
    const ledger = await ledgerOf(request);
    const r = await h.ledgerTx(request, orgId, ledger, (l) => {
      const res = coreCall(() => run(l), fieldMap);
      h.persist(orgId, res);
      return { status, body: answer(res) };
    });
    return reply.code(r.status).send(r.body);
  }

  function listMovements(request, ledger, filter, p) {
    const res = coreCall(() => ledger.listMovements({ filter, page: p.page, per_page: p.perPage, sort: p.sort }), QUERY_FIELDS);
    return envelope(request, { data: res.data, total: res.total, page: p.page, perPage: p.perPage });
  }

  // ---- transfers
  app.get('/inventory/transfers', {
    config: { auth: 'user', role: 'viewer' },
    schema: {
      summary: 'Transfer movements of the current workspace (its own legs)', tags: ['inventory'],
      querystring: listQuery(['filter[product_id]', 'filter[type]']),
    },
  }, async (request) => {
    const p = pageParams(request.query, { sorts: MOVEMENT_SORTS });
    const filter = movementFilter(request.query, { types: ['transfer_out', 'transfer_in'], defaultTypes: ['transfer_out', 'transfer_in'] });
    filter.workspace_id = request.ctx.workspaceId;
    return listMovements(request, await ledgerOf(request), filter, p);
  });

  app.get('/inventory/transfers/:id', {
    config: { auth: 'user', role: 'viewer' },
    schema: { summary: 'One transfer leg from or to the current workspace', tags: ['inventory'] },
  }, async (request) => {
    const movementId = pathId(request.params.id, 'transfer');
    const ledger = await ledgerOf(request);
    let m;
    try { const r = ledger.getMovement(movementId); m = r.movement ?? r; } catch (e) {
      if (isCoreError(e)) throw notFound('transfer');
      throw e;
    }
    const ws = request.ctx.workspaceId;
    if (!m || !['transfer_out', 'transfer_in'].includes(m.type) || (m.from_workspace_id !== ws && m.to_workspace_id !== ws)) throw notFound('transfer');
    return { data: m };
  });

  app.post('/inventory/transfers', {
    config: { auth: 'user', role: 'clerk' },
    schema: {
      summary: 'Move stock from the current workspace to another', tags: ['inventory'],
      description: 'Writes transfer_out in the source and transfer_in in the destination, linked. 201 with the transfer_out movement.',
      body: {
        type: 'object', required: ['product_id', 'to_workspace_id', 'quantity'],
        properties: { product_id: id, to_workspace_id: id, quantity, reference: text(100), notes: text(500), expected_quantity: quantity },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    return command(request, reply, (l) => l.transfer({
      product_id: wireId(b.product_id), from_workspace_id: request.ctx.workspaceId, to_workspace_id: wireId(b.to_workspace_id),
      quantity: wireQty(b.quantity), reference: b.reference ?? undefined, notes: b.notes ?? undefined,
      ...(b.expected_quantity !== undefined && b.expected_quantity !== null ? { expected_quantity: wireQty(b.expected_quantity) } : {}),
      actor: actorOf(request), at: h.nowMs(),
    }), { answer: (res) => ({ data: res.movements.find((m) => m.type === 'transfer_out') ?? res.movements[0] }) });
  });

  // ---- adjustments
  app.get('/inventory/adjustments', {
    config: { auth: 'user', role: 'viewer' },
    schema: { summary: 'Adjustment movements of the current workspace', tags: ['inventory'], querystring: listQuery(['filter[product_id]', 'filter[reason]']) },
  }, async (request) => {
    const p = pageParams(request.query, { sorts: MOVEMENT_SORTS });
    const filter = movementFilter(request.query, { types: ['adjustment'], defaultTypes: ['adjustment'] });
    filter.workspace_id = request.ctx.workspaceId;
    return listMovements(request, await ledgerOf(request), filter, p);
  });

  app.post('/inventory/adjustments', {
    config: { auth: 'user', role: 'clerk' },
    schema: {
      summary: 'Adjust stock levels of the current workspace (all or nothing)', tags: ['inventory'],
      body: {
        type: 'object', required: ['items'],
        properties: {
          reference: text(100),
          items: items({
            type: 'object', required: ['product_id', 'quantity', 'reason'],
            properties: { product_id: id, quantity, reason, notes: text(500), expected_quantity: quantity },
          }),
        },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    return command(request, reply, (l) => l.adjust({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined,
      items: b.items.map((it) => ({
        product_id: wireId(it.product_id), quantity: wireQty(it.quantity), reason: it.reason, notes: it.notes ?? undefined,
        ...(it.expected_quantity !== undefined && it.expected_quantity !== null ? { expected_quantity: wireQty(it.expected_quantity) } : {}),
      })),
      actor: actorOf(request), at: h.nowMs(),
    }));
  });

  // ---- initial stock
  app.post('/inventory/initial-stock', {
    config: { auth: 'user', role: 'manager' },
    schema: {
      summary: 'Set the initial stock of products in the current workspace (manager)', tags: ['inventory'],
      body: {
        type: 'object', required: ['items'],
        properties: {
          reference: text(100), notes: text(500),
          items: items({
            type: 'object', required: ['product_id', 'quantity'],
            properties: { product_id: id, quantity, cost_per_unit: money, minimum_quantity: { ...quantity, type: ['string', 'number', 'null'] } },
          }),
        },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    return command(request, reply, (l) => l.initialStock({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined, notes: b.notes ?? undefined,
      items: b.items.map((it) => ({
        product_id: wireId(it.product_id), quantity: wireQty(it.quantity),
        ...(it.cost_per_unit != null ? { cost_per_unit: wireQty(it.cost_per_unit) } : {}),
        ...(it.minimum_quantity != null ? { minimum_quantity: wireQty(it.minimum_quantity) } : {}),
      })),
      actor: actorOf(request), at: h.nowMs(),
    }));
  });

  // ---- purchases
  app.post('/inventory/purchases', {
    config: { auth: 'user', role: 'clerk' },
    schema: {
      summary: 'Record stock received into the current workspace', tags: ['inventory'],
      body: {
        type: 'object', required: ['items'],
        properties: {
          reference: text(100), notes: text(500),
          items: items({ type: 'object', required: ['product_id', 'quantity'], properties: { product_id: id, quantity, unit_cost: money } }),
        },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    return command(request, reply, (l) => l.purchase({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined, notes: b.notes ?? undefined,
      items: b.items.map((it) => ({ product_id: wireId(it.product_id), quantity: wireQty(it.quantity), ...(it.unit_cost != null ? { unit_cost: wireQty(it.unit_cost) } : {}) })),
      actor: actorOf(request), at: h.nowMs(),
    }));
  });

  // ---- counts (§5): absolute quantities; recount adjustments for the differences
  app.post('/inventory/counts', {
    config: { auth: 'user', role: 'clerk' },
    schema: {
      summary: 'Record a stock count in the current workspace', tags: ['inventory'],
      body: {
        type: 'object', required: ['items'],
        properties: {
          reference: text(100),
          items: items({ type: 'object', required: ['product_id', 'quantity'], properties: { product_id: id, quantity, notes: text(500) } }),
        },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    return command(request, reply, (l) => l.count({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined,
      items: b.items.map((it) => ({ product_id: wireId(it.product_id), quantity: wireQty(it.quantity), notes: it.notes ?? undefined })),
      actor: actorOf(request), at: h.nowMs(),
    }));
  });

  // ---- product stock and minimums
  const productOf = (request) => {
    const p = store.getProduct(request.ctx.org.id, pathId(request.params.id, 'product'));
    if (!p) throw notFound('product');
    return p;
  };

  app.get('/inventory/products/:id/stock', {
    config: { auth: 'user', role: 'viewer' },
    schema: { summary: 'A product\'s level in every workspace of the organization', tags: ['inventory'] },
  }, async (request) => {
    const p = productOf(request);
    const ledger = await ledgerOf(request);
    const res = coreCall(() => ledger.productStock(p.id));
    return { data: res.data, product_id: p.id, product: { id: p.id, name: p.name, sku: p.sku }, total_quantity: res.total_quantity };
  });

  app.put('/inventory/products/:id/minimum', {
    config: { auth: 'user' },
    schema: {
      summary: 'Set a product\'s minimum quantity in a workspace (manager)', tags: ['inventory'],
      body: { type: 'object', required: ['minimum_quantity'], properties: { minimum_quantity: quantity, workspace_id: id } },
    },
  }, async (request, reply) => {
    const p = productOf(request); const b = request.body; const orgId = request.ctx.org.id;
    let ws = request.ctx.workspaceId;
    if (b.workspace_id !== undefined) {
      ws = Number(b.workspace_id);
      if (!Number.isSafeInteger(ws) || !store.getWorkspace(orgId, ws)) throw invalid('workspace_id', 'The selected workspace id is invalid.');
    }
    requireRole(request, 'manager', ws);
    return command(request, reply, (l) => l.setMinimum({
      product_id: p.id, workspace_id: ws, minimum_quantity: wireQty(b.minimum_quantity), actor: actorOf(request), at: h.nowMs(),
    }), {
      status: 200,
      answer: (res) => ({ data: res.minimums?.[0] ?? { product_id: p.id, workspace_id: ws, minimum_quantity: String(b.minimum_quantity) } }),
    });
  });

  // ---- low stock
  app.get('/inventory/low-stock', {
    config: { auth: 'user' },
    schema: { summary: 'Products at or below their minimum (or below zero), largest shortage first', tags: ['inventory'], querystring: listQuery(['workspace_id']) },
  }, async (request) => {
    const ws = memberWorkspace(request, request.query.workspace_id, 'workspace_id');
    const p = pageParams(request.query, { sorts: ['shortage'], defaultSort: '-shortage' });
    const ledger = await ledgerOf(request);
    const res = coreCall(() => ledger.lowStock({ workspace_id: ws, page: p.page, per_page: p.perPage }));
    return envelope(request, { data: res.data, total: res.total, page: p.page, perPage: p.perPage });
  });

  // ---- the audit report
  app.get('/inventory/movements', {
    config: { auth: 'user' },
    schema: {
      summary: 'Movements with a per product and workspace summary (the audit report)', tags: ['inventory'],
      querystring: listQuery(['filter[product_id]', 'filter[workspace_id]', 'filter[type]', 'filter[reason]', 'start_date', 'end_date']),
    },
  }, async (request) => {
    const ws = memberWorkspace(request, request.query['filter[workspace_id]'], 'filter[workspace_id]');
    const p = pageParams(request.query, { sorts: MOVEMENT_SORTS });
    const filter = movementFilter(request.query, { dates: true });
    filter.workspace_id = ws;
    const ledger = await ledgerOf(request);
    const res = coreCall(() => ledger.report({ filter, page: p.page, per_page: p.perPage, sort: p.sort }), QUERY_FIELDS);
    return envelope(request, { data: res.data, total: res.total, page: p.page, perPage: p.perPage }, { summary: res.summary ?? [] });
  });

  // ---- levels (§5): every product's level in a workspace, optionally as of the end of a day
  app.get('/inventory/levels', {
    config: { auth: 'user' },
    schema: { summary: 'Stock levels of a workspace, optionally as of a date', tags: ['inventory'], querystring: listQuery(['workspace_id', 'as_of']) },
  }, async (request) => {
    const ws = memberWorkspace(request, request.query.workspace_id, 'workspace_id');
    const p = pageParams(request.query, { sorts: ['product_id'], defaultSort: 'product_id' });
    const asOf = request.query.as_of;
    if (asOf !== undefined && asOf !== '' && !validDate(asOf)) throw invalid('as_of', 'The as of must be a date in the form YYYY-MM-DD.');
    const ledger = await ledgerOf(request);
    const res = coreCall(() => ledger.workspaceLevels({ workspace_id: ws, ...(asOf ? { as_of_date: asOf } : {}) }), { as_of_date: 'as_of' });
    let rows = res.data ?? [];
    if (p.desc) rows = rows.slice().reverse();
    return envelope(request, { data: rows.slice(p.offset, p.offset + p.perPage), total: rows.length, page: p.page, perPage: p.perPage });
  });
}

