import type { PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { deleteHouseholdFiles, householdFiles } from '../../platform/files/files.repository.ts';

const KINDS: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'Photo (JPEG)', 'image/png': 'Image (PNG)', 'image/webp': 'Image (WebP)' };

/**
 * Personal data of the document store: every file a household sent (documents, attachments) is
 * listed in the export with its name, kind, size and date (the files themselves are downloaded from
 * the portal); anonymisation deletes their rows in its transaction and the purge removes the
 * encrypted bytes (at once for the database backend, within the hour for the directory).
 */
export const documentsPersonalData: PersonalDataDeclaration = {
  module: 'documents',
  tables: [{ name: 'stored_files', keys: ['household_id'], personal: ['original_name'] }],
  sections: [{ key: 'stored_files', title: 'Fichiers envoyés', empty: 'Aucun fichier.', fields: { name: 'Nom du fichier', kind: 'Type', size: 'Taille (octets)', created_at: 'Envoyé le' } }],

  async export(db, scope) {
    const files = await householdFiles(db, scope.householdId);
    return { stored_files: files.map((f) => ({ name: f.original_name, kind: KINDS[f.media_type] ?? 'Fichier', size: f.byte_size, created_at: f.created_at })) };
  },

  async anonymise(tx, scope) {
    await deleteHouseholdFiles(tx, scope.householdId);
  },
};
