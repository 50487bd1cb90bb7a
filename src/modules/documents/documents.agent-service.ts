import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError, RuleError } from '../../platform/http/errors.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { writeAudit } from '../../platform/audit/audit.repository.ts';
import { insertNotice } from '../../platform/notices/notices.repository.ts';
import { insertMail } from '../../platform/mail/outbox.repository.ts';
import type { StoredFiles } from '../../platform/files/stored-files.ts';
import { formatDateLong } from '../../platform/format.ts';
import { guardianEmails } from '../households/households.shared-service.ts';
import { deleteAfter } from './documents.domain.ts';
import { parseDecision, type DecisionForm } from './documents.decision.domain.ts';
import * as repo from './documents.repository.ts';
import * as queue from './documents.queue.repository.ts';

/** Documents are checked by the service enfance and admins. */
function assertCanCheck(auth: Auth | null): asserts auth is Auth {
  assertRole(auth, 'admin', 'enfance');
}

export type DecideResult = { ok: true; status: 'validated' | 'refused' } | { ok: false; errors: Record<string, string> };

/**
 * The agents' side of documents: the queue to check, the document page (every opening and every
 * download of the file is audited: documents show identity, income and health), the decision.
 */
export function documentsAgentService(ctx: AppContext, files: StoredFiles) {
  const { db, clock, config } = ctx;

  return {
    async queue(auth: Auth | null, filters: queue.QueueFilters) {
      assertCanCheck(auth);
      const [rows, types, facilities] = await Promise.all([queue.pendingQueue(db, filters), repo.allTypes(db), queue.facilities(db)]);
      return { rows, types, facilities };
    },

    async view(auth: Auth | null, id: string) {
      assertCanCheck(auth);
      const doc = await queue.documentForAgent(db, id);
      if (!doc) throw new NotFoundError();
      await writeAudit(db, clock.now(), actorOf(auth), { action: 'document.viewed', targetType: 'household', targetId: doc.household_id, summary: `Document consulté : ${doc.type_label}` });
      return doc;
    },

    async download(auth: Auth | null, id: string) {
      assertCanCheck(auth);
      const doc = await queue.documentForAgent(db, id);
      if (!doc) throw new NotFoundError();
      const file = await files.openForDownload(doc.file_id);
      if (!file) throw new NotFoundError('Ce fichier est endommagé et ne peut pas être ouvert. Demandez à la famille de l\'envoyer de nouveau.');
      await writeAudit(db, clock.now(), actorOf(auth), { action: 'document.file-read', targetType: 'household', targetId: doc.household_id, summary: `Fichier du document ouvert : ${doc.type_label}` });
      return file;
    },

    /** Validates (with the dates it covers, the quotient of a CAF attestation) or refuses with a reason; tells the family. */
    async decide(auth: Auth | null, id: string, form: DecisionForm): Promise<DecideResult> {
      assertCanCheck(auth);
      const doc = await queue.documentForAgent(db, id);
      if (!doc) throw new NotFoundError();
      const type = await repo.typeById(db, doc.type_id);
      if (!type) throw new NotFoundError();
      const parsed = parseDecision(form, { typeCode: type.code, documentDate: doc.document_date, hasEnd: type.validity !== 'none' });
      if (!parsed.ok) return parsed;
      const d = parsed.decision;
      const now = clock.now();
      const who = actorOf(auth);
      const subject = d.action === 'validated' ? `${type.label} : document validé` : `${type.label} : document refusé`;
      const text =
        d.action === 'validated'
          ? `Votre document « ${type.label} » est validé${d.validUntil ? `, valable jusqu'au ${formatDateLong(d.validUntil)}` : ''}. Il servira à vos prochaines demandes.`
          : `Votre document « ${type.label} » est refusé. Motif : ${d.reason}. Vous pouvez envoyer un nouveau document depuis « Mes documents ».`;
      await db.transaction().execute(async (tx) => {
        const moved = await queue.decide(tx, id, {
          status: d.action,
          valid_until: d.action === 'validated' ? d.validUntil : doc.valid_until,
          refusal_reason: d.action === 'refused' ? d.reason : null,
          qf_value: d.action === 'validated' ? (d.qf?.value ?? null) : null,
          qf_month: d.action === 'validated' ? (d.qf?.month ?? null) : null,
          decided_at: now.toISOString(),
          decided_by: auth.user.id,
          decided_by_label: who.label,
        });
        if (!moved) throw new RuleError('Ce document a déjà été validé ou refusé entre-temps. Rechargez la page.');
        // A refused file is kept three months (time for the family to read why), a validated one by its type's rule.
        const until = d.action === 'validated' ? d.validUntil : now.toISOString().slice(0, 10);
        await queue.setFileDeleteAfter(tx, doc.file_id, d.action === 'validated' ? deleteAfter(type, until) : deleteAfter({ retention_months: 3 }, until));
        await writeAudit(tx, now, who, { action: d.action === 'validated' ? 'document.validated' : 'document.refused', targetType: 'household', targetId: doc.household_id, summary: d.action === 'validated' ? `Document validé : ${type.label}${d.qf ? ` (quotient ${d.qf.value} €, ${d.qf.month})` : ''}` : `Document refusé : ${type.label}` });
        await insertNotice(tx, doc.household_id, text, now);
        for (const to of await guardianEmails(tx, doc.household_id)) {
          await insertMail(tx, now, { kind: 'document-decision', to, subject: `${subject} – ${config.town.name}`, text: `Bonjour,\n\n${text}\n\nVos documents : ${config.publicUrl}/documents\n\n--\n${config.town.name} – Portail famille`, dedupeKey: `document:${id}:${d.action}:${to}` });
        }
      });
      return { ok: true, status: d.action };
    },

    countPending: () => queue.countPending(db),
  };
}

export type DocumentsAgentService = ReturnType<typeof documentsAgentService>;
