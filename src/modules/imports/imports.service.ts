import type { AppContext } from '../../platform/context.ts';
import { plural } from '../../platform/format.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { auditRead, writeAudit } from '../../platform/audit/audit.repository.ts';
import { DAY } from '../../platform/clock/clock.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { identityService } from '../identity/identity.service.ts';
import { activationLetters, type LetterRecipient } from '../identity/identity.shared-service.ts';
import { householdsAgentService } from '../households/households.agent-service.ts';
import { householdName } from '../households/households.domain.ts';
import * as repo from './imports.repository.ts';
import { planImport, referencesIn, type ImportPlan } from './imports.domain.ts';
import { decodeCsv } from './imports.csv.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import type { ImportOutcome } from './imports.outcomes.ts';
import { campaignCounts, needsReminder, recipientState } from './campaigns.domain.ts';

export type ImportSummary = ImportPlan['counts'] & { personsCreated?: number; householdsCreated?: number };

/** Import of families from a CSV file, and activation campaigns. Roles admin and enfance. */
export function importsService(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const households = householdsAgentService(ctx);
  const identity = identityService(ctx);
  const today = () => clock.today();

  async function plan(text: string) {
    const [lists, existing] = await Promise.all([households.schoolLists(), repo.existingHouseholds(db, referencesIn(text))]);
    return planImport(text, { today: today(), ...lists, existing });
  }

  async function loadImport(auth: Auth | null, id: string) {
    assertRole(auth, 'admin', 'enfance');
    const row = await repo.findImport(db, id);
    if (!row) throw new NotFoundError();
    return row;
  }

  return {
    assertCanImport(auth: Auth | null) {
      assertRole(auth, 'admin', 'enfance');
    },

    async recentImports(auth: Auth | null) {
      assertRole(auth, 'admin', 'enfance');
      return (await repo.recentImports(db)).map((r) => ({ ...r, summary: JSON.parse(r.summary) as Partial<ImportSummary> }));
    },

    /** Stores the uploaded file for the confirmation step and returns its id; a file that cannot be read is refused at once. */
    async upload(auth: Auth | null, file: { filename: string; bytes: Uint8Array }) {
      assertRole(auth, 'admin', 'enfance');
      const { text, encoding } = decodeCsv(file.bytes);
      const result = await plan(text);
      if (!result.ok) return { ok: false as const, code: 'unreadable' as const, detail: result.error };
      const now = clock.now();
      await repo.purgeOldDryRuns(db, new Date(now.getTime() - DAY));
      const id = await repo.insertImport(db, { created_by: auth.user.id, filename: file.filename.slice(0, 200) || 'import.csv', encoding, content: text, summary: JSON.stringify(result.plan.counts) }, now);
      return ok(id);
    },

    /** The dry run, computed against the database as it is now. */
    async dryRun(auth: Auth | null, id: string) {
      const row = await loadImport(auth, id);
      const summary = JSON.parse(row.summary) as ImportSummary;
      if (row.status === 'imported') return { row, summary, plan: null, error: null };
      const result = await plan(row.content);
      return { row, summary, plan: result.ok ? result.plan : null, error: result.ok ? null : result.error };
    },

    /**
     * The real import, all or nothing: re-validated now, refused if any line is rejected,
     * every household and person created in one transaction with the audit rows.
     */
    async confirm(auth: Auth | null, id: string): Promise<Result<{ householdsCreated: number; personsCreated: number; present: number }, ImportOutcome>> {
      const row = await loadImport(auth, id);
      if (row.status === 'imported') return fail('already_imported');
      const result = await plan(row.content);
      if (!result.ok) return fail('unreadable');
      const p = result.plan;
      if (p.counts.rejected > 0) return fail('has_rejected_lines');
      const now = clock.now();
      const actor = actorOf(auth!);
      return db.transaction().execute(async (tx) => {
        let householdsCreated = 0;
        let personsCreated = 0;
        const summary: ImportSummary = { ...p.counts };
        for (const h of p.households) {
          const toCreate = h.lines.filter((l) => l.outcome === 'create');
          if (toCreate.length === 0) continue;
          let householdId = h.existingId;
          if (!householdId) {
            const guardianNames = h.lines.filter((l) => l.type === 'responsable').map((l) => l.lastName);
            householdId = await households.insertHouseholdTx(tx, { ...h.address, external_ref: h.ref, name: householdName(guardianNames, h.ref) }, now);
            householdsCreated++;
          }
          let firstGuardian: string | null = null;
          for (const l of toCreate) {
            if (l.type === 'responsable') {
              const pid = await households.addGuardianTx(tx, householdId, { first_name: l.firstName, last_name: l.lastName, email: l.email, phone: l.phone, relationship: null }, now);
              firstGuardian ??= pid;
            } else {
              await households.addChildTx(tx, householdId, { first_name: l.firstName, last_name: l.lastName, birth_date: l.birthDate!, sex: l.sex, school: l.school, class_level: l.classLevel }, now);
            }
            personsCreated++;
          }
          if (!h.existingId && firstGuardian) await households.setPayerTx(tx, householdId, firstGuardian, now);
          await households.refreshIndexTx(tx, householdId, now);
          await writeAudit(tx, now, { ...actor, onBehalfOfHouseholdId: null }, {
            action: h.existingId ? 'household.import_completed' : 'household.imported',
            targetType: 'household',
            targetId: householdId,
            summary: `${h.existingId ? 'Complété' : 'Créé'} par import du fichier ${row.filename} (référence ${h.ref}) : ${plural(toCreate.length, 'personne ajoutée', 'personnes ajoutées')}`,
          });
        }
        summary.householdsCreated = householdsCreated;
        summary.personsCreated = personsCreated;
        // Claimed last but in the same transaction: a concurrent confirmation rolls back entirely.
        if (!(await repo.claimImport(tx, id, JSON.stringify(summary), now))) throw new ImportRace();
        await writeAudit(tx, now, actor, { action: 'import.completed', targetType: 'import', targetId: id, summary: `Import du fichier ${row.filename} : ${plural(householdsCreated, 'foyer', 'foyers')} et ${plural(personsCreated, 'personne', 'personnes')} créés, ${plural(p.counts.present, 'ligne déjà présente', 'lignes déjà présentes')}` });
        return ok({ householdsCreated, personsCreated, present: p.counts.present });
      }).catch((err) => {
        if (err instanceof ImportRace) return fail('already_imported');
        throw err;
      });
    },

    // Activation campaigns

    async listCampaigns(auth: Auth | null) {
      assertRole(auth, 'admin', 'enfance');
      const [campaigns, waiting] = await Promise.all([repo.listCampaigns(db), repo.guardiansWithoutLogin(db)]);
      return { campaigns: campaigns.map((c) => ({ ...c, recipients: Number(c.recipients) })), waiting: waiting.length, waitingWithEmail: waiting.filter((w) => w.email).length };
    },

    /** Invites every guardian of an active household who has no login yet: e-mail through the outbox, or a letter to print. */
    async launch(auth: Auth | null): Promise<Result<{ campaignId: string; emails: number; letters: number; failures: string[] }, ImportOutcome>> {
      assertRole(auth, 'admin', 'enfance');
      const targets = await repo.guardiansWithoutLogin(db);
      if (targets.length === 0) return fail('nobody_to_invite');
      const now = clock.now();
      const campaignId = await repo.insertCampaign(db, auth.user.id, now);
      const failures: string[] = [];
      let emails = 0;
      let letters = 0;
      for (const t of targets) {
        const invited = await households.inviteGuardian(auth, t.household_id, t.person_id);
        if (!invited.ok) {
          failures.push(invited.error);
          continue;
        }
        await repo.insertRecipient(db, { campaign_id: campaignId, user_id: invited.userId, person_id: t.person_id, household_id: t.household_id, channel: invited.channel }, now);
        if (invited.channel === 'email') emails++;
        else letters++;
      }
      await writeAudit(db, now, actorOf(auth), { action: 'campaign.launched', targetType: 'campaign', targetId: campaignId, summary: `Campagne d'activation : ${plural(emails, 'courriel', 'courriels')}, ${plural(letters, 'lettre', 'lettres')} à imprimer${failures.length ? `, ${plural(failures.length, 'échec', 'échecs')}` : ''}` });
      return ok({ campaignId, emails, letters, failures });
    },

    async campaign(auth: Auth | null, id: string) {
      assertRole(auth, 'admin', 'enfance');
      const campaign = await repo.findCampaign(db, id);
      if (!campaign) throw new NotFoundError();
      const now = clock.now();
      const recipients = (await repo.recipientsOf(db, id)).map((r) => ({ ...r, state: recipientState(r, now) }));
      return { campaign, recipients, counts: campaignCounts(recipients), reminders: recipients.filter(needsReminder).length };
    },

    /** The campaign page lists guardians' names and addresses: a read of each household, audited in one insert. */
    async campaignPage(auth: Auth | null, id: string) {
      const page = await this.campaign(auth, id);
      await auditRead(db, clock, auth, page.recipients.map((r) => r.household_id), 'campaign');
      return page;
    },

    /** New codes by e-mail for recipients whose code expired or whose e-mail failed. */
    async remind(auth: Auth | null, id: string) {
      const { recipients } = await this.campaign(auth, id);
      let sent = 0;
      for (const r of recipients.filter(needsReminder)) {
        const result = await identity.reissueCode(auth, r.user_id);
        if (result.ok) sent++;
      }
      await repo.updateCampaign(db, id, { last_reminder_at: clock.now().toISOString() });
      await writeAudit(db, clock.now(), actorOf(auth!), { action: 'campaign.reminded', targetType: 'campaign', targetId: id, summary: `Relance de la campagne : ${plural(sent, 'nouveau code envoyé', 'nouveaux codes envoyés')} par courriel` });
      return { sent };
    },

    /**
     * One PDF, one letter per recipient without e-mail still to activate. Codes are stored hashed, so new ones are issued now:
     * letters printed before stop working.
     */
    async letters(auth: Auth | null, id: string) {
      const { recipients } = await this.campaign(auth, id);
      const out: LetterRecipient[] = [];
      const printedFor: string[] = [];
      for (const r of recipients.filter((x) => x.channel === 'letter' && x.state !== 'active')) {
        const issued = await identity.reissueCode(auth, r.user_id);
        if (!issued.ok) continue;
        printedFor.push(r.household_id);
        out.push({
          firstName: r.first_name,
          lastName: r.last_name,
          code: issued.value.code,
          expiresAt: issued.value.expiresAt,
          addressLines: [r.address_line1, r.address_line2 ?? '', `${r.postcode} ${r.city}`].filter((x) => x.trim() !== ''),
        });
      }
      if (out.length === 0) return null;
      const now = clock.now();
      await repo.updateCampaign(db, id, { letters_printed_at: now.toISOString() });
      await auditRead(db, clock, auth, printedFor, 'letters');
      await writeAudit(db, now, actorOf(auth!), { action: 'campaign.letters_printed', targetType: 'campaign', targetId: id, summary: `${plural(out.length, 'lettre d\'activation imprimée', 'lettres d\'activation imprimées')} avec de nouveaux codes` });
      return activationLetters(config.town.name, config.publicUrl, out, now);
    },
  };
}

class ImportRace extends Error {}

export type ImportsService = ReturnType<typeof importsService>;
