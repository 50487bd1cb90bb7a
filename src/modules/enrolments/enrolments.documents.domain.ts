/**
 * Documents required by an enrolment (issue 12, item 4): which wallet documents a request may carry, which
 * one stands for each required type, and what stops the acceptance. Pure rules: no I/O, today passed in.
 */

/** A wallet document as the rules need it. */
export interface WalletDoc {
  id: string;
  person_id: string | null;
  status: 'pending' | 'validated' | 'refused';
  valid_until: string | null;
  created_at: string;
}

/** What a document is today, as the family and the agent read it. */
export type DocState = 'validated' | 'pending' | 'refused' | 'expired' | 'missing';

export function docState(doc: Pick<WalletDoc, 'status' | 'valid_until'> | null | undefined, today: string): DocState {
  if (!doc) return 'missing';
  if (doc.status !== 'refused' && doc.valid_until !== null && doc.valid_until < today) return 'expired';
  return doc.status;
}

export const STATE_LABELS: Record<DocState, string> = { validated: 'Validé', pending: 'À vérifier', refused: 'Refusé', expired: 'Expiré', missing: 'Plus disponible' };

/**
 * A request may carry a document of the child or of the whole household that is validated or waiting for a
 * check, and not expired today: a refused or expired one is asked again.
 */
export const usableFor = (doc: Pick<WalletDoc, 'person_id' | 'status' | 'valid_until'>, childId: string, today: string) =>
  (doc.person_id === null || doc.person_id === childId) && (docState(doc, today) === 'validated' || docState(doc, today) === 'pending');

/** The documents offered for a type: usable ones, validated first, then newest first. */
export function offeredDocs<D extends WalletDoc>(docs: D[], childId: string, today: string): D[] {
  const rank = (d: D) => (d.status === 'validated' ? 0 : 1);
  return docs.filter((d) => usableFor(d, childId, today)).sort((a, b) => rank(a) - rank(b) || b.created_at.localeCompare(a.created_at) || b.id.localeCompare(a.id));
}

/** The document chosen for a type among the ids the family picked; null when none of them fits. */
export const chosenDoc = <D extends WalletDoc>(offered: D[], picked: readonly string[]): D | null => offered.find((d) => picked.includes(d.id)) ?? null;

/**
 * The document that stands for a required type of a filed request: the one it carries while usable; once
 * refused, expired or deleted (the family replaced it in its wallet), the wallet's best usable one of that
 * type, so that replacing a refused document is enough; otherwise the one it carries, as it is.
 */
export function standingDoc<D extends WalletDoc>(linked: D | null, wallet: D[], childId: string, today: string): D | null {
  if (linked && usableFor(linked, childId, today)) return linked;
  return offeredDocs(wallet, childId, today)[0] ?? linked;
}

/** An enrolment is accepted only once every document it carries is validated and still valid today. */
export const blocksAcceptance = (doc: Pick<WalletDoc, 'status' | 'valid_until'> | null, today: string) => docState(doc, today) !== 'validated';

/** What the family has to do for one document of an open request, or null when nothing. */
export function familyTodo(state: DocState, label: string): string | null {
  const what = label.charAt(0).toLowerCase() + label.slice(1);
  if (state === 'refused') return `remplacez le document refusé (${what}) dans « Mes documents »`;
  if (state === 'expired') return `envoyez un document à jour (${what}) dans « Mes documents »`;
  if (state === 'missing') return `envoyez de nouveau le document (${what}) dans « Mes documents »`;
  return null;
}

/** « À faire : remplacez le document refusé (attestation d'assurance) dans « Mes documents ». » */
export const familyNextStep = (todos: string[]) => (todos.length === 0 ? null : `À faire : ${todos.join(' ; ')}.`);
