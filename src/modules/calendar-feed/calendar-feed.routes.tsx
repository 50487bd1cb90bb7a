import type { App } from '../../platform/http/app-type.ts';
import { familyActorOf } from '../../platform/http/actor.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireFamily } from '../../platform/http/guards.ts';
import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, PostForm } from '../../platform/ui/components.tsx';
import type { FamilyService } from '../households/households.family-service.ts';
import type { CalendarFeedService } from './calendar-feed.service.ts';

function FeedPage({ ctx, address }: { ctx: PageCtx; address: string }) {
  return (
    <Layout ctx={ctx} title="Agenda des réservations">
      <h1>Voir les réservations dans votre agenda</h1>
      <p>Ajoutez cette adresse à l'agenda de votre téléphone (Google Agenda, Calendrier d'Apple, Outlook) : les jours réservés s'y afficheront et se mettront à jour tout seuls.</p>
      <p>
        <label class="label" for="adresse-agenda">
          Adresse de votre agenda
        </label>
        <input class="input" id="adresse-agenda" type="text" readOnly value={address} />
      </p>
      <p>
        Sur un téléphone ou un ordinateur qui le permet : <a href={address.replace(/^https?:/, 'webcal:')}>ajouter directement à mon agenda</a>.
      </p>
      <p>Cette adresse est personnelle : ne la partagez qu'avec les personnes de confiance. Si vous pensez qu'elle a circulé, créez-en une nouvelle : l'ancienne ne fonctionnera plus.</p>
      <PostForm action="/famille/calendrier" csrf={ctx.csrf}>
        <Button variant="secondary">Générer une nouvelle adresse</Button>
      </PostForm>
    </Layout>
  );
}

export function calendarFeedRoutes(app: App, feeds: CalendarFeedService, family: FamilyService) {
  async function actorOf(req: FastifyRequest, reply: FastifyReply) {
    await requireFamily(req, reply);
    if (reply.sent) return null;
    const actor = familyActorOf(req.auth!);
    if (!actor) reply.seeOther('/famille');
    return actor;
  }

  app.get('/famille/calendrier', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    return reply.page(FeedPage({ ctx: req.pageCtx(), address: await feeds.address(actor) }));
  });

  app.post('/famille/calendrier', async (req, reply) => {
    const actor = await actorOf(req, reply);
    if (!actor) return;
    await feeds.regenerate(actor);
    return reply.flash('Nouvelle adresse créée : remplacez l\'ancienne dans votre agenda.').seeOther('/famille/calendrier');
  });

  // Public by design (agendas cannot log in): the address itself is the secret.
  app.get('/calendrier/:file', async (req, reply) => {
    const body = await feeds.feed((req.params as { file: string }).file);
    if (!body) return reply.callNotFound();
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').header('x-robots-tag', 'noindex').header('referrer-policy', 'no-referrer').header('content-disposition', 'inline; filename="reservations.ics"').send(body);
  });

}
