import type { App } from '../../platform/http/app-type.ts';
import { z } from 'zod';
import { familyOf, requireHousehold } from '../../platform/http/actor.ts';
import { form, text } from '../../platform/http/input.ts';
import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, PostForm } from '../../platform/ui/components.tsx';
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

/** The feed's file name, bounded; its shape and signature are checked by the service (wrong = 404). */
const FeedParams = z.object({ file: text(120) });
const EmptyBody = form({});

export function calendarFeedRoutes(app: App, feeds: CalendarFeedService) {
  app.get('/famille/calendrier', { onRequest: requireHousehold }, async (req, reply) => {
    return reply.page(FeedPage({ ctx: req.pageCtx(), address: await feeds.address(familyOf(req)) }));
  });

  app.post('/famille/calendrier', { onRequest: requireHousehold, schema: { body: EmptyBody } }, async (req, reply) => {
    await feeds.regenerate(familyOf(req));
    return reply.flash('Nouvelle adresse créée : remplacez l\'ancienne dans votre agenda.').seeOther('/famille/calendrier');
  });

  // Public by design (agendas cannot log in): the address itself is the secret.
  app.get('/calendrier/:file', { schema: { params: FeedParams } }, async (req, reply) => {
    const body = await feeds.feed(req.params.file);
    if (!body) return reply.callNotFound();
    return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').header('x-robots-tag', 'noindex').header('referrer-policy', 'no-referrer').header('content-disposition', 'inline; filename="reservations.ics"').send(body);
  });
}
