import type { Executor } from '../../platform/audit/audit.repository.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { formatDateLong } from '../../platform/format.ts';
import { requiredDocuments, type RequiredDocument } from '../catalogue/catalogue.shared-service.ts';
import { documentOfHousehold, documentsForRequest } from '../documents/documents.shared-service.ts';
import { blocksAcceptance, chosenDoc, docState, familyNextStep, familyTodo, offeredDocs, STATE_LABELS, standingDoc, type WalletDoc } from './enrolments.documents.domain.ts';
import * as repo from './enrolments.documents.repository.ts';

/** A wallet document offered for a required type. */
export type OfferedDoc = WalletDoc & { document_date: string };

/** One required type of the chosen service: the wallet's documents offered, and the one the family picked. */
export interface RequiredSlot {
  type: RequiredDocument;
  offered: OfferedDoc[];
  chosen: OfferedDoc | null;
}

/** A picked id that is not a document of the household answers 404: nothing is written for another household's document. */
export async function assertOwnDocuments(db: Executor, householdId: string, picked: readonly string[]): Promise<void> {
  const owned = await Promise.all(picked.map((id) => documentOfHousehold(db, householdId, id)));
  if (owned.some((d) => !d)) throw new NotFoundError();
}

/**
 * The required types of a service for a child, each with the wallet's usable documents (the child's or the
 * household's, validated or waiting, not expired) and the one picked among `picked` (at most 20 ids, bounded by the route).
 */
export async function requiredSlots(db: Executor, householdId: string, childId: string, serviceId: string, picked: readonly string[], today: string): Promise<RequiredSlot[]> {
  const required = await requiredDocuments(db, serviceId);
  const perType = await Promise.all(required.map((t) => documentsForRequest(db, householdId, t.code, today)));
  return required.map((type, i) => {
    const offered = offeredDocs(perType[i] as OfferedDoc[], childId, today);
    return { type, offered, chosen: chosenDoc(offered, picked) };
  });
}

/** What an enrolment request carries, type by type: the document that stands for it today and its state. */
export async function carriedDocuments(db: Executor, requestIds: string[], today: string) {
  const links = await repo.linksOfRequests(db, requestIds);
  const wallets = new Map<string, Promise<OfferedDoc[]>>();
  const walletOf = (householdId: string, code: string) => {
    const key = `${householdId}|${code}`;
    if (!wallets.has(key)) wallets.set(key, documentsForRequest(db, householdId, code, today));
    return wallets.get(key)!;
  };
  return Promise.all(
    links.map(async (l) => {
      const linked: (OfferedDoc & { refusal_reason: string | null }) | null = l.id && l.status && l.created_at && l.document_date ? { id: l.id, person_id: l.person_id, status: l.status, valid_until: l.valid_until, created_at: l.created_at, document_date: l.document_date, refusal_reason: l.refusal_reason } : null;
      // The wallet is read only when the carried document no longer does (refused, expired, deleted).
      const usable = linked && docState(linked, today) !== 'refused' && docState(linked, today) !== 'expired';
      const standing = usable ? linked : standingDoc(linked, await walletOf(l.household_id, l.type_code), l.child_person_id, today);
      const state = docState(standing, today);
      return { requestId: l.request_id, typeId: l.type_id, typeLabel: l.type_label, doc: standing, state, refusal: standing && standing.id === linked?.id ? linked.refusal_reason : null, replaced: !!standing && standing.id !== linked?.id };
    }),
  );
}

export type Carried = Awaited<ReturnType<typeof carriedDocuments>>[number];

/** « Attestation d'assurance du lundi 1 septembre 2026 : validé » (request page, both sides). */
export const carriedLine = (c: Carried) => ({
  key: c.typeLabel,
  value: c.doc ? `Document du ${formatDateLong(c.doc.document_date)} : ${STATE_LABELS[c.state].toLowerCase()}${c.state === 'refused' && c.refusal ? ` (${c.refusal})` : ''}` : 'Aucun document : plus disponible',
});

/** The carried documents that stop the acceptance (not validated, or expired). */
export const blocking = (carried: Carried[], today: string) => carried.filter((c) => blocksAcceptance(c.doc, today));

/** Per open enrolment request of the list, what the family has to do for its documents (none: absent). */
export async function documentNextSteps(db: Executor, requestIds: string[], today: string): Promise<Map<string, string>> {
  const carried = await carriedDocuments(db, requestIds, today);
  const out = new Map<string, string>();
  for (const id of requestIds) {
    const step = familyNextStep(carried.filter((c) => c.requestId === id).flatMap((c) => familyTodo(c.state, c.typeLabel) ?? []));
    if (step) out.set(id, step);
  }
  return out;
}
