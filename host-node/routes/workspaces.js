// Workspaces of the organization and their members.
import { ApiError, invalid, invalidMany, notFound } from '../lib/errors.js';
import { envelope, pageParams } from '../lib/pagination.js';
import { id, listQuery, role } from '../lib/schemas.js';
import { workspaceFacts } from '../lib/ledgers.js';
import { bodyId, pathId, workspaceView } from '../lib/views.js';
import { nameField } from './organizations.js';

const code = { type: ['string', 'null'], maxLength: 50 };

export default async function workspaceRoutes(app, { h }) {
  const { store } = h;
  const find = (request) => {
    const w = store.getWorkspace(request.ctx.org.id, pathId(request.params.id, 'workspace'));
    if (!w) throw notFound('workspace');
    return w;
  };
  const inPath = (request) => request.resource.id; // roles on the workspace of the path, not the current one
  /** The user named by a member body: a user of the organization, or null. */
  const memberUser = (request) => { const userId = bodyId(request.body.user_id); return userId && store.getUser(request.ctx.org.id, userId); };
  const memberErrors = async (request) => (request.body.user_id === undefined || memberUser(request) ? {} : { user_id: ['The selected user id is invalid.'] });

  app.get('/workspaces', {
    config: { auth: 'user', role: 'viewer' },
    schema: { summary: 'Workspaces of the organization', tags: ['workspaces'], querystring: listQuery(['filter[active]', 'filter[search]']) },
  }, async (request) => {
    const p = pageParams(request.query, { sorts: ['created_at', 'id', 'name', 'code'] });
    const params = [request.ctx.org.id]; let where = 'org_id = ?';
    const active = request.query['filter[active]'];
    if (active !== undefined) {
      if (!['true', 'false', '1', '0'].includes(active)) throw invalid('filter[active]', 'The active filter must be true or false.');
      where += ' AND active = ?'; params.push(active === 'true' || active === '1' ? 1 : 0);
    }
    if (request.query['filter[search]']) {
      where += " AND (instr(lower(name), lower(?)) > 0 OR instr(lower(COALESCE(code, '')), lower(?)) > 0)";
      params.push(request.query['filter[search]'], request.query['filter[search]']);
    }
    const dir = p.desc ? 'DESC' : 'ASC';
    const { total, rows } = store.page('workspaces', { where, params, orderBy: `${p.field} ${dir}, id ${dir}`, limit: p.perPage, offset: p.offset });
    return envelope(request, { data: rows.map(workspaceView), total, page: p.page, perPage: p.perPage });
  });

  app.post('/workspaces', {
    config: { auth: 'user', role: 'manager' },
    schema: {
      summary: 'Create a workspace (manager); the creator becomes its owner', tags: ['workspaces'],
      body: { type: 'object', required: ['name'], properties: { name: nameField, code, active: { type: 'boolean' } } },
    },
  }, async (request, reply) => {
    const b = request.body; const { org, user } = request.ctx; const at = h.iso();
    const r = await h.catalogTx(request, org.id, () => {
      const wsId = store.createWorkspace(org.id, { name: b.name.trim(), code: b.code ?? null, active: b.active ?? true }, at);
      store.setMembership(user.id, wsId, 'owner', at);
      if (org.owner_user_id && org.owner_user_id !== user.id) store.setMembership(org.owner_user_id, wsId, 'owner', at);
      const w = store.getWorkspace(org.id, wsId);
      return { status: 201, body: { data: workspaceView(w) }, register: { workspaces: [workspaceFacts(w)] } };
    });
    return reply.code(r.status).send(r.body);
  });

  app.get('/workspaces/:id', {
    config: { auth: 'user', role: 'viewer', find },
    schema: { summary: 'One workspace', tags: ['workspaces'] },
  }, async (request) => ({ data: workspaceView(request.resource) }));

  app.patch('/workspaces/:id', {
    config: { auth: 'user', find, role: 'manager', roleIn: inPath },
    schema: {
      summary: 'Change a workspace (manager of that workspace)', tags: ['workspaces'],
      body: { type: 'object', properties: { name: nameField, code, active: { type: 'boolean' } } },
    },
  }, async (request) => {
    const w = request.resource;
    const b = request.body ?? {}; const at = h.iso();
    const next = { name: b.name !== undefined ? b.name.trim() : w.name, code: b.code !== undefined ? b.code : w.code, active: b.active !== undefined ? b.active : !!w.active };
    const r = await h.catalogTx(request, request.ctx.org.id, () => {
      store.updateWorkspace(request.ctx.org.id, w.id, next, at);
      const u = store.getWorkspace(request.ctx.org.id, w.id);
      return { status: 200, body: { data: workspaceView(u) }, register: { workspaces: [workspaceFacts(u)] } };
    });
    return r.body;
  });

  app.post('/workspaces/:id/members', {
    config: { auth: 'user', find, role: 'owner', roleIn: inPath, success: [201, 200], checkValues: memberErrors }, // a new membership, a role change
    schema: {
      summary: 'Add a member to a workspace or change their role (owner of that workspace)', tags: ['workspaces'],
      body: { type: 'object', required: ['user_id', 'role'], properties: { user_id: id, role } },
    },
  }, async (request, reply) => {
    const w = request.resource;
    const user = memberUser(request);
    if (!user) throw invalidMany(await memberErrors(request));
    const org = request.ctx.org;
    if (org.owner_user_id === user.id && request.body.role !== 'owner') {
      throw new ApiError(422, 'validation_failed', 'The organization\'s creator stays owner of every workspace.', { role: ['The organization\'s creator stays owner of every workspace.'] });
    }
    const existed = !!store.membership(user.id, w.id); const at = h.iso();
    const r = await h.tx(request, () => {
      store.setMembership(user.id, w.id, request.body.role, at);
      return { status: existed ? 200 : 201, body: { data: { user_id: user.id, workspace_id: w.id, role: request.body.role, user: { id: user.id, name: user.name, email: user.email } } } };
    });
    return reply.code(r.status).send(r.body);
  });
}
