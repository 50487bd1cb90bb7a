import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { RuleError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit, type Actor, type Executor } from '../../platform/audit/audit.repository.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { REQUEST_OUTCOMES } from './requests.outcomes.ts';
import type { RequestStatus } from './requests.domain.ts';
import * as repo from './requests.repository.ts';
import type { RequestRow } from './requests.repository.ts';

/**
 * What a type of request (enrolment, change of situation…) adds to the general model.
 * The type's module provides it; the composition root hands it to the requests service.
 */
export interface RequestTypeHandler {
  /** « Inscription à un service » */
  label: string;
  /** Runs in the transaction of each step, after the request moved: throw a StepRefused with one of `refusals` to cancel the whole decision. */
  onStep?(tx: Executor, request: RequestRow, to: RequestStatus, now: Date, actor: Actor): Promise<void>;
  /** The codes `onStep` may refuse with, and their wording (declared once, in the type's `*.outcomes.ts`). */
  refusals?: Readonly<Record<string, string>>;
  /** Lines shown on the request page (child, service, year…). */
  details?(db: Executor, request: RequestRow, today: string): Promise<{ key: string; value: string }[]>;
  /** What the family has to do on some open requests of this type beyond its status (a refused document to replace), by request id. */
  familyNextSteps?(db: Executor, requestIds: string[], today: string): Promise<Map<string, string>>;
  /** Where a family starts this type of request, and the link's words (« Mes demandes » offers it while the town keeps it on). */
  start?: { href: string; label: string };
  /** A page of the type's own for the agent (e.g. typing the quotient), linked from the request page while it is open. */
  agentLink?: { path: string; label: string };
  /** What the family may do once it is accepted, told in the decision's notice and e-mail (« Vous pouvez maintenant réserver. »). */
  whenAccepted?: string;
  /** The wallet's document type (code) the type waits for: the complement answer's upload proposes it first. */
  documentType?: string;
  /** Runs in the transaction of a complement answer that joins a wallet document (e.g. the QF update takes a new attestation). */
  onComplementDocument?(tx: Executor, request: RequestRow, document: ComplementDocument, now: Date): Promise<void>;
}

/** A wallet document joined to a complement answer, as a type handler sees it. */
export interface ComplementDocument {
  id: string;
  typeCode: string;
  status: string;
  qfValue: number | null;
  qfMonth: string | null;
}

/** A type of request as the town sets it: offered or not, and the help text the family reads. */
export interface RequestTypeSetting {
  code: string;
  label: string;
  active: boolean;
  helpText: string;
}

export const HELP_TEXT_MAX = 1000;

/** Requests (and their types' settings) are processed by the enfance service and admins. */
export function assertCanProcess(auth: Auth | null): asserts auth is Auth {
  assertRole(auth, 'admin', 'enfance');
}

/**
 * The types of request as the town sets them (`/agent/demandes/types`): which the portal knows (the
 * composition root's handlers), which are offered to families, with what help text. Spread into the
 * requests service, which checks `assertOffered` when a request is created or a draft sent.
 */
export function requestTypesService(ctx: AppContext, handlers: Record<string, RequestTypeHandler>) {
  const { db, clock } = ctx;
  const setting = async (executor: Executor, code: string): Promise<RequestTypeSetting> => {
    const row = await repo.typeSetting(executor, code);
    return { code, label: handlers[code]?.label ?? code, active: row ? row.active === 1 : true, helpText: row?.help_text ?? '' };
  };
  const typeOff = () => new RuleError(REQUEST_OUTCOMES.type_off);

  const self = {
    /** The codes of the types the portal knows (the composition root's handlers). */
    typeCodes: Object.keys(handlers) as readonly string[],

    /** The town's setting of one type (no row: offered, no help text). */
    typeSetting: (code: string, executor: Executor = db) => setting(executor, code),

    /** Every type the portal knows, with the town's setting, in the handlers' order. */
    async typeSettings(): Promise<RequestTypeSetting[]> {
      const rows = new Map((await repo.typeSettings(db)).map((r) => [r.code, r]));
      return Object.entries(handlers).map(([code, h]) => ({ code, label: h.label, active: rows.get(code) ? rows.get(code)!.active === 1 : true, helpText: rows.get(code)?.help_text ?? '' }));
    },

    /** The types a family may start now, with their help text and where to start (Mes demandes). */
    async offeredTypes(): Promise<(RequestTypeSetting & { start: { href: string; label: string } })[]> {
      return (await self.typeSettings()).flatMap((t) => (t.active && handlers[t.code]?.start ? [{ ...t, start: handlers[t.code].start! }] : []));
    },

    /** Throws the « not offered » rule when the town switched the type off (a form posted anyway is refused). */
    async assertOffered(code: string, executor: Executor = db) {
      if (!handlers[code] || !(await setting(executor, code)).active) throw typeOff();
    },

    /** The town switches types on or off and writes their help text (admin, enfance); only what changed is written, audited. */
    async saveTypeSettings(auth: Auth | null, wanted: { code: string; active: boolean; helpText: string }[]): Promise<number> {
      assertCanProcess(auth);
      const actor = actorOf(auth);
      const now = clock.now();
      const current = new Map((await self.typeSettings()).map((t) => [t.code, t]));
      let changed = 0;
      await db.transaction().execute(async (tx) => {
        for (const w of wanted) {
          const before = current.get(w.code);
          if (!before || (before.active === w.active && before.helpText === w.helpText)) continue;
          await repo.saveTypeSetting(tx, { code: w.code, active: w.active ? 1 : 0, help_text: w.helpText, updated_by: actor.id }, now);
          const what = [before.active !== w.active ? (w.active ? 'proposée aux familles' : 'retirée du portail') : null, before.helpText !== w.helpText ? 'texte d\'aide modifié' : null].filter(Boolean).join(', ');
          await writeAudit(tx, now, actor, { action: 'request_type.updated', targetType: 'request_type', targetId: w.code, summary: `Démarche « ${before.label} » : ${what}` });
          changed++;
        }
      });
      return changed;
    },
  };
  return self;
}
