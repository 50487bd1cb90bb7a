import type { AppContext } from '../../platform/context.ts';
import type { Actor, Executor } from '../../platform/audit/audit.repository.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import { RuleError } from '../../platform/http/errors.ts';
import { dayLabel, monthLabel, todayIn } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong } from '../../platform/format.ts';
import { StepRefused, type RequestsService, type RequestTypeHandler } from '../requests/requests.service.ts';
import { isFinal } from '../requests/requests.domain.ts';
import { addDocumentHref, documentOfHousehold, documentsForRequest, documentTypeByCode } from '../documents/documents.shared-service.ts';
import { bookingForAbsence, justifiableDays, justifyAbsence } from '../attendance/attendance.service.ts';
import { ABSENCE_DOCUMENT, ABSENCE_TYPE, isUsableForRequest, parseQuotient, QF_SOURCES, QUOTIENT_DOCUMENT, QUOTIENT_TYPE, type QfSource } from './request-kinds.domain.ts';
import { KIND_OUTCOMES, KIND_STEP_REFUSALS, type KindOutcome, type KindStepRefusal } from './request-kinds.outcomes.ts';
import * as repo from './request-kinds.repository.ts';
import { requestDrafts, type DraftForm } from '../requests/requests.shared-service.ts';

/** What the composition root does with an accepted QF (the households' QF history, audited), in the decision's transaction. */
export type OnQuotientAccepted = (tx: Executor, quotient: { householdId: string; amountEuros: number; fromMonth: string; source: QfSource; reason: string; actor: Actor; at: Date }) => Promise<void>;

const refused = (code: KindStepRefusal) => new StepRefused(code, KIND_STEP_REFUSALS[code]);

const documentLine = (d: { document_status: string | null; document_date: string | null } | undefined, label: string) =>
  !d?.document_status || !d.document_date ? `${label} : plus disponible` : `${label} du ${formatDateLong(d.document_date)}${d.document_status === 'validated' ? ' (validé)' : d.document_status === 'pending' ? ' (à vérifier)' : ' (refusé)'}`;

/** « Mise à jour du quotient familial »: on acceptance the QF the agent typed enters the household's history. */
export function quotientRequestHandler(onQuotientAccepted: OnQuotientAccepted): RequestTypeHandler {
  return {
    label: 'Mise à jour du quotient familial',
    start: { href: '/demandes/nouvelle/quotient', label: 'Mettre à jour mon quotient familial' },
    agentLink: { path: 'quotient', label: 'Voir l\'attestation et saisir le quotient' },
    refusals: KIND_STEP_REFUSALS,
    documentType: QUOTIENT_DOCUMENT,

    /**
     * A new attestation sent in a complement answer becomes the one the agent checks; the quotient
     * typed from the previous one goes (the agent reads it again), unless the new one is validated with its QF.
     */
    async onComplementDocument(tx, request, doc) {
      if (doc.typeCode !== QUOTIENT_DOCUMENT) return;
      const validated = doc.status === 'validated' && doc.qfValue !== null && !!doc.qfMonth;
      await repo.replaceQuotientDocument(tx, request.id, { document_id: doc.id, qf_value: validated ? doc.qfValue : null, qf_month: validated ? doc.qfMonth : null, qf_source: null });
    },

    async onStep(tx, request, to, now, actor) {
      if (to !== 'accepted') return;
      const q = await repo.quotientOfRequest(tx, request.id);
      if (!q) throw refused('kind_missing');
      if (q.qf_value === null || !q.qf_month || !q.qf_source) throw refused('qf_missing');
      await onQuotientAccepted(tx, { householdId: request.household_id, amountEuros: q.qf_value, fromMonth: q.qf_month, source: q.qf_source, reason: `Attestation ${QF_SOURCES[q.qf_source]}, demande ${request.reference}`, actor, at: now });
    },

    async details(db, request) {
      const q = await repo.quotientOfRequest(db, request.id);
      if (!q) return [];
      return [
        { key: 'Attestation', value: documentLine(q, 'Attestation CAF ou MSA') },
        ...(q.qf_value !== null && q.qf_month ? [{ key: 'Quotient retenu', value: `${q.qf_value} € à partir de ${monthLabel(q.qf_month)}${q.qf_source ? ` (${QF_SOURCES[q.qf_source]})` : ''}` }] : []),
      ];
    },
  };
}

