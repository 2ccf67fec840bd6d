// POST /api/v1/organizations (the server's admin token): the organization, its first workspace, its owner.
import { hashToken, newToken } from '../lib/auth.js';
import { orgView, userView, workspaceView } from '../lib/views.js';

export const email = { type: 'string', minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' };
export const nameField = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' };

export default async function organizationRoutes(app, { h }) {
  app.post('/organizations', {
    config: { auth: 'admin' },
    schema: {
      summary: 'Create an organization with its first workspace and owner (admin token)',
      tags: ['organizations'],
      body: {
        type: 'object', required: ['name', 'owner_name', 'owner_email'],
        properties: { name: nameField, owner_name: nameField, owner_email: email, workspace_name: nameField },
      },
    },
  }, async (request, reply) => {
    const b = request.body;
    const at = h.iso();
    const token = newToken();
    const r = await h.tx(request, () => {
      const { store } = h;
      const orgId = store.createOrganization(b.name.trim(), at);
      const userId = store.createUser(orgId, b.owner_name.trim(), b.owner_email.trim(), at);
      store.setOrganizationOwner(orgId, userId);
      const wsId = store.createWorkspace(orgId, { name: (b.workspace_name ?? 'Main').trim() }, at);
      store.setMembership(userId, wsId, 'owner', at);
      store.createToken(orgId, userId, 'initial', hashToken(token), token.slice(0, 7), at);
      const user = store.getUser(orgId, userId);
      return {
        status: 201,
        body: {
          data: {
            organization: orgView(store.getOrganization(orgId)),
            workspace: workspaceView(store.getWorkspace(orgId, wsId)),
            owner: userView(user, store.memberships(userId)),
            token,
          },
        },
      };
    });
    // the token is in the stored idempotency record as null (shown once); this answer carries it
    return reply.code(r.status).send(r.body);
  });
}
