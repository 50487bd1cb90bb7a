/**
 * What the documents module offers other modules (docs/architecture.md, « Frontières des modules »):
 * the wallet's documents a request reuses instead of asking again. The repository stays private.
 */
export {
  /** Validated documents of a type still valid on a day, newest first. */
  usableDocuments,
  /** The documents of a type a request may use: validated and valid first, then those waiting for a check. */
  documentsForRequest,
  /** One document of a household, with its type's code; another household's is undefined. */
  documentOfHousehold,
  /** A document type by its code (`quotient`, `certificat`…). */
  documentTypeByCode,
  /** Every usable document of the household (any type), for the answer to a complement. */
  walletDocumentsForAnswer,
} from './documents.queue.repository.ts';

/** Where the wallet's add form sends the family back after an upload for a request: a request form of « Mes demandes ». */
export const isRequestReturnPath = (path: string) => /^\/demandes\/nouvelle\/[a-z-]{1,40}(\?[a-z]{1,20}=[0-9a-f-]{36})?$/.test(path);

/** The add form of the wallet, for a document of this type (and person) that a request form waits for. */
export function addDocumentHref(typeId: string, returnTo: string, personId?: string | null): string {
  const q = new URLSearchParams({ type: typeId, retour: returnTo });
  if (personId) q.set('personne', personId);
  return `/documents/ajouter?${q.toString()}`;
}

export {
  /** The document types a family may send (the town's own included), in the town's order. */
  activeTypes as activeDocumentTypes,
} from './documents.repository.ts';
