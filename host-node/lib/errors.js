// The error shape of API.md §1 and the ONE place where core error codes become HTTP statuses.

/** Core (StockroomError) code -> HTTP status. A test proves every code in ERROR_CODES is here. */
export const CORE_STATUS = Object.freeze({
  bad_request: 400,
  validation_failed: 422,
  insufficient_stock: 422,
  product_not_tracked: 422,
  not_found: 404,
  conflict: 409,
  initial_stock_already_set: 409,
  stale_quantity: 409,
});

export class ApiError extends Error {
  constructor(status, code, message, errors = {}, details = null) {
    super(message);
    this.status = status;
    this.code = code;
    this.errors = errors ?? {};
    this.details = details ?? null;
  }
  toBody() {
    const body = { message: this.message, code: this.code, errors: this.errors };
    if (this.details) body.details = this.details;
    return body;
  }
}

export const unauthenticated = () => new ApiError(401, 'unauthenticated', 'Unauthenticated.');
export const forbidden = (message = 'This action is unauthorized.') => new ApiError(403, 'forbidden', message);
export const notFound = (what = 'resource') => new ApiError(404, 'not_found', `No such ${what}.`);
export const badRequest = (message) => new ApiError(400, 'bad_request', message);
export function invalid(field, message) {
  return new ApiError(422, 'validation_failed', message, { [field]: [message] });
}
export function invalidMany(errors) {
  const first = Object.values(errors)[0]?.[0] ?? 'The given data was invalid.';
  return new ApiError(422, 'validation_failed', first, errors);
}

/** Is this a StockroomError from the package (or the dev stand-in)? */
export function isCoreError(e) {
  return !!e && typeof e === 'object' && e.name === 'StockroomError' && typeof e.code === 'string';
}

/**
 * A core error as an ApiError. `fieldMap` renames core field paths to the request's, exactly:
 * { from_workspace_id: 'workspace_id' }, or with the message replaced: { workspace_id: { name, message } }
 * (a core field the client did not send, such as the current workspace taken from a header).
 */
export function fromCoreError(e, fieldMap = {}) {
  const status = CORE_STATUS[e.code];
  if (!status) return new ApiError(500, 'internal_error', 'Internal server error.');
  const errors = {};
  let message = e.message || 'The request could not be completed.';
  for (const [field, given] of Object.entries(e.errors ?? {})) {
    const messages = Array.isArray(given) ? given : [String(given)];
    const to = fieldMap[field] ?? field;
    if (typeof to === 'string') { (errors[to] ??= []).push(...messages); continue; }
    errors[to.name] = [to.message];
    if (messages.includes(message)) message = to.message;
  }
  return new ApiError(status, e.code, message, errors, e.details ?? null);
}

/** Adds `more` errors for fields that `errors` does not name yet (the first stage's messages win). */
export function mergeErrors(errors, more) {
  const out = { ...errors };
  for (const [field, messages] of Object.entries(more)) out[field] ??= messages;
  return out;
}
