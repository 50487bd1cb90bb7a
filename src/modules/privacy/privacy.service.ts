import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { actorOf, type FamilyActor } from '../../platform/http/actor.ts';
import { anonymisePersonalData, exportPersonalData, type ExportedSection, type ExportRow, type PersonalDataDeclaration } from '../../platform/privacy/personal-data.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import * as repo from './privacy.repository.ts';
import { canAnonymise, personsToAnonymise, retentionEnd, RETENTION_YEARS } from './privacy.domain.ts';
import type { AnonymiseRefusal } from './privacy.outcomes.ts';

export interface HouseholdExport {
  generated_at: string;
  reference: string;
  sections: ExportedSection[];
}

/** The JSON file: one key per section, a single-row section as an object (the household, the account). */
export function exportJson(data: HouseholdExport): Record<string, unknown> {
  const out: Record<string, ExportRow | ExportRow[] | string | null> = { generated_at: data.generated_at };
  for (const s of data.sections) out[s.key] = s.single ? (s.rows[0] ?? null) : s.rows;
  return out;
}

/**
 * RGPD use cases: a family downloads what the portal holds about it (right of access, art. 15,
 * and portability, art. 20); an admin anonymises a household at the end of its retention period.
 * Both iterate over the modules' personal-data declarations (src/personal-data.ts).
 */
export function privacyService(ctx: AppContext, declarations: readonly PersonalDataDeclaration[]) {
  const { db, clock } = ctx;

  return {
    /**
     * Everything held about the actor's household. The household comes from the session (FamilyActor),
     * never from the request. Written as an audit row: the export contains health data.
     */
    async exportHousehold(actor: FamilyActor): Promise<HouseholdExport> {
      const householdId = actor.householdId;
      const userId = actor.auth.user.kind === 'guardian' ? actor.auth.user.id : null;
      const [household, personIds] = await Promise.all([repo.householdReference(db, householdId), repo.memberIds(db, householdId)]);
      if (!household) throw new NotFoundError();
      const now = clock.now();
      // Written before reading, so the export lists its own consultation too.
      await writeAudit(db, now, actorOf(actor.auth), { action: 'privacy.export', targetType: 'household', targetId: householdId, summary: 'Données du foyer consultées ou téléchargées (droit d\'accès)' });
      const sections = await exportPersonalData(db, declarations, { householdId, personIds, userId });
      return { generated_at: now.toISOString(), reference: household.reference, sections };
    },

    /** What the admin sees before anonymising: the rule, whether it applies now, who will be kept. */
    async anonymisationPreview(auth: Auth | null, householdId: string) {
      assertRole(auth, 'admin');
      const h = await repo.householdForAnonymisation(db, householdId);
      if (!h) throw new NotFoundError();
      const members = await repo.membersOfHousehold(db, householdId);
      const shared = await repo.personsSharedWithLiveHousehold(db, members.map((m) => m.id), householdId);
      const split = personsToAnonymise(members.map((m) => m.id), shared);
      return {
        household: h,
        decision: canAnonymise(h, clock.now()),
        retentionYears: RETENTION_YEARS,
        retentionEnd: h.archived_at ? retentionEnd(h.archived_at).toISOString() : null,
        toAnonymise: split.anonymise.length,
        kept: split.keep.length,
      };
    },

    /** Anonymises the household in one transaction, every module's declaration in turn; refused unless the retention rule allows it. */
    async anonymise(auth: Auth | null, householdId: string): Promise<Result<{ reference: string; anonymised: number; kept: number }, AnonymiseRefusal>> {
      assertRole(auth, 'admin');
      const h = await repo.householdForAnonymisation(db, householdId);
      if (!h) throw new NotFoundError();
      const now = clock.now();
      const decision = canAnonymise(h, now);
      if (!decision.ok) return fail(decision.code);
      const archivedAt = h.archived_at!;
      return db.transaction().execute(async (tx) => {
        if (!(await repo.markAnonymised(tx, householdId, archivedAt, now))) return fail('changed_meanwhile' as const);
        const members = await repo.membersOfHousehold(tx, householdId);
        const shared = await repo.personsSharedWithLiveHousehold(tx, members.map((m) => m.id), householdId);
        const { anonymise, keep } = personsToAnonymise(members.map((m) => m.id), shared);
        const gone = members.filter((m) => anonymise.includes(m.id));
        const userIds = gone.map((m) => m.user_id).filter((u): u is string => !!u);
        // Collected before anything is blanked: the mails to these addresses go too.
        const emails = [...new Set([...gone.map((m) => m.email).filter((e): e is string => !!e), ...(await repo.emailsOfUsers(tx, userIds))])];
        await anonymisePersonalData(tx, declarations, { householdId, personIds: anonymise, keptPersonIds: keep, userIds, emails }, now);
        await writeAudit(tx, now, { ...actorOf(auth), onBehalfOfHouseholdId: null }, {
          action: 'household.anonymised',
          targetType: 'household',
          targetId: householdId,
          summary: `Foyer ${h.reference} anonymisé après ${RETENTION_YEARS} ans d'archivage : ${anonymise.length} ${anonymise.length > 1 ? 'personnes anonymisées' : 'personne anonymisée'}, ${keep.length} ${keep.length > 1 ? 'conservées car rattachées' : 'conservée car rattachée'} à un autre foyer`,
        });
        return ok({ reference: h.reference, anonymised: anonymise.length, kept: keep.length });
      });
    },
  };
}

export type PrivacyService = ReturnType<typeof privacyService>;
