// Products of the organization (catalog facts registered into the organization's ledger).
import { ApiError, invalid, invalidMany, notFound } from '../lib/errors.js';
import { envelope, pageParams } from '../lib/pagination.js';
import { listQuery, money } from '../lib/schemas.js';
import { productFacts } from '../lib/ledgers.js';
import { formatMoney, parseMoney } from '../lib/decimal.js';
import { pathId, productView } from '../lib/views.js';

const fields = {
  sku: { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' },
  name: { type: 'string', minLength: 1, maxLength: 255, pattern: '\\S' },
  track_inventory: { type: 'boolean' },
  allow_negative_stock: { type: 'boolean' },
  decimals: { type: 'integer', minimum: 0, maximum: 4 },
  unit: { type: ['string', 'null'], maxLength: 50 },
  price: money,
  active: { type: 'boolean' },
};

const skuTaken = () => new ApiError(409, 'sku_taken', 'The sku has already been taken.', { sku: ['The sku has already been taken.'] });

const PRICE_MESSAGE = 'The price must be a decimal between 0 and 1000000000000 with at most 4 decimal places.';
const absent = (v) => v === undefined || v === null;

/** The price's value error (money the host owns), also added when the body failed its schema. */
const priceErrors = async (request) => (absent(request.body.price) || parseMoney(request.body.price) !== null ? {} : { price: [PRICE_MESSAGE] });

function priceOf(v) {
  if (absent(v)) return null;
  const raw = parseMoney(v);
  if (raw === null) throw invalid('price', PRICE_MESSAGE);
  return formatMoney(raw);
}

export default async function productRoutes(app, { h }) {
  const { store } = h;
  const find = (request) => {
    const p = store.getProduct(request.ctx.org.id, pathId(request.params.id, 'product'));
    if (!p) throw notFound('product');
    return p;
  };
  const isSkuConflict = (e) => e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && /products\.sku|products_org_sku/.test(e.message);

  app.get('/products', {
    config: { auth: 'user', role: 'viewer' },
    schema: {
      summary: 'Products of the organization', tags: ['products'],
      querystring: listQuery(['filter[sku]', 'filter[search]', 'filter[active]']),
    },
  }, async (request) => {
    const p = pageParams(request.query, { sorts: ['created_at', 'id', 'name', 'sku'] });
    const q = request.query; const params = [request.ctx.org.id]; let where = 'org_id = ?';
    if (q['filter[sku]'] !== undefined) { where += ' AND sku = ?'; params.push(q['filter[sku]']); }
    if (q['filter[search]']) { where += ' AND (instr(lower(name), lower(?)) > 0 OR instr(lower(sku), lower(?)) > 0)'; params.push(q['filter[search]'], q['filter[search]']); }
    if (q['filter[active]'] !== undefined) {
      if (!['true', 'false', '1', '0'].includes(q['filter[active]'])) throw invalid('filter[active]', 'The active filter must be true or false.');
      where += ' AND active = ?'; params.push(['true', '1'].includes(q['filter[active]']) ? 1 : 0);
    }
    const dir = p.desc ? 'DESC' : 'ASC';
    const { total, rows } = store.page('products', { where, params, orderBy: `${p.field} ${dir}, id ${dir}`, limit: p.perPage, offset: p.offset });
    return envelope(request, { data: rows.map(productView), total, page: p.page, perPage: p.perPage });
  });

  app.post('/products', {
    config: { auth: 'user', role: 'manager', checkValues: priceErrors },
    schema: { summary: 'Create a product (manager)', tags: ['products'], body: { type: 'object', required: ['sku', 'name'], properties: fields } },
  }, async (request, reply) => {
    const b = request.body; const orgId = request.ctx.org.id; const at = h.iso();
    const product = {
      sku: b.sku.trim(), name: b.name.trim(), track_inventory: b.track_inventory ?? true,
      allow_negative_stock: b.allow_negative_stock ?? false, decimals: b.decimals ?? 2,
      unit: b.unit ?? null, price: priceOf(b.price), active: b.active ?? true,
    };
    if (store.productBySku(orgId, product.sku)) throw skuTaken();
    try {
      const r = await h.catalogTx(request, orgId, () => {
        const id = store.createProduct(orgId, product, at);
        const row = store.getProduct(orgId, id);
        return { status: 201, body: { data: productView(row) }, register: { products: [productFacts(row)] } };
      });
      return reply.code(r.status).send(r.body);
    } catch (e) {
      if (isSkuConflict(e)) throw skuTaken();
      throw e;
    }
  });

  app.get('/products/:id', {
    config: { auth: 'user', role: 'viewer', find },
    schema: { summary: 'One product', tags: ['products'] },
  }, async (request) => ({ data: productView(request.resource) }));

  app.patch('/products/:id', {
    config: { auth: 'user', role: 'manager', find, checkValues: priceErrors },
    schema: { summary: 'Change a product (manager); decimals cannot change once it has movements', tags: ['products'], body: { type: 'object', properties: fields } },
  }, async (request) => {
    const old = request.resource; const b = request.body ?? {}; const orgId = request.ctx.org.id; const at = h.iso();
    const next = {
      sku: b.sku !== undefined ? b.sku.trim() : old.sku,
      name: b.name !== undefined ? b.name.trim() : old.name,
      track_inventory: b.track_inventory ?? !!old.track_inventory,
      allow_negative_stock: b.allow_negative_stock ?? !!old.allow_negative_stock,
      decimals: b.decimals ?? old.decimals,
      unit: b.unit !== undefined ? b.unit : old.unit,
      price: b.price !== undefined ? priceOf(b.price) : old.price,
      active: b.active ?? !!old.active,
    };
    if (next.decimals !== old.decimals && store.productHasMovements(orgId, old.id)) {
      throw invalidMany({ decimals: ['The decimals cannot change once the product has stock movements.'] });
    }
    if (next.sku !== old.sku) { const other = store.productBySku(orgId, next.sku); if (other && other.id !== old.id) throw skuTaken(); }
    try {
      const r = await h.catalogTx(request, orgId, () => {
        store.updateProduct(orgId, old.id, next, at);
        const row = store.getProduct(orgId, old.id);
        return { status: 200, body: { data: productView(row) }, register: { products: [productFacts(row)] } };
      });
      return r.body;
    } catch (e) {
      if (isSkuConflict(e)) throw skuTaken();
      if (e?.name === 'StockroomError' && e.errors) {
        // the core names products.0.decimals: that is this request's `decimals`
        const errors = {};
        for (const [k, v] of Object.entries(e.errors)) errors[k.replace(/^products\.\d+\./, '')] = v;
        throw new ApiError(e.code === 'validation_failed' ? 422 : 409, e.code, e.message, errors);
      }
      throw e;
    }
  });
}
