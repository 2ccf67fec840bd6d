// Resource objects as the API shows them.
import { notFound } from './errors.js';

export const orgView = (o) => ({ id: o.id, name: o.name, created_at: o.created_at });
export const workspaceView = (w) => ({
  id: w.id, name: w.name, code: w.code ?? null, active: !!w.active, created_at: w.created_at, updated_at: w.updated_at,
});
export const productView = (p) => ({
  id: p.id, sku: p.sku, name: p.name, track_inventory: !!p.track_inventory, allow_negative_stock: !!p.allow_negative_stock,
  decimals: p.decimals, unit: p.unit ?? null, price: p.price ?? null, active: !!p.active,
  created_at: p.created_at, updated_at: p.updated_at,
});
export function userView(u, memberships) {
  const v = { id: u.id, name: u.name, email: u.email, created_at: u.created_at };
  if (memberships) v.memberships = memberships.map((m) => ({ workspace_id: m.workspace_id, workspace_name: m.workspace_name, role: m.role }));
  return v;
}

/** A path id: digits naming a positive integer, else 404 (it names nothing). */
export function pathId(value, what) {
  const s = String(value ?? '');
  if (!/^[1-9][0-9]{0,15}$/.test(s) || !Number.isSafeInteger(Number(s))) throw notFound(what);
  return Number(s);
}

/** A body id (a positive integer, or a string of digits) as a number; null for anything else. */
export function bodyId(value) {
  const text = typeof value === 'number' || typeof value === 'string' ? String(value) : '';
  if (!/^[1-9][0-9]{0,15}$/.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : null;
}
