import type { AppContext } from '../../platform/context.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { newId } from '../../platform/ids.ts';
import type { StoredFiles } from '../../platform/files/stored-files.ts';
import type { IncomingUpload } from '../../platform/files/multipart-stream.ts';
import { refusalMessage } from '../../platform/files/files.outcomes.ts';
import { membersOf } from '../households/households.shared-service.ts';
import { deleteAfter, documentDateProblem, shownStatus, validUntil } from './documents.domain.ts';
import { DOCUMENT_OUTCOMES } from './documents.outcomes.ts';
import * as repo from './documents.repository.ts';

/** The fields of the add form, as posted (bounded by the route's schema). */
export interface DocumentFields {
  type?: string;
  personne?: string;
  date?: string;
}

export type AddResult = { ok: true; id: string } | { ok: false; errors: Record<string, string> };

/** A new document whose file is stored; its row is written by `commit` in the caller's transaction. */
export interface StagedDocument {
  id: string;
  typeCode: string;
  typeLabel: string;
  documentDate: string;
  commit(tx: Executor, action?: 'document.added' | 'document.replaced'): Promise<void>;
  discard(): Promise<void>;
}

/** « Pour tout le foyer » in the person field. */
export const WHOLE_HOUSEHOLD = 'foyer';

/**
 * The family side of the wallet. The household comes from the session (FamilyActor); a document of
 * another household is unknown (404). Files go through the encrypted store (src/platform/files).
 */
