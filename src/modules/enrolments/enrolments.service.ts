import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import type { Executor } from '../../platform/audit/audit.repository.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import { ENROLMENT_STEP_REFUSALS, type EnrolmentStepRefusal, type SubmitRefusal } from './enrolments.outcomes.ts';
import type { EnrolmentStatus } from '../../platform/db/schema-services.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { membersOf } from '../households/households.shared-service.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { assertCanProcess, StepRefused, type RequestsService, type RequestTypeHandler } from '../requests/requests.service.ts';
import type { Decision, RequestStatus } from '../requests/requests.domain.ts';
import { enrolmentSummary, fitsService, groupFor, missingKinds, openYears, standingFor } from './enrolments.domain.ts';
import * as repo from './enrolments.repository.ts';
import { todayIn } from '../../platform/calendar/calendar.domain.ts';
import type { DocumentsService } from '../documents/documents.service.ts';
import type { IncomingUpload } from '../../platform/files/multipart-stream.ts';
import { assertOwnDocuments, blocking, carriedDocuments, carriedLine, documentNextSteps, requiredSlots } from './enrolments.documents-service.ts';
import * as links from './enrolments.documents.repository.ts';

export const ENROLMENT = 'enrolment';

/** The answers of the family's flow, carried from page to page in the query string and hidden fields. */
export interface Answers {
  enfant?: string;
  service?: string;
  annee?: string;
  /** Ids of wallet documents picked for the service's required types (issue 12). */
  pieces?: string[];
}

