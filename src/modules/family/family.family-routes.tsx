import type { FastifyInstance } from 'fastify';
import { requireFamily } from '../../platform/http/guards.ts';
import * as v from './family.views.tsx';

export function familyRoutes(app: FastifyInstance) {
  app.get('/famille', { preHandler: requireFamily }, async (req, reply) => reply.page(v.FamilyHomePage({ ctx: req.pageCtx(), status: req.auth!.user.status })));
}
