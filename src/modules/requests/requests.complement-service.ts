import type { AppContext } from '../../platform/context.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { NotFoundError, RuleError } from '../../platform/http/errors.ts';
import type { IncomingUpload } from '../../platform/files/multipart-stream.ts';
import { isUuid } from '../../platform/ids.ts';
import type { DocumentsService } from '../documents/documents.service.ts';
import { activeDocumentTypes, documentOfHousehold, walletDocumentsForAnswer } from '../documents/documents.shared-service.ts';
import { isJoinableDocument, MESSAGE_MAX } from './requests.domain.ts';
import { REQUEST_OUTCOMES } from './requests.outcomes.ts';
import type { ComplementDocument, RequestsService } from './requests.service.ts';
import type { RequestRow } from './requests.repository.ts';
import { TRACKING_FORM } from './requests.tracking.outcomes.ts';
import { insertRequestDocument } from './requests.documents.repository.ts';

/** The answer form as posted (bounded by the route's schema); the file comes last. */
export interface AnswerFields {
  reponse?: string;
  /** A document of the household's wallet. */
  document?: string;
  /** A new document: its type (id) and the date written on it. */
  type_document?: string;
  date_document?: string;
}

export type AnswerOutcome = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * The family's answer to a complement: a text, and/or a document of its wallet, or a new one
 * (photo or PDF) that goes into the wallet through the documents service (same checks, encryption,
 * metadata stripped). Document row, message, link to the request, the type's hook and the move back
 * to « en instruction » commit together; a new file is removed when that transaction fails.
 */
export function complementAnswers(ctx: AppContext, requests: RequestsService, documents: Pick<DocumentsService, 'stage' | 'maxBytes'>) {
  const { db, clock } = ctx;
  const drainCap = documents.maxBytes + 1024 * 1024;

  return {
    /** What the answer form offers: the wallet's joinable documents, the types to send, the type the request waits for. */
    async form(actor: FamilyActor, request: RequestRow) {
      const [choices, types] = await Promise.all([walletDocumentsForAnswer(db, actor.householdId, clock.today()), activeDocumentTypes(db)]);
      const expected = requests.documentTypeOf(request.type);
      return { choices, types, expectedType: types.find((t) => t.code === expected)?.id ?? null };
    },

    async answer(actor: FamilyActor, id: string, fields: AnswerFields, upload: IncomingUpload | undefined): Promise<AnswerOutcome> {
      const { request } = await requests.familyRequest(actor, id);
      if (request.status !== 'complement_requested') throw new RuleError(REQUEST_OUTCOMES.not_waiting_complement);
      const text = (fields.reponse ?? '').trim().replace(/\r\n/g, '\n');
      const hasFile = !!upload?.filename;
      const errors: Record<string, string> = {};
      if (text.length > MESSAGE_MAX) errors.reponse = `${MESSAGE_MAX} caractères au maximum`;
      let picked: ComplementDocument | null = null;
      if (fields.document) {
        // Another household's document (or any unknown id) is not there at all.
        const doc = isUuid(fields.document) ? await documentOfHousehold(db, actor.householdId, fields.document) : undefined;
        if (!doc) throw new NotFoundError();
        if (!isJoinableDocument(doc, clock.today())) errors.document = TRACKING_FORM.answer_document_unusable;
        if (hasFile) errors.fichier = TRACKING_FORM.answer_two_documents;
        picked = { id: doc.id, typeCode: doc.type_code, status: doc.status, qfValue: doc.qf_value, qfMonth: doc.qf_month };
      }
      if (!text && !picked && !hasFile) errors.reponse = TRACKING_FORM.answer_empty;
      if (Object.keys(errors).length > 0) {
        await upload?.drain(drainCap);
        return { ok: false, errors };
      }
      let staged = null;
      if (hasFile) {
        const result = await documents.stage(actor, { type: fields.type_document, personne: 'foyer', date: fields.date_document }, upload);
        if (!result.ok) {
          const { type, date, personne, ...rest } = result.errors;
          return { ok: false, errors: { ...(type ? { type_document: type } : {}), ...(date ? { date_document: date } : {}), ...(personne ? { fichier: personne } : {}), ...rest } };
        }
        staged = result.value;
      } else await upload?.drain(drainCap);
      const joined: ComplementDocument | null = staged ? { id: staged.id, typeCode: staged.typeCode, status: 'pending', qfValue: null, qfMonth: null } : picked;
      try {
        await requests.answerComplement(actor, id, text, async (tx, row, messageId, now) => {
          await staged?.commit(tx);
          if (!joined) return;
          await insertRequestDocument(tx, { requestId: row.id, messageId, householdId: row.household_id, documentId: joined.id }, now);
          await requests.complementDocument(tx, row, joined, now);
        });
      } catch (err) {
        await staged?.discard();
        throw err;
      }
      return { ok: true };
    },
  };
}

export type ComplementAnswers = ReturnType<typeof complementAnswers>;