/** « Absence justifiée »: on acceptance the booked day becomes « absent, justifié » (not billed). */
export const absenceRequestHandler: RequestTypeHandler = {
  label: 'Absence justifiée',
  start: { href: '/demandes/nouvelle/absence', label: 'Justifier une absence avec un certificat médical' },
  refusals: KIND_STEP_REFUSALS,
  documentType: ABSENCE_DOCUMENT,

  /** A certificate sent in a complement answer becomes the request's. */
  async onComplementDocument(tx, request, doc) {
    if (doc.typeCode === ABSENCE_DOCUMENT) await repo.replaceAbsenceDocument(tx, request.id, doc.id);
  },

  async onStep(tx, request, to, now, actor) {
    if (to !== 'accepted') return;
    const a = await repo.absenceOfRequest(tx, request.id);
    if (!a) throw refused('kind_missing');
    const done = await justifyAbsence(tx, a.booking_id, actor, now, todayIn(now));
    if (!done.ok) throw refused(done.code === 'billed' ? 'day_invoiced' : 'not_absent');
  },

  async details(db, request) {
    const a = await repo.absenceOfRequest(db, request.id);
    if (!a) return [];
    return [
      { key: 'Jour d\'absence', value: `${a.first_name}, ${dayLabel(a.day, true)} – ${a.service_name}` },
      { key: 'Certificat médical', value: documentLine(a, 'Certificat médical') },
    ];
  },
};

type FormResult = { ok: true; id: string; draft: boolean } | { ok: false; errors: Record<string, string> };
const errorsOf = (e: Partial<Record<string, KindOutcome>>) => Object.fromEntries(Object.entries(e).map(([k, code]) => [k, KIND_OUTCOMES[code!]]));
type Body = { document?: string; jour?: string; action?: string; brouillon?: string };

