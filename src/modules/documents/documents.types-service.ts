import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';
import { requiredText } from '../../platform/http/forms.ts';
import * as repo from './documents.repository.ts';

/** A type the town adds: its name, its validity rule and how long its files are kept after it. */
export const typeSchema = z
  .object({
    label: requiredText('Indiquez le nom du type de document', 100),
    validity: z.enum(['months', 'school_year', 'none'], { message: 'Choisissez la durée de validité' }),
    months: z.string().trim().optional(),
    retention: z.string().trim().regex(/^\d{1,2}$/, 'Indiquez un nombre de mois, de 0 à 99'),
  })
  .superRefine((v, ctx) => {
    if (v.validity === 'months' && !/^([1-9]|[1-9]\d)$/.test(v.months ?? '')) ctx.addIssue({ code: 'custom', path: ['months'], message: 'Indiquez un nombre de mois, de 1 à 99' });
  });

/** The document types of the town (back office, admin and enfance): the built-in list and the town's own, each switched on or off. */
export function documentTypesService(ctx: AppContext) {
  const { db, clock } = ctx;
  const check = (auth: Auth | null): Auth => {
    assertRole(auth, 'admin', 'enfance');
    return auth;
  };
  return {
    list: (auth: Auth | null) => {
      check(auth);
      return repo.allTypes(db);
    },
    async add(auth: Auth | null, data: z.infer<typeof typeSchema>): Promise<void> {
      const agent = check(auth);
      const now = clock.now();
      const id = newId();
      await db.transaction().execute(async (tx) => {
        await repo.insertType(tx, { id, code: `ville-${id}`, label: data.label, validity: data.validity, validity_months: data.validity === 'months' ? Number(data.months) : null, retention_months: Number(data.retention), active: 1, created_at: now.toISOString() });
        await writeAudit(tx, now, actorOf(agent), { action: 'document-type.added', targetType: 'document_type', targetId: id, summary: `Type de document ajouté : ${data.label}` });
      });
    },
    async setActive(auth: Auth | null, id: string, active: boolean): Promise<string> {
      const agent = check(auth);
      const now = clock.now();
      return db.transaction().execute(async (tx) => {
        const type = await repo.typeById(tx, id);
        if (!type) throw new NotFoundError();
        await repo.setTypeActive(tx, id, active);
        await writeAudit(tx, now, actorOf(agent), { action: active ? 'document-type.enabled' : 'document-type.disabled', targetType: 'document_type', targetId: id, summary: `${type.label} : ${active ? 'proposé aux familles' : 'n\'est plus proposé aux familles'}` });
        return type.label;
      });
    },
  };
}

export type DocumentTypesService = ReturnType<typeof documentTypesService>;
