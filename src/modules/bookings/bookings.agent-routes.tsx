import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { day, form, idParams, text } from '../../platform/http/input.ts';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { Choices, NotificationBanner, Select, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import type { PageCtx } from '../../platform/ui/layout.tsx';
import type { BookingsService } from './bookings.service.ts';
import { outcomeText, serviceUnitLabel } from './bookings.outcomes.ts';

interface Choice {
  value: string;
  label: string;
}

function OverridePage(props: { ctx: PageCtx; householdId: string; children: Choice[]; units: Choice[]; errors?: FieldErrors; values?: FormValues; result?: string }) {
  const { errors = {}, values = {} } = props;
  return (
    <FormPage
      ctx={props.ctx}
      title="Réserver ou annuler hors délai"
      errors={errors}
      back={`/agent/foyers/${props.householdId}`}
      action={`/agent/foyers/${props.householdId}/derogation`}
      submit="Appliquer la dérogation"
      intro={
        <>
          {props.result && (
            <NotificationBanner kind="info" title="Résultat">
              <p>{props.result}</p>
            </NotificationBanner>
          )}
          <p>Une dérogation passe outre le délai et, pour une réservation, la capacité. Elle est enregistrée à votre nom dans l'historique de la famille.</p>
        </>
      }
    >
      <Select name="enfant" label="Enfant" options={props.children} errors={errors} values={values} />
      <Select name="unite" label="Service" options={props.units} errors={errors} values={values} />
      <TextField name="jour" label="Jour" type="date" width="medium" errors={errors} values={values} />
      <Choices type="radio" name="action" label="Action" inline options={[{ value: 'reserver', label: 'Réserver' }, { value: 'annuler', label: 'Annuler' }]} selected={[values.action ?? 'reserver']} errors={errors} />
    </FormPage>
  );
}

const OverrideBody = form({ enfant: text(40).optional(), unite: text(40).optional(), jour: text(40).optional(), action: text(20).optional() });

/** Overrides are for enfance and admin agents: refused before the body is read. */
function requireOverrideRole(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
  try {
    assertRole(req.auth, 'admin', 'enfance');
  } catch (err) {
    return done(err as Error);
  }
  done();
}

/** Agents' overrides of deadlines and capacity, from a household's page (enfance, admin). */
export function bookingsAgentRoutes(app: App, ctx: AppContext, bookings: BookingsService) {
  async function choices(auth: Auth, householdId: string) {
    const today = ctx.clock.today();
    const calendars = await bookings.calendarOfHousehold(auth, householdId, today);
    const children = calendars.filter((c) => c.rows.length > 0).map((c) => ({ value: c.child.id, label: c.child.first_name }));
    const units = new Map(calendars.flatMap((c) => c.rows.map((r) => [r.unit.id, { value: r.unit.id, label: serviceUnitLabel(r.serviceName, r.unit.label) }] as const)));
    return { children, units: [...units.values()] };
  }

  app.get('/agent/foyers/:id/derogation', { onRequest: requireOverrideRole, schema: { params: idParams } }, async (req, reply) => {
    const { id } = req.params;
    const auth = req.auth;
    assertRole(auth, 'admin', 'enfance');
    return reply.page(OverridePage({ ctx: req.pageCtx(), householdId: id, ...(await choices(auth, id)), values: { jour: ctx.clock.today() } }));
  });

  app.post('/agent/foyers/:id/derogation', { onRequest: requireOverrideRole, schema: { params: idParams, body: OverrideBody } }, async (req, reply) => {
    const { id } = req.params;
    const auth = req.auth;
    assertRole(auth, 'admin', 'enfance');
    const lists = await choices(auth, id);
    const b = req.body;
    const values = { enfant: b.enfant ?? '', unite: b.unite ?? '', jour: b.jour ?? '', action: b.action ?? '' };
    const errors: FieldErrors = {};
    if (!lists.children.some((c) => c.value === values.enfant)) errors.enfant = 'Choisissez l\'enfant';
    if (!lists.units.some((u) => u.value === values.unite)) errors.unite = 'Choisissez le service';
    if (!day.safeParse(values.jour).success) errors.jour = 'Saisissez un jour qui existe, par exemple 2027-02-04';
    if (values.action !== 'reserver' && values.action !== 'annuler') errors.action = 'Choisissez l\'action';
    if (Object.keys(errors).length) return reply.page(OverridePage({ ctx: req.pageCtx(), householdId: id, ...lists, errors, values }), 400);
    const result = await bookings.applyAgentOverride(auth, id, { childId: values.enfant, unitId: values.unite, day: values.jour, want: values.action === 'reserver' });
    return reply.page(OverridePage({ ctx: req.pageCtx(), householdId: id, ...lists, values, result: outcomeText(result) }), result.ok ? 200 : 409);
  });
}