/** The family's forms of the two types, and the agent's quotient page. The household comes from the session. */
export function requestKindsService(ctx: AppContext, requests: RequestsService) {
  const { db, clock } = ctx;
  const drafts = requestDrafts(ctx, requests);

  async function documentChoices(actor: FamilyActor, typeCode: string, returnTo: string) {
    const [choices, type] = await Promise.all([documentsForRequest(db, actor.householdId, typeCode, clock.today()), documentTypeByCode(db, typeCode)]);
    return { choices, addHref: type ? addDocumentHref(type.id, returnTo) : null };
  }

  /** The document picked on a form: the household's own, of the expected type, validated and valid or waiting. */
  async function pickedDocument(actor: FamilyActor, id: string | undefined, typeCode: string): Promise<{ ok: true; id: string } | { ok: false; code: KindOutcome }> {
    if (!id) return { ok: false, code: typeCode === QUOTIENT_DOCUMENT ? 'document_missing' : 'certificate_missing' };
    const doc = await documentOfHousehold(db, actor.householdId, id);
    if (!doc || doc.type_code !== typeCode || !isUsableForRequest(doc, clock.today())) return { ok: false, code: 'document_unusable' };
    return { ok: true, id: doc.id };
  }

  /** « Envoyer »'s checks of a QF update (the form's values or a draft's saved ones). */
  async function checkQuotient(actor: FamilyActor, values: Body) {
    const picked = await pickedDocument(actor, values.document, QUOTIENT_DOCUMENT);
    return picked.ok ? { ok: true as const, documentId: picked.id } : { ok: false as const, errors: { document: picked.code } as Partial<Record<string, KindOutcome>> };
  }

  /** « Envoyer »'s checks of an absence: a certificate, and a missed day still justifiable and not asked already. */
  async function checkAbsence(actor: FamilyActor, values: Body, draftId?: string) {
    const errors: Partial<Record<string, KindOutcome>> = {};
    const picked = await pickedDocument(actor, values.document, ABSENCE_DOCUMENT);
    if (!picked.ok) errors.document = picked.code;
    const booking = values.jour ? await bookingForAbsence(db, actor.householdId, values.jour) : undefined;
    const eligible = booking ? (await justifiableDays(db, actor.householdId, clock.today())).some((d) => d.id === booking.id) : false;
    const open = booking ? await repo.openAbsenceForBooking(db, booking.id) : undefined;
    if (!values.jour) errors.jour = 'day_missing';
    else if (!booking || !eligible) errors.jour = 'day_unknown';
    else if (open && open.id !== draftId) errors.jour = 'already_asked';
    if (!booking || !picked.ok || Object.keys(errors).length > 0) return { ok: false as const, errors };
    return { ok: true as const, booking, documentId: picked.id };
  }

  /**
   * What a draft keeps: the choices as made, but only ids of the household's own document of the type and
   * own booking (anything else is dropped: a draft never points to another household's rows).
   */
  async function draftChoices(actor: FamilyActor, typeCode: string, body: Body): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    const doc = body.document ? await documentOfHousehold(db, actor.householdId, body.document) : undefined;
    if (doc && doc.type_code === typeCode) values.document = doc.id;
    const booking = body.jour && typeCode === ABSENCE_DOCUMENT ? await bookingForAbsence(db, actor.householdId, body.jour) : undefined;
    if (booking) values.jour = booking.id;
    return values;
  }

  const draftOf = (action: string | undefined): boolean | null => (action === 'envoyer' ? false : action === 'brouillon' ? true : null);
  const reopened = (actor: FamilyActor, body: Body, type: string) => (body.brouillon ? drafts.own(actor, body.brouillon, type) : Promise.resolve(null));

  /** A form's values: a reopened draft's saved choices, then what the page was given (a document just added). */
  async function formValues(actor: FamilyActor, type: string, query: Body) {
    const saved = query.brouillon ? await drafts.values(actor, query.brouillon, type) : {};
    return { ...saved, ...(query.document ? { document: query.document } : {}), ...(query.jour ? { jour: query.jour } : {}), ...(query.brouillon ? { brouillon: query.brouillon } : {}) };
  }

  const service = {
    /** The QF form, new or a draft reopened (`brouillon`); `verifier`: « Envoyer » from the draft's page found it incomplete. */
    async quotientForm(actor: FamilyActor, query: Body & { verifier?: string } = {}) {
      await requests.assertOffered(QUOTIENT_TYPE);
      const values = await formValues(actor, QUOTIENT_TYPE, query);
      const back = query.brouillon ? `/demandes/nouvelle/quotient?brouillon=${query.brouillon}` : '/demandes/nouvelle/quotient';
      const checked = query.verifier ? await checkQuotient(actor, values) : null;
      return { setting: await requests.typeSetting(QUOTIENT_TYPE), values, errors: checked && !checked.ok ? errorsOf(checked.errors) : undefined, ...(await documentChoices(actor, QUOTIENT_DOCUMENT, back)) };
    },

    /** Files a QF update with the attestation picked, or saves a draft of what is chosen (even nothing); a validated attestation's QF is proposed to the agent. */
    async createQuotient(actor: FamilyActor, body: Body): Promise<FormResult> {
      await requests.assertOffered(QUOTIENT_TYPE);
      const draft = draftOf(body.action);
      const reopen = await reopened(actor, body, QUOTIENT_TYPE);
      if (draft === null) return { ok: false, errors: errorsOf({ action: 'action_missing' }) };
      if (draft) return { ok: true, id: (await drafts.save(actor, QUOTIENT_TYPE, await draftChoices(actor, QUOTIENT_DOCUMENT, body), reopen)).id, draft: true };
      const checked = await checkQuotient(actor, body);
      if (!checked.ok) return { ok: false, errors: errorsOf(checked.errors) };
      const doc = (await documentOfHousehold(db, actor.householdId, checked.documentId))!;
      const validated = doc.status === 'validated' && doc.qf_value !== null && !!doc.qf_month;
      const summary = 'Mise à jour du quotient familial';
      const write = (tx: Executor, requestId: string) => repo.insertQuotientRequest(tx, { request_id: requestId, household_id: actor.householdId, document_id: doc.id, qf_value: validated ? doc.qf_value : null, qf_month: validated ? doc.qf_month : null, qf_source: null });
      if (reopen) {
        await drafts.send(actor, reopen, summary, null, async (tx) => {
          await repo.deleteKindRows(tx, reopen.id);
          await write(tx, reopen.id);
        });
        return { ok: true, id: reopen.id, draft: false };
      }
      const now = clock.now();
      const id = await db.transaction().execute(async (tx) => {
        const created = await requests.create(tx, { type: QUOTIENT_TYPE, householdId: actor.householdId, subjectPersonId: null, summary }, actorOf(actor.auth), now);
        await write(tx, created.id);
        return created.id;
      });
      return { ok: true, id, draft: false };
    },

    async absenceForm(actor: FamilyActor, query: Body & { verifier?: string } = {}) {
      await requests.assertOffered(ABSENCE_TYPE);
      const values = await formValues(actor, ABSENCE_TYPE, query);
      const back = query.brouillon ? `/demandes/nouvelle/absence?brouillon=${query.brouillon}` : '/demandes/nouvelle/absence';
      const checked = query.verifier ? await checkAbsence(actor, values, query.brouillon) : null;
      const [days, asked] = await Promise.all([justifiableDays(db, actor.householdId, clock.today()), repo.bookingsWithAbsenceRequest(db, actor.householdId)]);
      return { setting: await requests.typeSetting(ABSENCE_TYPE), values, errors: checked && !checked.ok ? errorsOf(checked.errors) : undefined, days: days.filter((d) => !asked.has(d.id)), ...(await documentChoices(actor, ABSENCE_DOCUMENT, back)) };
    },

    /** Files a justified absence for one missed booked day with a certificate, or saves a draft (the day only, say). */
    async createAbsence(actor: FamilyActor, body: Body): Promise<FormResult> {
      await requests.assertOffered(ABSENCE_TYPE);
      const draft = draftOf(body.action);
      const reopen = await reopened(actor, body, ABSENCE_TYPE);
      if (draft === null) return { ok: false, errors: errorsOf({ action: 'action_missing' }) };
      if (draft) return { ok: true, id: (await drafts.save(actor, ABSENCE_TYPE, await draftChoices(actor, ABSENCE_DOCUMENT, body), reopen)).id, draft: true };
      const checked = await checkAbsence(actor, body, reopen?.id);
      if (!checked.ok) return { ok: false, errors: errorsOf(checked.errors) };
      const { booking, documentId } = checked;
      const summary = `Absence justifiée de ${booking.first_name} le ${dayLabel(booking.day, true)}`;
      const write = (tx: Executor, requestId: string) => repo.insertAbsenceRequest(tx, { request_id: requestId, household_id: actor.householdId, booking_id: booking.id, child_person_id: booking.child_person_id, day: booking.day, document_id: documentId });
      if (reopen) {
        await drafts.send(
          actor,
          reopen,
          summary,
          null,
          async (tx) => {
            await repo.deleteKindRows(tx, reopen.id);
            await write(tx, reopen.id);
          },
          booking.child_person_id,
        );
        return { ok: true, id: reopen.id, draft: false };
      }
      const now = clock.now();
      const id = await db.transaction().execute(async (tx) => {
        const created = await requests.create(tx, { type: ABSENCE_TYPE, householdId: actor.householdId, subjectPersonId: booking.child_person_id, summary }, actorOf(actor.auth), now);
        await write(tx, created.id);
        return created.id;
      });
      return { ok: true, id, draft: false };
    },

    /** The two forms as drafts seen from « Mes demandes » and the draft's page (wired into the tracking service by src/app.ts). */
    draftForms(): Record<string, DraftForm> {
      const send = (type: string, create: (actor: FamilyActor, body: Body) => Promise<FormResult>) => async (actor: FamilyActor, id: string) => {
        const result = await create(actor, { ...(await drafts.values(actor, id, type)), action: 'envoyer', brouillon: id });
        return result.ok ? { ok: true as const } : result;
      };
      const missing = (result: { ok: boolean; errors?: Partial<Record<string, KindOutcome>> }) => (result.ok ? [] : Object.values(errorsOf(result.errors ?? {})));
      return {
        [QUOTIENT_TYPE]: { path: '/demandes/nouvelle/quotient', missing: async (actor, values) => missing(await checkQuotient(actor, values)), send: send(QUOTIENT_TYPE, (a, b) => service.createQuotient(a, b)) },
        [ABSENCE_TYPE]: { path: '/demandes/nouvelle/absence', missing: async (actor, values) => missing(await checkAbsence(actor, values)), send: send(ABSENCE_TYPE, (a, b) => service.createAbsence(a, b)) },
      };
    },

    /** The agent's quotient page: the request, its attestation and the QF entered so far. */
    async agentQuotient(auth: Auth | null, id: string) {
      const view = await requests.agentRequest(auth, id);
      if (view.request.type !== QUOTIENT_TYPE) throw new RuleError(KIND_OUTCOMES.request_closed);
      const q = await repo.quotientOfRequest(db, id);
      return { request: view.request, quotient: q ?? null, open: !isFinal(view.status) };
    },

    /** The agent types (or corrects) the QF read on the attestation, while the request is open; audited. */
    async saveQuotient(auth: Auth | null, id: string, form: { quotient?: string; mois?: string; organisme?: string }): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
      const request = await requests.requestForAgent(auth, id);
      if (request.type !== QUOTIENT_TYPE || isFinal(request.status)) throw new RuleError(KIND_OUTCOMES.request_closed);
      const parsed = parseQuotient(form, clock.today());
      if (!parsed.ok) return { ok: false, errors: errorsOf(parsed.errors) };
      const now = clock.now();
      await db.transaction().execute(async (tx) => {
        await repo.setQuotient(tx, id, { qf_value: parsed.value, qf_month: parsed.month, qf_source: parsed.source });
        await writeAudit(tx, now, actorOf(auth!), { action: 'request.quotient_entered', targetType: 'household', targetId: request.household_id, summary: `Demande ${request.reference} : quotient ${parsed.value} € à partir de ${monthLabel(parsed.month)} (${QF_SOURCES[parsed.source]}) saisi` });
      });
      return { ok: true };
    },
  };
  return service;
}

export type RequestKindsService = ReturnType<typeof requestKindsService>;
