import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { exportJson, type PrivacyService } from './privacy.service.ts';
import { exportFileName } from './privacy.domain.ts';
import * as v from './privacy.views.tsx';

/**
 * « Mes données » (RGPD right of access and portability). The household comes from the session
 * (a guardian's own household, or the one an agent acts for), never from the URL.
 */
export function privacyFamilyRoutes(app: App, ctx: AppContext, privacy: PrivacyService) {
  app.get('/famille/donnees', { onRequest: requireHousehold }, async (req, reply) => {
    const data = await privacy.exportHousehold(familyOf(req));
    reply.header('cache-control', 'no-store');
    return reply.page(v.FamilyDataPage({ ctx: req.pageCtx(), data }));
  });

  app.get('/famille/donnees.json', { onRequest: requireHousehold }, async (req, reply) => {
    const data = await privacy.exportHousehold(familyOf(req));
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', `attachment; filename="${exportFileName(data.reference, ctx.clock.today())}"`)
      .header('cache-control', 'no-store')
      .header('x-content-type-options', 'nosniff')
      .send(JSON.stringify(exportJson(data), null, 2));
  });
}
