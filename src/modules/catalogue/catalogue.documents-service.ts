import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import type { DocumentSubject } from '../../platform/db/schema-enrolment-documents.ts';
import { activeDocumentTypes } from '../documents/documents.shared-service.ts';
import { findService } from './catalogue.repository.ts';
import * as repo from './catalogue.documents.repository.ts';

/** « Pour l'enfant », « Pour tout le foyer »: how a service's required document reads. */
export const SUBJECT_LABELS: Record<DocumentSubject, string> = { child: 'pour l\'enfant', household: 'pour tout le foyer' };

/** One type's setting as posted: what the page showed (`before`) and what the agent chose (`after`). */
export interface RequiredChange {
  typeId: string;
  before: DocumentSubject | null;
  after: DocumentSubject | null;
}

/**
 * The documents a service requires to enrol a child (issue 12, item 4), roles admin and enfance, audited.
 * Only the types whose choice differs from what the page showed are written: a page left open never undoes
 * another agent's change to another type.
 */
export function catalogueDocumentsService(ctx: AppContext) {
  const { db, clock } = ctx;
  function guard(auth: Auth | null): asserts auth is Auth {
    assertRole(auth, 'admin', 'enfance');
  }

  async function settings(auth: Auth | null, serviceId: string) {
    guard(auth);
    const service = await findService(db, serviceId);
    if (!service) throw new NotFoundError();
    const [types, required] = await Promise.all([activeDocumentTypes(db), repo.requiredDocuments(db, serviceId)]);
    // A type switched off since stays listed while it is required, so that it can be removed.
    const shown = [...types.map((t) => ({ id: t.id, label: t.label })), ...required.filter((r) => !types.some((t) => t.id === r.type_id)).map((r) => ({ id: r.type_id, label: r.label }))];
    return { service, types: shown, required };
  }

  return {
    settings,

    async save(auth: Auth | null, serviceId: string, changes: RequiredChange[]): Promise<number> {
      const { service, types } = await settings(auth, serviceId);
      const changed = changes.filter((c) => c.before !== c.after && types.some((t) => t.id === c.typeId));
      if (changed.length === 0) return 0;
      const now = clock.now();
      const words = changed.map((c) => `${types.find((t) => t.id === c.typeId)!.label} : ${c.after ? SUBJECT_LABELS[c.after] : 'plus demandé'}`).join(' ; ');
      await db.transaction().execute(async (tx) => {
        for (const c of changed) await repo.setRequired(tx, serviceId, c.typeId, c.after, now.toISOString());
        await writeAudit(tx, now, actorOf(auth!), { action: 'catalogue.service.documents', targetType: 'catalogue', targetId: serviceId, summary: `Pièces demandées à l'inscription, ${service.name} (${service.facility_name}) : ${words}` });
      });
      return changed.length;
    },
  };
}

export type CatalogueDocumentsService = ReturnType<typeof catalogueDocumentsService>;
