import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { parseForm, requiredText } from '../../platform/http/forms.ts';
import { day, form, idParams, text } from '../../platform/http/input.ts';
import type { MessagingNewsService } from './messaging.news-service.ts';
import { NEWS_BODY_MAX, NEWS_TITLE_MAX, NewsAgentPage } from './messaging.news-views.tsx';

const newsSchema = z
  .object({
    type: z.enum(['news', 'menu'], { error: 'Choisissez le type' }),
    titre: requiredText('Indiquez le titre', NEWS_TITLE_MAX),
    texte: requiredText('Écrivez le texte', NEWS_BODY_MAX),
    du: z.string({ error: 'Indiquez le premier jour' }).pipe(day),
    au: z.string({ error: 'Indiquez le dernier jour' }).pipe(day),
  })
  .refine((v) => v.au >= v.du, { path: ['au'], message: 'Le dernier jour doit suivre le premier' });

const NewsBody = form({ type: text(10).optional(), titre: text(NEWS_TITLE_MAX * 4).optional(), texte: text(NEWS_BODY_MAX * 4).optional(), du: text(20).optional(), au: text(20).optional() });

/** News and menus, published by agents (roles checked in the service). */
export function messagingNewsRoutes(agent: App, ctx: AppContext, news: MessagingNewsService) {
  agent.get('/agent/actualites', async (req, reply) => reply.page(NewsAgentPage({ ctx: req.pageCtx(), rows: await news.recent(req.auth), today: ctx.clock.today() })));

  agent.post('/agent/actualites', { schema: { body: NewsBody } }, async (req, reply) => {
    const parsed = parseForm(newsSchema, req.body);
    if (!parsed.ok) return reply.page(NewsAgentPage({ ctx: req.pageCtx(), rows: await news.recent(req.auth), today: ctx.clock.today(), errors: parsed.errors, values: parsed.values }), 400);
    const d = parsed.data;
    await news.publish(req.auth, { kind: d.type, title: d.titre, body: d.texte, startsOn: d.du, endsOn: d.au });
    return reply.flash(`« ${d.titre} » est publié.`).seeOther('/agent/actualites');
  });

  agent.post('/agent/actualites/:id/retirer', { schema: { params: idParams, body: form({}) } }, async (req, reply) => {
    await news.withdraw(req.auth, req.params.id);
    return reply.flash('La publication est retirée.').seeOther('/agent/actualites');
  });
}
