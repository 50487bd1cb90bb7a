import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { text } from '../../platform/http/input.ts';
import type { TariffPricesService } from './tariffs.prices-service.ts';
import { MAX_QUOTIENT } from './tariffs.domain.ts';
import { SIMULATOR_INVALID } from './tariffs.outcomes.ts';
import { HouseholdPricesPage, SimulatorPage } from './tariffs.family-views.tsx';

/** Structural bounds of the simulator's query: a field sent twice or too long is a 400 before any work. */
const SimulatorQuery = z.object({ qf: text(20).optional(), commune: z.enum(['oui', 'non']).optional() });

/** « Combien vais-je payer ? » for a household, and the public simulator (no account). */
export function tariffsFamilyRoutes(app: App, prices: TariffPricesService) {
  app.get('/famille/tarifs', { onRequest: requireHousehold }, async (req, reply) => reply.page(HouseholdPricesPage({ ctx: req.pageCtx(), ...(await prices.ofHousehold(familyOf(req))) })));

  app.get('/tarifs', { schema: { querystring: SimulatorQuery } }, async (req, reply) => {
    const places = [...new Set((await prices.places()).map((p) => p.city))];
    const values = { qf: req.query.qf?.trim() ?? '', commune: req.query.commune ?? 'oui' };
    // The first visit (no question asked yet) shows the form alone.
    if (req.query.qf === undefined && req.query.commune === undefined) return reply.page(SimulatorPage({ ctx: req.pageCtx(), values, services: null, places }));
    if (values.qf !== '' && !(/^\d{1,5}$/.test(values.qf) && Number(values.qf) <= MAX_QUOTIENT)) {
      return reply.page(SimulatorPage({ ctx: req.pageCtx(), values, errors: { qf: SIMULATOR_INVALID }, services: null, places }), 400);
    }
    const services = await prices.simulate({ quotient: values.qf === '' ? null : Number(values.qf), resident: values.commune === 'oui' });
    return reply.page(SimulatorPage({ ctx: req.pageCtx(), values, services, places }));
  });
}
