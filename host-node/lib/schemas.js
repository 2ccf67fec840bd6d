// Shared JSON-schema pieces for the route schemas, and the mapping of schema failures to the error shape.
import { ApiError, badRequest } from './errors.js';

export const id = { type: ['integer', 'string'], minimum: 1, pattern: '^[1-9][0-9]{0,15}$', description: 'A positive integer or a string of digits.' };
export const quantity = { type: ['string', 'number'], description: 'An exact decimal: a string ("12.50") or a JSON number.' };
export const money = { type: ['string', 'number', 'null'], description: 'An exact decimal with at most 4 places.' };
export const text = (max) => ({ type: ['string', 'null'], maxLength: max });
export const role = { type: 'string', enum: ['owner', 'manager', 'clerk', 'viewer'] };
export const reason = { type: 'string', enum: ['damaged', 'lost', 'found', 'recount', 'other'] };
export const items = (itemSchema) => ({ type: 'array', minItems: 1, maxItems: 500, items: itemSchema });
export const object = (properties, required = []) => ({ type: 'object', properties, required });

/** Query strings: every member a string (arrays, from repeated parameters, are rejected as unreadable). */
export function query(names, descriptions = {}) {
  const properties = {};
  for (const n of names) properties[n] = { type: 'string', ...(descriptions[n] ? { description: descriptions[n] } : {}) };
  return { type: 'object', properties };
}
export const listQuery = (extra = []) => query(['page', 'per_page', 'sort', ...extra], {
  page: 'Page number, from 1.', per_page: 'Items per page, 1 to 100 (default 15).',
  sort: 'A field name, with - in front for descending.',
});

const human = (path) => {
  const last = path.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? 'body';
  return last.replace(/_/g, ' ');
};

function messageFor(e, field) {
  const name = human(field);
  switch (e.keyword) {
    case 'required': return `The ${name} field is required.`;
    case 'type': {
      const t = [].concat(e.params.type).filter((x) => x !== 'null');
      if (t.includes('integer') && t.includes('string')) return `The ${name} must be an integer id.`;
      if (t.includes('string') && t.includes('number')) return `The ${name} must be a decimal number.`;
      return `The ${name} must be ${t[0] === 'integer' || t[0] === 'array' || t[0] === 'object' ? 'an' : 'a'} ${t[0] === 'object' ? 'object' : t[0]}.`;
    }
    case 'pattern': return field.endsWith('id') || /_id$/.test(field) ? `The ${name} must be an integer id.` : `The ${name} format is invalid.`;
    case 'minimum': return `The ${name} must be at least ${e.params.limit}.`;
    case 'maximum': return `The ${name} must not be greater than ${e.params.limit}.`;
    case 'maxLength': return `The ${name} must not be greater than ${e.params.limit} characters.`;
    case 'minLength': return `The ${name} must be at least ${e.params.limit} characters.`;
    case 'minItems': return `The ${name} must have at least ${e.params.limit} item${e.params.limit === 1 ? '' : 's'}.`;
    case 'maxItems': return `The ${name} must not have more than ${e.params.limit} items.`;
    case 'enum': return `The selected ${name} is invalid.`;
    case 'format': return `The ${name} is not a valid ${e.params.format}.`;
    default: return `The ${name} is invalid.`;
  }
}

/** Fastify validation error -> ApiError (422 validation_failed with every bad field; 400 for unreadable query strings). */
export function schemaError(err) {
  const context = err.validationContext; // body | querystring | params | headers
  const errors = {};
  for (const e of err.validation ?? []) {
    let path = (e.instancePath || '').split('/').filter(Boolean).join('.');
    if (e.keyword === 'required') path = path ? `${path}.${e.params.missingProperty}` : e.params.missingProperty;
    if (context === 'querystring' && e.keyword === 'type' && e.params.type === 'string') {
      return badRequest(`The query parameter ${path} is given more than once or cannot be read.`);
    }
    if (!path) path = context === 'body' ? 'body' : context;
    if (context === 'body' && e.keyword === 'type' && path === 'body') {
      return new ApiError(422, 'validation_failed', 'The request body must be a JSON object.', { body: ['The request body must be a JSON object.'] });
    }
    // With a type list, ajv reports `minimum` only for numbers and `pattern` only for strings: one message per field.
    if (errors[path]) continue;
    errors[path] = [messageFor(e, path)];
  }
  const first = Object.values(errors)[0]?.[0] ?? 'The given data was invalid.';
  return new ApiError(422, 'validation_failed', first, errors);
}
