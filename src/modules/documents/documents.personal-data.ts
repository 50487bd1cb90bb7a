import { labelOf, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { householdFiles } from '../../platform/files/files.repository.ts';
import { SHOWN_STATUS_LABELS } from './documents.domain.ts';
import { deleteHouseholdDocuments, documentsExportRows } from './documents.repository.ts';

const KINDS: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'Photo (JPEG)', 'image/png': 'Image (PNG)', 'image/webp': 'Image (WebP)' };

/**
 * Personal data of the wallet: each document (its type, the child, its status and dates, the
 * refusal's reason) and every file the household sent, listed with name, kind, size and date (the
 * files themselves are downloaded from « Mes documents »). Anonymisation deletes the file rows in its
 * transaction, the documents with them (ON DELETE CASCADE); the encrypted bytes go with the rows on
 * the database backend, at the next purge on the directory backend.
 */
export const documentsPersonalData: PersonalDataDeclaration = {
  module: 'documents',
  tables: [
    { name: 'stored_files', keys: ['household_id'], personal: ['original_name'] },
    { name: 'documents', keys: ['household_id', 'person_id', 'created_by', 'decided_by'], personal: ['refusal_reason', 'created_by_label', 'decided_by_label'] },
  ],
  sections: [
    { key: 'documents', title: 'Documents', empty: 'Aucun document.', fields: { type: 'Type', for: 'Pour', date: 'Date du document', status: 'État', valid_until: 'Valable jusqu\'au', reason: 'Motif du refus', sent_at: 'Envoyé le', sent_by: 'Envoyé par', file: 'Fichier' } },
    { key: 'stored_files', title: 'Fichiers envoyés', empty: 'Aucun fichier.', fields: { name: 'Nom du fichier', kind: 'Type', size: 'Taille (octets)', created_at: 'Envoyé le' } },
  ],

  async export(db, scope) {
    const [documents, files] = await Promise.all([documentsExportRows(db, scope.householdId), householdFiles(db, scope.householdId)]);
    return {
      documents: documents.map((d) => ({ type: d.type_label, for: d.person_first_name ?? 'Tout le foyer', date: d.document_date, status: labelOf(SHOWN_STATUS_LABELS, d.status), valid_until: d.valid_until, reason: d.refusal_reason, sent_at: d.created_at, sent_by: d.created_by_label, file: d.original_name })),
      stored_files: files.map((f) => ({ name: f.original_name, kind: KINDS[f.media_type] ?? 'Fichier', size: f.byte_size, created_at: f.created_at })),
    };
  },

  async anonymise(tx, scope) {
    await deleteHouseholdDocuments(tx, scope.householdId);
  },
};
