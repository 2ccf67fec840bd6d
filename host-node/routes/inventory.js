// Inventory routes (API.md §3, purchases of §4, counts and levels of §5). The core validates and computes
// everything about stock; this file maps HTTP to commands and queries and persists what they produce.
import { forbidden, fromCoreError, invalid, invalidMany, isCoreError, mergeErrors, notFound } from '../lib/errors.js';
import { actorOf } from '../lib/auth.js';
import { envelope, pageParams } from '../lib/pagination.js';
import { id, items, listQuery, money, quantity, query, reason, text } from '../lib/schemas.js';
import { bodyId, pathId } from '../lib/views.js';

const TYPES = ['initial_stock', 'purchase', 'sale', 'transfer_out', 'transfer_in', 'adjustment'];
const REASONS = ['damaged', 'lost', 'found', 'recount', 'other'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** A request value as the core reads it: ids as numbers when safe, quantities as decimal strings. */
export const wireId = (v) => (v === undefined || v === null ? v : (Number.isSafeInteger(Number(v)) ? Number(v) : String(v)));
export const wireQty = (v) => (typeof v === 'number' ? String(v) : v);

/**
 * Commands on the current workspace name it `workspace_id` (`from_workspace_id` for a transfer), a field the
 * client never sent: it came from X-Workspace-Id (or the default), and is refused only when inactive.
 */
export const CURRENT_WORKSPACE = { name: 'X-Workspace-Id', message: 'The current workspace (X-Workspace-Id) is inactive.' };
export const CURRENT_WORKSPACE_FIELDS = { workspace_id: CURRENT_WORKSPACE };

/** Items of a body list for the core; anything that is not a list of objects goes as is (the core names it). */
export const eachItem = (list, fn) => (Array.isArray(list) ? list.map((x) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? fn(x) : x)) : list);
const expected = (b) => (b.expected_quantity !== undefined && b.expected_quantity !== null ? { expected_quantity: wireQty(b.expected_quantity) } : {});

/** Core field paths of queries -> the API's query parameter names. */
const QUERY_FIELDS = {
  'filter.product_id': 'filter[product_id]', 'filter.workspace_id': 'filter[workspace_id]',
  'filter.type': 'filter[type]', 'filter.reason': 'filter[reason]',
  'filter.start_date': 'start_date', 'filter.end_date': 'end_date',
};

/**
 * The value errors of a command: it is run on the organization's ledger with the body as sent and undone
 * at once; the core names every field it cannot use (ids not in the organization, quantities that do not
 * parse for the product, ...), its decode errors merged with its rules. Used when the request is already
 * known to be a 422, so nothing of the command may stay.
 */
