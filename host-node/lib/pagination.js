// The list envelope of API.md §1 (`data`, `links`, `meta`) and the checks on page, per_page and sort.
import { invalidMany } from './errors.js';

const PAGE_RE = /^[0-9]{1,9}$/;

/**
 * Reads page/per_page/sort from a query object. `sorts` is the list of sortable fields, each in both
 * directions, or with `-` in front for a field that sorts only descending. Throws 422 naming every bad
 * parameter.
 */
export function pageParams(query, { sorts = ['created_at', 'id'], defaultSort = '-created_at' } = {}) {
  const errors = {};
  let page = 1; let perPage = 15;
  if (query.page !== undefined) {
    if (!PAGE_RE.test(String(query.page)) || Number(query.page) < 1) errors.page = ['The page must be an integer of at least 1.'];
    else page = Number(query.page);
  }
  if (query.per_page !== undefined) {
    if (!PAGE_RE.test(String(query.per_page)) || Number(query.per_page) < 1 || Number(query.per_page) > 100) {
      errors.per_page = ['The per page must be an integer between 1 and 100.'];
    } else perPage = Number(query.per_page);
  }
  const sort = query.sort === undefined || query.sort === '' ? defaultSort : String(query.sort);
  const field = sort.replace(/^-/, '');
  const allowed = sorts.flatMap((s) => (s.startsWith('-') ? [s] : [s, `-${s}`]));
  if (!allowed.includes(sort)) errors.sort = [`The sort must be one of: ${allowed.join(', ')}.`];
  if (Object.keys(errors).length) throw invalidMany(errors);
  return { page, perPage, sort, field, desc: sort.startsWith('-'), offset: (page - 1) * perPage };
}

function pageUrl(request, page) {
  const url = new URL(request.url, `${request.protocol}://${request.headers.host ?? 'localhost'}`);
  url.searchParams.set('page', String(page));
  return url.toString();
}

/** The list envelope. `extra` members (e.g. `summary`) are added after `meta`. */
export function envelope(request, { data, total, page, perPage }, extra = {}) {
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const from = data.length ? (page - 1) * perPage + 1 : null;
  return {
    data,
    links: {
      first: pageUrl(request, 1),
      last: pageUrl(request, lastPage),
      prev: page > 1 ? pageUrl(request, page - 1) : null, // past the end too (Laravel): the page before this one
      next: page < lastPage ? pageUrl(request, page + 1) : null,
    },
    meta: {
      current_page: page, from, to: from === null ? null : from + data.length - 1,
      per_page: perPage, last_page: lastPage, total,
    },
    ...extra,
  };
}