const isUniqueViolation = (err: unknown) => {
  const e = err as { code?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
};

/**
 * What enrolments add to the general request model: each step of the request updates the enrolment in the
 * same transaction; on acceptance the child gets the group of the facility that matches their class.
 */
const stepRefused = (code: EnrolmentStepRefusal) => new StepRefused(code, ENROLMENT_STEP_REFUSALS[code]);

export const enrolmentRequestHandler: RequestTypeHandler = {
  label: 'Inscription à un service',
  start: { href: '/inscriptions/nouvelle', label: 'Inscrire un enfant à un service' },
  whenAccepted: 'Vous pouvez maintenant réserver.',
  refusals: ENROLMENT_STEP_REFUSALS,

  async onStep(tx: Executor, request, to: RequestStatus, now) {
    const enrolment = await repo.enrolmentOfRequest(tx, request.id);
    if (!enrolment) throw stepRefused('enrolment_missing');
    // Enrolments are filed, never drafted; while a complement is awaited the enrolment stays « en instruction ».
    if (to === 'draft' || to === 'complement_requested') return repo.setEnrolmentStatus(tx, request.id, 'in_review');
    if (to !== 'accepted') return repo.setEnrolmentStatus(tx, request.id, to);
    // Every document the request carries must be validated and valid (issue 12): the agent checks them first.
    const today = todayIn(now);
    const carried = await carriedDocuments(tx, [request.id], today);
    if (blocking(carried, today).length > 0) throw stepRefused('documents_not_validated');
    for (const c of carried) if (c.replaced && c.doc) await links.setLinkDocument(tx, request.id, c.typeId, c.doc.id);
    const group = groupFor(await repo.groupsOfFacility(tx, enrolment.facility_id), enrolment.class_level);
    if (!group) throw stepRefused('no_group');
    await repo.setEnrolmentStatus(tx, request.id, 'accepted', group.id);
  },

  async details(db: Executor, request, today) {
    const e = await repo.enrolmentOfRequest(db, request.id);
    if (!e) return [];
    return [
      { key: 'Enfant', value: `${e.first_name} ${e.last_name}${e.class_level ? ` (${e.class_level})` : ''}` },
      { key: 'Service', value: `${e.service_name} – ${e.facility_name}` },
      { key: 'Année scolaire', value: e.year_label },
      ...(e.group_name ? [{ key: 'Groupe', value: e.group_name }] : []),
      ...(await carriedDocuments(db, [request.id], today)).map(carriedLine),
    ];
  },

  agentLink: { path: 'documents', label: 'Voir et vérifier les pièces justificatives' },

  familyNextSteps: (db, requestIds, today) => documentNextSteps(db, requestIds, today),
};

/** Enrolments (pré-inscriptions): the family's short flow, and the agents' queue with bulk decisions. */
export function enrolmentsService(ctx: AppContext, requests: RequestsService, documents?: Pick<DocumentsService, 'add' | 'maxBytes'>) {
  const { db, clock } = ctx;
  const today = () => clock.today();

  /**
   * Resolves the answers given so far against the household and the catalogue. A child id of another
   * household is a 404; a year or a service that does not fit (any more) is simply not chosen. Each
   * service offered carries where the child stands for it that year (`standing`): only those with none
   * can be chosen; one already asked for is `taken`, so that the last step can refuse it with its code.
   */
  async function flow(actor: FamilyActor, answers: Answers) {
    const day = today();
    // A document id that is not the household's is a 404 whatever the other answers (nothing is written).
    await assertOwnDocuments(db, actor.householdId, answers.pieces ?? []);
    const [members, allServices, years] = await Promise.all([membersOf(db, actor.householdId), repo.activeServices(db), repo.yearsEndingFrom(db, day)]);
    const children = members.filter((m) => m.role === 'child');
    let child: (typeof children)[number] | null = null;
    if (answers.enfant) {
      child = children.find((c) => c.id === answers.enfant) ?? null;
      if (!child) throw new NotFoundError();
    }
    const open = openYears(years, day);
    const year = (answers.annee && open.find((y) => y.id === answers.annee)) || null;
    const existing = child && year ? await repo.enrolmentsOfChildren(db, [child.id], [year.id]) : [];
    const services = child && year ? allServices.filter((s) => fitsService(child, s, day)).map((s) => ({ ...s, standing: standingFor(existing, s.id, year.id) })) : [];
    const chosen = (answers.service && services.find((s) => s.id === answers.service)) || null;
    const service = chosen && !chosen.standing ? chosen : null;
    const taken = chosen && chosen.standing ? chosen : null;
    // The documents the service requires, each with the wallet's usable ones and the one picked (issue 12).
    const slots = child && service ? await requiredSlots(db, actor.householdId, child.id, service.id, answers.pieces ?? [], day) : [];
    return { children, child, services, service, taken, years: open, year, slots };
  }

  return {
    flow,

    /** Files the request (« déposée ») and its enrolment together; the unique constraint refuses a duplicate. */
    async submit(actor: FamilyActor, answers: Answers): Promise<Result<{ requestId: string; reference: string }, SubmitRefusal>> {
      const f = await flow(actor, answers);
      if (!f.child) return fail('no_child');
      if (!f.year) return fail('no_year');
      // Asked for already (offered as such, but sent anyway): the code, before the unique constraint would say it.
      if (f.taken) return fail('duplicate');
      if (!f.service) return fail('no_service');
      if (f.slots.some((slot) => !slot.chosen)) return fail('documents_missing');
      const { child, service, year } = f;
      const now = clock.now();
      try {
        return await db.transaction().execute(async (tx) => {
          const created = await requests.create(
            tx,
            { type: ENROLMENT, householdId: actor.householdId, subjectPersonId: child.id, summary: enrolmentSummary(child.first_name, service.name, service.facility_name, year.label) },
            actorOf(actor.auth),
            now,
          );
          await repo.insertEnrolment(tx, { requestId: created.id, childId: child.id, serviceId: service.id, schoolYearId: year.id }, now);
          await links.insertLinks(tx, f.slots.map((slot) => ({ request_id: created.id, document_type_id: slot.type.type_id, household_id: actor.householdId, document_id: slot.chosen!.id })));
          return ok({ requestId: created.id, reference: created.reference });
        });
      } catch (err) {
        if (isUniqueViolation(err)) return fail('duplicate');
        throw err;
      }
    },

    /**
     * A document sent from the pieces step for one required type: it goes into the wallet through the
     * documents service (same checks, encryption, metadata stripping), for the child or the household as the
     * service asks. The type must be one the chosen service requires; otherwise the file is not read.
     */
    async uploadPiece(actor: FamilyActor, answers: Answers, fields: { type?: string; date?: string }, upload: IncomingUpload | undefined): Promise<{ ok: true; id: string } | { ok: false; errors: Record<string, string> }> {
      const f = await flow(actor, answers);
      const slot = f.child && f.service ? f.slots.find((s) => s.type.type_id === fields.type) : undefined;
      if (!documents || !f.child || !slot) {
        await upload?.drain((documents?.maxBytes ?? 0) + 1024 * 1024);
        throw new NotFoundError();
      }
      return documents.add(actor, { type: slot.type.type_id, personne: slot.type.subject === 'child' ? f.child.id : 'foyer', date: fields.date }, upload);
    },

    /** The confirmation page: only the household's own request. */
    async confirmation(actor: FamilyActor, requestId: string) {
      const view = await requests.familyRequest(actor, requestId);
      if (view.request.type !== ENROLMENT) throw new NotFoundError();
      return view.request;
    },

    async queue(auth: Auth | null, filter: { statuses: EnrolmentStatus[]; serviceId: string | null; page: number }) {
      assertCanProcess(auth);
      const pageSize = 50;
      const [result, services] = await Promise.all([repo.enrolmentQueue(db, { ...filter, pageSize }), repo.activeServices(db)]);
      return { ...result, pageSize, services };
    },

    /** The wording of a decision's refusal code (the request model's or an enrolment step's). */
    refusalText: (code: string) => requests.refusalText(code),

    /** The agent's page of an enrolment's documents (the request read is audited by the request model). */
    async agentDocuments(auth: Auth | null, requestId: string) {
      const view = await requests.agentRequest(auth, requestId);
      if (view.request.type !== ENROLMENT) throw new NotFoundError();
      return { request: view.request, carried: await carriedDocuments(db, [requestId], today()) };
    },

    /** Bulk decision on enrolment requests (one reason for all); each request in its own transaction. */
    async decide(auth: Auth | null, requestIds: string[], to: Decision, note: string | null) {
      assertCanProcess(auth);
      return requests.decide(auth, requestIds, to, note, { type: ENROLMENT });
    },
  };
}

export type EnrolmentsService = ReturnType<typeof enrolmentsService>;

/**
 * For the family's calendar: per child of the household, the kinds of service offered to them this school
 * year that they neither have nor asked for (`missingKinds`), with the service to prefill when only one
 * offers it. Three queries whatever the household's size; the members come from the page's own read.
 */
export async function missingEnrolments(db: Executor, members: Awaited<ReturnType<typeof membersOf>>, today: string) {
  const [services, years] = await Promise.all([repo.activeServices(db), repo.yearsEndingFrom(db, today)]);
  const year = openYears(years, today)[0];
  const children = members.filter((m) => m.role === 'child');
  if (!year || children.length === 0) return [];
  const existing = await repo.enrolmentsOfChildren(db, children.map((c) => c.id), [year.id]);
  return children.flatMap((c) =>
    missingKinds(c, services, existing.filter((e) => e.child_person_id === c.id), year.id, today).map((m) => ({
      child: { id: c.id, first_name: c.first_name, sex: c.sex },
      kind: m.kind,
      yearId: year.id,
      serviceId: m.services.length === 1 ? m.services[0].id : null,
    })),
  );
}

export type MissingEnrolment = Awaited<ReturnType<typeof missingEnrolments>>[number];
