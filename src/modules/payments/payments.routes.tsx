import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { idParams } from '../../platform/http/input.ts';
import { STILL_RUNNING_MS } from '../../platform/payfip/payfip.domain.ts';
import type { PaymentsService } from './payments.service.ts';
import { PaymentResultPage } from './payments.views.tsx';

/**
 * PayFiP's two calls back, per transaction (protocols.md §1.5, §1.8): the notification (server to
 * server, POST, form-encoded `idop`) and the browser's return (GET `?idop=`). Neither is signed:
 * only the idOp is taken, and PayFiP is asked what happened. The name of the field is read
 * whatever its case (`idop`, `idOp`).
 */
const fields = z.record(z.string().max(40), z.union([z.string().max(200), z.array(z.string().max(200)).max(5)])).refine((r) => Object.keys(r).length <= 20, 'trop de champs');

function idOpOf(values: Record<string, string | string[]>): string | null | undefined {
  const found = Object.entries(values).filter(([k]) => k.toLowerCase() === 'idop');
  if (found.length === 0) return undefined;
  const value = found[0][1];
  // Sent twice, or not a plausible idOp: refused as malformed.
  return found.length === 1 && typeof value === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(value) ? value : null;
}

export function paymentsRoutes(app: App, payments: PaymentsService) {
  app.post('/paiements/payfip/notification/:id', { schema: { params: idParams, body: fields }, config: { serverToServer: true, rateLimit: { max: 120, timeWindow: 60_000 } } }, async (req, reply) => {
    const idOp = idOpOf(req.body);
    if (!idOp) return reply.code(400).type('text/plain; charset=utf-8').send('idop manquant ou mal formé');
    const state = await payments.handleCallback(req.params.id, idOp);
    if (!state) return reply.code(404).type('text/plain; charset=utf-8').send('');
    // PayFiP expects nothing more than a 200 with an empty body.
    return reply.code(200).type('text/plain; charset=utf-8').send('');
  });

  // The browser comes back here from PayFiP (with or without a session: the session cookie is Lax).
  app.get('/paiements/payfip/retour/:id', { schema: { params: idParams, querystring: fields } }, async (req, reply) => {
    const idOp = idOpOf(req.query);
    if (idOp === null) return reply.callNotFound();
    const state = await payments.handleCallback(req.params.id, idOp ?? null);
    if (!state) return reply.callNotFound();
    return reply.seeOther(`/paiements/${req.params.id}`);
  });

  app.get('/paiements/:id', { onRequest: requireHousehold, schema: { params: idParams } }, async (req, reply) => {
    const state = await payments.stateFor(familyOf(req).householdId, req.params.id);
    if (!state) return reply.callNotFound();
    const retryAt = new Date(Date.parse(state.transaction.createdAt) + STILL_RUNNING_MS);
    return reply.page(PaymentResultPage({ ctx: req.pageCtx(), state, retryAt }));
  });
}
