import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf } from '../../platform/http/actor.ts';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { requireFamily } from '../../platform/http/guards.ts';
import type { FamilyService } from '../households/households.family-service.ts';
import type { PrivacyService } from './privacy.service.ts';
import { exportFileName } from './privacy.domain.ts';
import * as v from './privacy.views.tsx';

/**
 * « Mes données » (RGPD right of access and portability). The household comes from the session,
 * resolved exactly as the other family pages do (a guardian's own household, or the one an agent acts for).
 */
export function privacyFamilyRoutes(app: App, ctx: AppContext, privacy: PrivacyService, family: FamilyService) {
  app.get('/famille/donnees', { preHandler: requireFamily }, async (req, reply) => {
    const actor = familyActorOf(req.auth!);
    if (!actor) return reply.seeOther('/famille');
    const data = await privacy.exportHousehold(actor);
    reply.header('cache-control', 'no-store');
    return reply.page(v.FamilyDataPage({ ctx: req.pageCtx(), data }));
  });

  app.get('/famille/donnees.json', { preHandler: requireFamily }, async (req, reply) => {
    const actor = familyActorOf(req.auth!);
    if (!actor) return reply.seeOther('/famille');
    const data = await privacy.exportHousehold(actor);
    const day = ctx.clock.today();
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(data.household.reference, day)}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(JSON.stringify(data, null, 2));
  });
}
