import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';
import * as repo from './messaging.news.repository.ts';

/** News are published by the enfance service and admins; menus by the kitchen too. */
function assertCanPublish(auth: Auth | null): asserts auth is Auth {
  assertRole(auth, 'admin', 'enfance', 'restauration');
}

export interface NewsInput {
  kind: 'news' | 'menu';
  title: string;
  body: string;
  startsOn: string;
  endsOn: string;
}

export function messagingNewsService(ctx: AppContext) {
  const { db, clock } = ctx;
  return {
    async recent(auth: Auth | null) {
      assertCanPublish(auth);
      return repo.recentNews(db, 100);
    },

    async publish(auth: Auth | null, input: NewsInput) {
      assertCanPublish(auth);
      const now = clock.now();
      const actor = actorOf(auth);
      const id = newId();
      await db.transaction().execute(async (tx) => {
        await repo.insertNews(tx, { id, kind: input.kind, title: input.title, body: input.body, starts_on: input.startsOn, ends_on: input.endsOn, created_by: auth.user.id, created_by_label: actor.label, created_at: now.toISOString() });
        await writeAudit(tx, now, actor, { action: 'news.published', targetType: 'news', targetId: id, summary: `${input.kind === 'menu' ? 'Menu' : 'Actualité'} publié : « ${input.title} » du ${input.startsOn} au ${input.endsOn}` });
      });
      return id;
    },

    async withdraw(auth: Auth | null, id: string) {
      assertCanPublish(auth);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (!(await repo.deleteNews(tx, id))) throw new NotFoundError();
        await writeAudit(tx, now, actorOf(auth), { action: 'news.withdrawn', targetType: 'news', targetId: id, summary: 'Actualité retirée' });
      });
    },
  };
}

export type MessagingNewsService = ReturnType<typeof messagingNewsService>;
