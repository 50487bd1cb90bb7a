import { flag, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { SITUATION_KIND_LABELS, type SituationKind } from './requests.tracking.domain.ts';
import { answersExportRows, anonymiseTracking, attachmentExportRows } from './requests.tracking.repository.ts';
import { anonymiseRequestDocuments, requestDocumentsExportRows } from './requests.documents.repository.ts';

/** The answers of a form as a person reads them: the kind of change in words, then each answer. */
function readable(payload: string): string {
  let data: unknown;
  try {
    data = JSON.parse(payload);
  } catch {
    return '';
  }
  if (!data || typeof data !== 'object') return '';
  // A draft keeps what was typed under `draft`.
  const draft = (data as { draft?: unknown }).draft;
  if (draft && typeof draft === 'object') data = draft;
  return Object.entries(data as Record<string, unknown>)
    .map(([key, value]) => (key === 'kind' && typeof value === 'string' && value in SITUATION_KIND_LABELS ? SITUATION_KIND_LABELS[value as SituationKind] : typeof value === 'string' ? value : ''))
    .filter(Boolean)
    .join(' · ');
}

/**
 * Personal data of the tracking of requests (migration 020): the answers of the family's forms
 * (« Changement de situation », « Autre demande »), the files joined to requests and messages, and
 * the wallet documents joined to complement answers (migration 025).
 * The files themselves are listed with the household's files (documents module, `stored_files`);
 * anonymisation deletes the answers and the attached files (their rows follow by cascade).
 */
export const requestsTrackingPersonalData: PersonalDataDeclaration = {
  module: 'requests-tracking',
  tables: [
    { name: 'request_attachments', keys: ['household_id', 'request_id', 'author_id'], personal: ['file_id'] },
    { name: 'request_answers', keys: ['household_id', 'request_id'], personal: ['payload'] },
    { name: 'request_documents', keys: ['household_id', 'request_id', 'message_id'], personal: ['document_id'] },
  ],
  sections: [
    { key: 'request_answers', title: 'Réponses aux demandes', empty: 'Aucune réponse enregistrée.', fields: { request: 'Demande', answers: 'Réponses' } },
    { key: 'request_attachments', title: 'Fichiers joints aux demandes', empty: 'Aucun fichier joint.', fields: { request: 'Demande', at: 'Date', from_family: 'Envoyé par la famille', name: 'Nom du fichier' } },
    { key: 'request_documents', title: 'Documents joints aux réponses', empty: 'Aucun document joint.', fields: { request: 'Demande', at: 'Date', type: 'Document', date: 'Date du document' } },
  ],

  async export(db, scope) {
    const [answers, attachments, documents] = await Promise.all([answersExportRows(db, scope.householdId), attachmentExportRows(db, scope.householdId), requestDocumentsExportRows(db, scope.householdId)]);
    return {
      request_answers: answers.map((a) => ({ request: a.reference, answers: readable(a.payload) })),
      request_attachments: attachments.map((a) => ({ request: a.reference, at: a.created_at, from_family: flag(a.from_family), name: a.original_name })),
      request_documents: documents.map((d) => ({ request: d.reference, at: d.created_at, type: d.type_label, date: d.document_date })),
    };
  },

  anonymise: async (tx, scope) => {
    await anonymiseRequestDocuments(tx, scope.householdId);
    await anonymiseTracking(tx, scope.householdId);
  },
};