export function documentsService(ctx: AppContext, files: StoredFiles) {
  const { db, clock } = ctx;

  async function children(householdId: string) {
    return (await membersOf(db, householdId)).filter((m) => m.kind === 'child').map((m) => ({ id: m.id, firstName: m.first_name }));
  }

  /** The form's fields checked before any byte of the file is read. */
  async function checkFields(actor: FamilyActor, fields: DocumentFields) {
    const errors: Record<string, string> = {};
    const type = fields.type ? await repo.typeById(db, fields.type) : undefined;
    if (!fields.type) errors.type = DOCUMENT_OUTCOMES.type_missing;
    else if (!type || !type.active) errors.type = DOCUMENT_OUTCOMES.type_unknown;
    const kids = await children(actor.householdId);
    const personId = fields.personne === WHOLE_HOUSEHOLD ? null : kids.find((k) => k.id === fields.personne)?.id;
    if (personId === undefined) errors.personne = DOCUMENT_OUTCOMES.person_unknown;
    const date = fields.date ?? '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date))) errors.date = DOCUMENT_OUTCOMES.date_missing;
    else {
      const problem = documentDateProblem(date, clock.today());
      if (problem) errors.date = DOCUMENT_OUTCOMES[problem === 'future' ? 'date_future' : 'date_too_old'];
    }
    if (Object.keys(errors).length > 0 || !type) return { ok: false as const, errors };
    return { ok: true as const, type, personId: personId ?? null, date };
  }

  return {
    maxBytes: files.maxBytes,

    async wallet(actor: FamilyActor) {
      const [types, kids, documents] = await Promise.all([repo.activeTypes(db), children(actor.householdId), repo.householdDocuments(db, actor.householdId)]);
      const today = clock.today();
      return { types, children: kids, documents: documents.map((d) => ({ ...d, shown: shownStatus({ status: d.status, valid_until: d.valid_until }, today) })) };
    },

    async document(actor: FamilyActor, id: string) {
      const doc = await repo.householdDocument(db, actor.householdId, id);
      if (!doc) throw new NotFoundError();
      return doc;
    },

    /**
     * Adds a document (or replaces `replacing`): fields first, then the file streamed into the store,
     * then the row and its audit entry in one transaction. Nothing stays when any step fails.
     */
    async add(actor: FamilyActor, fields: DocumentFields, upload: IncomingUpload | undefined, replacing?: string): Promise<AddResult> {
      const previous = replacing ? await this.document(actor, replacing) : null;
      const staged = await this.stage(actor, fields, upload);
      if (!staged.ok) return staged;
      try {
        await db.transaction().execute(async (tx) => {
          await staged.value.commit(tx, replacing ? 'document.replaced' : 'document.added');
          if (replacing && !(await repo.deleteDocument(tx, actor.householdId, replacing))) throw new NotFoundError();
        });
      } catch (err) {
        await staged.value.discard();
        throw err;
      }
      if (previous) await files.forget(previous.file_id).catch(() => undefined);
      return { ok: true, id: staged.value.id };
    },

    /**
     * The file of a new document streamed into the store, after the same checks as the wallet's form;
     * the row is written by `commit` inside the caller's transaction (a request's complement answer
     * joins it in its own), and `discard` removes the file when that transaction fails.
     */
    async stage(actor: FamilyActor, fields: DocumentFields, upload: IncomingUpload | undefined): Promise<{ ok: false; errors: Record<string, string> } | { ok: true; value: StagedDocument }> {
      const checked = await checkFields(actor, fields);
      if (!upload) return { ok: false, errors: checked.ok ? { fichier: DOCUMENT_OUTCOMES.no_file } : checked.errors };
      if (!checked.ok) {
        await upload.drain(files.maxBytes + 1024 * 1024);
        return { ok: false, errors: checked.errors };
      }
      if (!upload.filename) {
        await upload.drain(files.maxBytes + 1024 * 1024);
        return { ok: false, errors: { fichier: DOCUMENT_OUTCOMES.no_file } };
      }
      const { type, personId, date } = checked;
      const until = validUntil(type, date);
      const now = clock.now();
      const stored = await files.store(upload.content, { householdId: actor.householdId, purpose: 'document', originalName: upload.filename, deleteAfter: deleteAfter(type, until), now });
      if (!stored.ok) {
        await upload.drain(files.maxBytes + 1024 * 1024);
        return { ok: false, errors: { fichier: refusalMessage(stored.code, files.maxBytes) } };
      }
      const id = newId();
      const who = actorOf(actor.auth);
      const fileId = stored.value.id;
      return {
        ok: true,
        value: {
          id,
          typeCode: type.code,
          typeLabel: type.label,
          documentDate: date,
          async commit(tx, action = 'document.added') {
            await repo.insertDocument(tx, { id, household_id: actor.householdId, person_id: personId, type_id: type.id, file_id: fileId, status: 'pending', document_date: date, valid_until: until, refusal_reason: null, qf_value: null, qf_month: null, created_at: now.toISOString(), created_by: actor.auth.user.id, created_by_label: who.label, decided_at: null, decided_by: null, decided_by_label: null });
            await writeAudit(tx, now, who, { action, targetType: 'household', targetId: actor.householdId, summary: `${action === 'document.replaced' ? 'Document remplacé' : 'Document envoyé'} : ${type.label}` });
          },
          discard: () => files.remove(fileId),
        },
      };
    },

    async download(actor: FamilyActor, id: string) {
      const doc = await this.document(actor, id);
      const file = await files.openForDownload(doc.file_id);
      if (!file) throw new NotFoundError('Ce fichier est endommagé et ne peut pas être ouvert. Envoyez de nouveau le document.');
      return file;
    },

    async remove(actor: FamilyActor, id: string): Promise<void> {
      const doc = await this.document(actor, id);
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        if (!(await repo.deleteDocument(tx, actor.householdId, id))) throw new NotFoundError();
        await writeAudit(tx, now, actorOf(actor.auth), { action: 'document.removed', targetType: 'household', targetId: actor.householdId, summary: `Document supprimé : ${doc.type_label}` });
      });
      // The row is gone; the bytes follow (or the purge removes them if this fails).
      await files.forget(doc.file_id).catch(() => undefined);
    },
  };
}

export type DocumentsService = ReturnType<typeof documentsService>;
