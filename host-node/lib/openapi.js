// The OpenAPI description is generated from the route schemas; this adds, in one place and for the
// documentation only, what every operation shares: success and error responses, the X-Workspace-Id and
// Idempotency-Key headers, and who may call it. It is @fastify/swagger's `transform`, so nothing here
// becomes a response serializer (a response schema would make fast-json-stringify drop unlisted fields).

/** The error shape of API.md §1, shared by every 4xx answer. */
export const ERROR_SCHEMA = {
  $id: 'Error',
  type: 'object',
  required: ['message', 'code', 'errors'],
  properties: {
    message: { type: 'string' },
    code: { type: 'string', description: 'bad_request, unauthenticated, forbidden, not_found, conflict, validation_failed, insufficient_stock, ...' },
    errors: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } }, description: 'Every bad field by its path (items.2.quantity).' },
    details: { type: 'object', additionalProperties: true, description: 'insufficient_stock and stale_quantity: product_id, workspace_id, available, requested.' },
  },
};

const ERROR_STATUSES = {
  400: 'The body is not valid JSON, a query string or header cannot be read.',
  401: 'No token, or an unknown one.',
  403: 'Not a member of the workspace, or the role is too low.',
  404: 'No such resource in this organization.',
  409: 'A state conflict, or an Idempotency-Key reused with another request.',
  413: 'The body is larger than 1 MiB.',
  415: 'The body is not application/json.',
  422: 'A bad field (errors names every one), insufficient_stock or product_not_tracked.',
  429: 'Too many wrong tokens from this address.',
};

const HEADERS = {
  'x-workspace-id': { type: 'string', description: 'The current workspace (default: the first one the user joined).' },
  'idempotency-key': { type: 'string', description: '1 to 255 printable characters; the same request with the same key within 24 h is answered once.' },
};

/** 201 for a POST that creates something, else 200 (`config.success` lists them when a route differs). */
export function successStatuses(method, config = {}) {
  return config.success ?? [method === 'POST' ? 201 : 200];
}

function access(config) {
  if (config.auth === 'admin') return 'Needs the server\'s admin token.';
  const where = config.roleIn ? 'the workspace it names' : 'the current workspace';
  return config.role ? `Needs the ${config.role} role in ${where}.` : 'Needs a user token.';
}

function errorStatuses(method, url, schema, config) {
  const list = [400, 401, 403];
  if (url.includes('/:')) list.push(404);
  if (method === 'POST') list.push(409);
  if (schema.body) list.push(413, 415);
  if (schema.body || schema.querystring) list.push(422);
  list.push(429);
  return config.auth === 'admin' ? list.filter((s) => s !== 404) : list;
}

/** @fastify/swagger `transform`: the route's schema as documented. */
export function documentRoute({ schema = {}, url, route }) {
  if (schema.hide) return { schema, url };
  const method = [].concat(route.method)[0];
  const config = route.config ?? {};
  const response = {};
  for (const status of successStatuses(method, config)) {
    response[status] = {
      description: status === 201 ? 'Created.' : 'OK.',
      type: 'object', additionalProperties: true, properties: { data: { description: 'The resource, or the list of resources (with links and meta).' } },
    };
  }
  for (const status of errorStatuses(method, url, schema, config)) response[status] = { description: ERROR_STATUSES[status], $ref: 'Error#' };
  const headers = {};
  if (config.auth === 'user') headers['x-workspace-id'] = HEADERS['x-workspace-id'];
  if (method === 'POST') headers['idempotency-key'] = HEADERS['idempotency-key'];
  const description = [schema.description ?? `${schema.summary ?? ''}.`, access(config)].join(' ');
  return { schema: { ...schema, description, response, ...(Object.keys(headers).length ? { headers: { type: 'object', properties: headers } } : {}) }, url };
}
