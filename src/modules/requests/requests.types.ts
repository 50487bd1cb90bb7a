import type { Executor } from '../../platform/audit/audit.repository.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { addMember, insertPerson, refreshHouseholdIndex, updateHousehold } from '../households/households.shared-service.ts';
import { StepRefused, type RequestTypeHandler } from './requests.service.ts';
import { OTHER, SITUATION, SITUATION_KIND_LABELS } from './requests.tracking.domain.ts';
import { otherSchema, situationSchema, type SituationAnswers } from './requests.tracking.forms.ts';
import { SITUATION_STEP_REFUSALS, type SituationStepRefusal } from './requests.tracking.outcomes.ts';
import * as tracking from './requests.tracking.repository.ts';

const refused = (code: SituationStepRefusal) => new StepRefused(code, SITUATION_STEP_REFUSALS[code]);

/** The answers stored with the request, checked again by the form's schema (a row altered by hand is refused). */
async function situationOf(db: Executor, requestId: string): Promise<(SituationAnswers & { leaving_name?: string }) | null> {
  const raw = await tracking.answersOf(db, requestId);
  const parsed = situationSchema.safeParse(raw);
  if (!parsed.success) return null;
  const leaving = (raw as { leaving_name?: unknown }).leaving_name;
  return { ...parsed.data, ...(typeof leaving === 'string' ? { leaving_name: leaving } : {}) };
}

/**
 * « Changement de situation »: on acceptance, the household is updated through the households module's
 * shared steps, in the decision's transaction, with its own audit row: a new address is applied; a
 * guardian who joins is added to the household (without a login: the agent invites them from the
 * household page). A guardian who leaves and a change of custody are done by the agent on the
 * household page (the portal has no removal of a guardian yet); the request says so.
 */
export const situationRequestHandler: RequestTypeHandler = {
  label: 'Changement de situation',
  start: { href: '/demandes/nouvelle/situation', label: 'Signaler un changement de situation' },
  refusals: SITUATION_STEP_REFUSALS,

  async onStep(tx, request, to, now, actor) {
    if (to !== 'accepted') return;
    const answers = await situationOf(tx, request.id);
    if (!answers) throw refused('answers_missing');
    if (!(await tracking.householdOpen(tx, request.household_id))) throw refused('household_closed');
    const audit = (action: string, summary: string) => writeAudit(tx, now, actor, { action, targetType: 'household', targetId: request.household_id, summary: `${summary} (demande ${request.reference})` });
    if (answers.kind === 'address') {
      await updateHousehold(tx, request.household_id, now, { address_line1: answers.address_line1, address_line2: answers.address_line2 ?? null, postcode: answers.postcode, city: answers.city });
      await refreshHouseholdIndex(tx, request.household_id, now);
      await audit('household.address_updated', `Adresse modifiée : ${answers.postcode} ${answers.city}`);
    } else if (answers.kind === 'guardian_joins') {
      const personId = await insertPerson(tx, { kind: 'adult', first_name: answers.first_name, last_name: answers.last_name, email: answers.email ?? null }, now);
      await addMember(tx, request.household_id, personId, 'guardian', now, answers.relationship ?? null);
      await refreshHouseholdIndex(tx, request.household_id, now);
      await audit('household.guardian_added', `Responsable ajouté : ${answers.first_name} ${answers.last_name}`);
    }
  },

  async details(db, request) {
    const a = await situationOf(db, request.id);
    if (!a) return [];
    const lines = [{ key: 'Ce qui change', value: SITUATION_KIND_LABELS[a.kind] }];
    if (a.kind === 'address') lines.push({ key: 'Nouvelle adresse', value: [a.address_line1, a.address_line2, `${a.postcode} ${a.city}`].filter(Boolean).join(', ') });
    if (a.kind === 'guardian_joins') {
      lines.push({ key: 'Nouveau responsable', value: `${a.first_name} ${a.last_name}${a.relationship ? ` (${a.relationship})` : ''}` });
      if (a.email) lines.push({ key: 'Son adresse électronique', value: a.email });
    }
    if (a.kind === 'guardian_leaves') lines.push({ key: 'Quitte le foyer', value: a.leaving_name ?? 'un responsable' });
    if (a.details) lines.push({ key: 'Précisions', value: a.details });
    const after =
      a.kind === 'address'
        ? 'L\'adresse du foyer est mise à jour dès que la demande est acceptée.'
        : a.kind === 'guardian_joins'
          ? 'Le responsable est ajouté au foyer dès que la demande est acceptée ; le service lui envoie ensuite son accès au portail.'
          : a.kind === 'guardian_leaves'
            ? 'Le service retire le responsable du foyer lui-même, sur la fiche du foyer, après avoir accepté la demande.'
            : 'Le service lit le jugement joint et met à jour la fiche du foyer lui-même après avoir accepté la demande.';
    lines.push({ key: 'À l\'acceptation', value: after });
    return lines;
  },
};

/** « Autre demande »: free text (and files), nothing changes on acceptance but the status; the answer is in the thread. */
export const otherRequestHandler: RequestTypeHandler = {
  label: 'Autre demande',
  start: { href: '/demandes/nouvelle/autre', label: 'Autre demande' },

  async details(db, request) {
    const parsed = otherSchema.safeParse(await tracking.answersOf(db, request.id));
    if (!parsed.success) return [];
    return [
      { key: 'Objet', value: parsed.data.subject },
      { key: 'Demande', value: parsed.data.text },
    ];
  },
};

/** The types this file adds, keyed by their code (handed to the request model by the composition root). */
export const trackingRequestHandlers: Record<string, RequestTypeHandler> = { [SITUATION]: situationRequestHandler, [OTHER]: otherRequestHandler };
