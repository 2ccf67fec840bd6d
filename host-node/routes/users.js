// Users of the organization, their tokens, and GET /me.
import { ApiError, invalid, notFound } from '../lib/errors.js';
import { hashToken, newToken } from '../lib/auth.js';
import { envelope, pageParams } from '../lib/pagination.js';
import { id, listQuery, role } from '../lib/schemas.js';
import { bodyId, orgView, pathId, userView } from '../lib/views.js';
import { email, nameField } from './organizations.js';

export default async function userRoutes(app, { h }) {
  const { store } = h;
  const find = (request) => {
    const u = store.getUser(request.ctx.org.id, pathId(request.params.id, 'user'));
    if (!u) throw notFound('user');
    return u;
  };

  app.get('/me', {
    config: { auth: 'user' },
    schema: { summary: 'The authenticated user, their organization and memberships', tags: ['users'] },
  }, async (request) => {
    const { user, org, workspaceId } = request.ctx;
    return {
      data: {
        ...userView(user, store.memberships(user.id)),
        organization: orgView(org),
        current_workspace_id: workspaceId,
        default_workspace_id: store.memberships(user.id)[0]?.workspace_id ?? null,
      },
    };
  });

  app.get('/users', {
    config: { auth: 'user', role: 'owner' },
    schema: { summary: 'Users of the organization (owner)', tags: ['users'], querystring: listQuery(['filter[email]']) },
  }, async (request) => {
    const p = pageParams(request.query, { sorts: ['created_at', 'id', 'name', 'email'] });
    const params = [request.ctx.org.id]; let where = 'org_id = ?';
    if (request.query['filter[email]']) { where += ' AND email = ? COLLATE NOCASE'; params.push(request.query['filter[email]']); }
    const dir = p.desc ? 'DESC' : 'ASC';
    const { total, rows } = store.page('users', { where, params, orderBy: `${p.field} ${dir}, id ${dir}`, limit: p.perPage, offset: p.offset });
    return envelope(request, { data: rows.map((u) => userView(u, store.memberships(u.id))), total, page: p.page, perPage: p.perPage });
  });

  app.post('/users', {
    config: { auth: 'user', role: 'owner' },
    schema: {
      summary: 'Add a user (owner); optionally a membership in one workspace', tags: ['users'],
      body: {
        type: 'object', required: ['name', 'email'],
        properties: { name: nameField, email, role, workspace_id: id },
      },
    },
  }, async (request, reply) => {
    const b = request.body; const orgId = request.ctx.org.id; const at = h.iso();
    if (store.userByEmail(orgId, b.email.trim())) {
      throw new ApiError(409, 'conflict', 'A user with this email already exists.', { email: ['A user with this email already exists.'] });
    }
    let wsId = null;
    if (b.role) {
      wsId = b.workspace_id !== undefined ? bodyId(b.workspace_id) : request.ctx.workspaceId;
      if (!wsId || !store.getWorkspace(orgId, wsId)) throw invalid('workspace_id', 'The selected workspace id is invalid.');
      if (!request.ctx.memberships.has(wsId) || request.ctx.memberships.get(wsId) !== 'owner') {
        throw new ApiError(403, 'forbidden', 'Only an owner of that workspace can add members to it.');
      }
    } else if (b.workspace_id !== undefined) {
      throw invalid('role', 'The role field is required when workspace id is present.');
    }
    const r = await h.tx(request, () => {
      const userId = store.createUser(orgId, b.name.trim(), b.email.trim(), at);
      if (wsId) store.setMembership(userId, wsId, b.role, at);
      return { status: 201, body: { data: userView(store.getUser(orgId, userId), store.memberships(userId)) } };
    });
    return reply.code(r.status).send(r.body);
  });

  app.get('/users/:id', {
    config: { auth: 'user', role: 'owner', find },
    schema: { summary: 'One user (owner)', tags: ['users'] },
  }, async (request) => ({ data: userView(request.resource, store.memberships(request.resource.id)) }));

  app.post('/users/:id/tokens', {
    config: { auth: 'user', role: 'owner', find },
    schema: {
      summary: 'Issue an API token for a user (owner); the token is shown once', tags: ['users'],
      body: { type: ['object', 'null'], properties: { name: { type: ['string', 'null'], maxLength: 100 } } },
    },
  }, async (request, reply) => {
    const orgId = request.ctx.org.id; const user = request.resource;
    const token = newToken(); const at = h.iso(); const name = request.body?.name ?? null;
    const r = await h.tx(request, () => {
      const tokenId = store.createToken(orgId, user.id, name, hashToken(token), token.slice(0, 7), at);
      return { status: 201, body: { data: { id: tokenId, name, user_id: user.id, token, created_at: at } } };
    });
    return reply.code(r.status).send(r.body);
  });
}