export async function commandErrors(ledgers, request, run, fieldMap = CURRENT_WORKSPACE_FIELDS) {
  const orgId = request.ctx.org.id;
  const e = ledgers.probe(orgId, await ledgers.get(orgId), run);
  return isCoreError(e) && e.code === 'validation_failed' ? fromCoreError(e, fieldMap).errors : {};
}

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
  async function command(request, reply, run, { status = 201, answer = (res) => ({ data: res.movements }), fieldMap = CURRENT_WORKSPACE_FIELDS } = {}) {
    const orgId = request.ctx.org.id;
    const ledger = await ledgerOf(request);
    const r = await h.ledgerTx(request, orgId, ledger, (l) => {
      const res = coreCall(() => run(l), fieldMap);
      h.persist(orgId, res);
      return { status, body: answer(res) };
    });
    return reply.code(r.status).send(r.body);
  }

  /**
   * A command route: `build(request, body)` makes the command. `check(request)` gives the host's own value
   * errors (fields the core does not see). The value errors are also what `checkValues` (app.js) adds when
   * the body failed its schema, so that every 422 names every bad field.
   */
  function commandRoute(url, { method = 'POST', role, config = {}, schema, build, check = () => ({}), fieldMap = CURRENT_WORKSPACE_FIELDS, ...options }) {
    const valueErrors = async (request) => mergeErrors(check(request), await commandErrors(ledgers, request, build(request, request.body), fieldMap));
    app.route({
      method, url, schema,
      config: { auth: 'user', role, ...config, checkValues: valueErrors },
      handler: async (request, reply) => {
        if (Object.keys(check(request)).length) throw invalidMany(await valueErrors(request));
        return command(request, reply, build(request, request.body), { fieldMap, ...options });
      },
    });
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

  commandRoute('/inventory/transfers', {
    role: 'clerk',
    schema: {
      summary: 'Move stock from the current workspace to another', tags: ['inventory'],
      description: 'Writes transfer_out in the source and transfer_in in the destination, linked. 201 with the transfer_out movement.',
      body: {
        type: 'object', required: ['product_id', 'to_workspace_id', 'quantity'],
        properties: { product_id: id, to_workspace_id: id, quantity, reference: text(100), notes: text(500), expected_quantity: quantity },
      },
    },
    fieldMap: { from_workspace_id: CURRENT_WORKSPACE },
    build: (request, b) => (l) => l.transfer({
      product_id: wireId(b.product_id), from_workspace_id: request.ctx.workspaceId, to_workspace_id: wireId(b.to_workspace_id),
      quantity: wireQty(b.quantity), reference: b.reference ?? undefined, notes: b.notes ?? undefined,
      ...expected(b), actor: actorOf(request), at: h.nowMs(),
    }),
    answer: (res) => ({ data: res.movements.find((m) => m.type === 'transfer_out') ?? res.movements[0] }),
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

  commandRoute('/inventory/adjustments', {
    role: 'clerk',
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
    build: (request, b) => (l) => l.adjust({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined,
      items: eachItem(b.items, (it) => ({
        product_id: wireId(it.product_id), quantity: wireQty(it.quantity), reason: it.reason, notes: it.notes ?? undefined, ...expected(it),
      })),
      actor: actorOf(request), at: h.nowMs(),
    }),
  });

  // ---- initial stock
  commandRoute('/inventory/initial-stock', {
    role: 'manager',
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
    build: (request, b) => (l) => l.initialStock({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined, notes: b.notes ?? undefined,
      items: eachItem(b.items, (it) => ({
        product_id: wireId(it.product_id), quantity: wireQty(it.quantity),
        ...(it.cost_per_unit != null ? { cost_per_unit: wireQty(it.cost_per_unit) } : {}),
        ...(it.minimum_quantity != null ? { minimum_quantity: wireQty(it.minimum_quantity) } : {}),
      })),
      actor: actorOf(request), at: h.nowMs(),
    }),
  });

  // ---- purchases
  commandRoute('/inventory/purchases', {
    role: 'clerk',
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
    build: (request, b) => (l) => l.purchase({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined, notes: b.notes ?? undefined,
      items: eachItem(b.items, (it) => ({ product_id: wireId(it.product_id), quantity: wireQty(it.quantity), ...(it.unit_cost != null ? { unit_cost: wireQty(it.unit_cost) } : {}) })),
      actor: actorOf(request), at: h.nowMs(),
    }),
  });

  // ---- counts (§5): absolute quantities; recount adjustments for the differences
  commandRoute('/inventory/counts', {
    role: 'clerk',
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
    build: (request, b) => (l) => l.count({
      workspace_id: request.ctx.workspaceId, reference: b.reference ?? undefined,
      items: eachItem(b.items, (it) => ({ product_id: wireId(it.product_id), quantity: wireQty(it.quantity), notes: it.notes ?? undefined })),
      actor: actorOf(request), at: h.nowMs(),
    }),
  });

  // ---- product stock and minimums
  const productOf = (request) => {
    const p = store.getProduct(request.ctx.org.id, pathId(request.params.id, 'product'));
    if (!p) throw notFound('product');
    return p;
  };

  /** The body's workspace_id when it names a workspace of the organization, else null. */
  const namedWorkspace = (request) => {
    const ws = bodyId(request.body?.workspace_id);
    return ws && store.getWorkspace(request.ctx.org.id, ws) ? ws : null;
  };
  // The role is checked where the minimum is set; a malformed or unknown workspace_id falls back to the
  // current workspace for that check and is then reported by validation (422 on the field).
  const minimumWorkspace = (request) => namedWorkspace(request) ?? request.ctx.workspaceId;

  app.get('/inventory/products/:id/stock', {
    config: { auth: 'user', role: 'viewer', find: productOf },
    schema: { summary: 'A product\'s level in every workspace of the organization', tags: ['inventory'] },
  }, (request, reply) => ledgers.use(request.ctx.org.id, (ledger) => {
    // The core's answer is this route's body (`product` from the registered catalog, which every product
    // write through this service updates; README.md): handed on as text, not parsed and serialized again.
    const body = coreCall(() => ledger.productStockText(request.resource.id));
    return reply.type('application/json; charset=utf-8').send(body);
  }));

  commandRoute('/inventory/products/:id/minimum', {
    method: 'PUT', role: 'manager', config: { find: productOf, roleIn: minimumWorkspace },
    schema: {
      summary: 'Set a product\'s minimum quantity in a workspace (manager)', tags: ['inventory'],
      body: { type: 'object', required: ['minimum_quantity'], properties: { minimum_quantity: quantity, workspace_id: id } },
    },
    // a well-formed workspace_id naming nothing in the organization (a malformed one is the schema's)
    check: (request) => (bodyId(request.body.workspace_id) && !namedWorkspace(request)
      ? { workspace_id: ['The selected workspace id is invalid.'] } : {}),
    fieldMap: {},
    build: (request, b) => (l) => l.setMinimum({
      product_id: request.resource.id, workspace_id: minimumWorkspace(request), minimum_quantity: wireQty(b.minimum_quantity),
      actor: actorOf(request), at: h.nowMs(),
    }),
    status: 200,
    answer: (res) => ({ data: res.minimums[0] }),
  });

  // ---- low stock
  app.get('/inventory/low-stock', {
    config: { auth: 'user' },
    schema: { summary: 'Products at or below their minimum (or below zero), largest shortage first', tags: ['inventory'], querystring: listQuery(['workspace_id']) },
  }, async (request) => {
    const ws = memberWorkspace(request, request.query.workspace_id, 'workspace_id');
    const p = pageParams(request.query, { sorts: ['-shortage'], defaultSort: '-shortage' }); // the core orders it: largest first only
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

