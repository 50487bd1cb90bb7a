import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import type { FamilyActor } from '../../platform/http/actor.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { nextCounter } from '../../platform/db/counters.ts';
import { bump } from '../../platform/security/throttle.repository.ts';
import { safeEqual, signFor } from '../../platform/security/secrets.ts';
import { newId } from '../../platform/ids.ts';
import type { PaymentMeans } from '../invoicing/invoicing.ledger.domain.ts';
import { dayLabel, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatEuros, plural } from '../../platform/format.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import * as repo from './certificates.repository.ts';
import { certificateNumber, eligibleForTaxCredit, initials, lastDayOf, newVerificationCode, normaliseCode, normaliseNumber, parisDayBounds, parisYearBounds, periodRefusal, taxAmounts, type CertificateKind } from './certificates.domain.ts';
import { AUDIT, periodText, type IssueRefusal, type VerifyRefusal } from './certificates.outcomes.ts';
import { certificatePdf, type CertificateForPdf } from './certificates.pdf.ts';

/** At most 20 verifications from one address in 15 minutes, found or not: the page can't be used to try numbers. */
export const VERIFY_LIMIT = { max: 20, windowMs: 15 * 60_000 } as const;
const CODE_PURPOSE = 'certificate-code';
const MEANS: Record<PaymentMeans, string> = { card_online: 'carte bancaire en ligne', direct_debit_online: 'prélèvement en ligne', cash: 'espèces', cheque: 'chèque', cesu: 'CESU', ancv: 'chèques vacances ANCV', card_counter: 'carte bancaire au guichet' };

export type IssueRequest =
  | { kind: 'attendance'; childId: string; fromMonth: string; toMonth: string }
  | { kind: 'payment'; fromMonth: string; toMonth: string }
  | { kind: 'tax'; year: number };

/** Who issues: the family (or an agent at the counter, in assisted mode), or an agent from the household page. */
type Issuer = { auth: Auth; householdId: string };

export function certificatesService(ctx: AppContext) {
  const { db, clock, config } = ctx;
  const hashOf = (number: string, code: string) => signFor(config.secretKey, CODE_PURPOSE, `${number}:${code}`);
  // Compared with when a number is unknown, so both answers take the same work.
  const DUMMY = hashOf('ATT-0000-000000', 'AAAA-AAAA-AAAA');

  async function page(householdId: string) {
    const household = await repo.householdForCertificate(db, householdId);
    if (!household) throw new NotFoundError();
    const certificates = await repo.certificatesOf(db, householdId);
    return { household: { id: household.id, name: household.name, reference: household.reference }, children: household.children.map((c) => ({ id: c.id, first_name: c.first_name, last_name: c.last_name })), certificates, today: clock.today() };
  }

  /** Builds what a certificate says, or the reason it can't be issued. Reads only. */
  async function compose(householdId: string, req: IssueRequest): Promise<Result<{ body: Omit<CertificateForPdf, 'number' | 'code' | 'issuedAt' | 'verifyUrl'>; childId: string | null; amountCents: number | null; dayCount: number | null; initials: string }, IssueRefusal>> {
    const household = await repo.householdForCertificate(db, householdId);
    if (!household) throw new NotFoundError();
    if (household.anonymised_at) return fail('anonymised');
    const today = clock.today();
    const holderName = `${household.payer.first_name} ${household.payer.last_name}`.trim() || household.name;
    const holder = { name: holderName, reference: household.reference, address: [household.address_line1, household.address_line2, `${household.postcode} ${household.city}`].filter(Boolean).join('\n') };
    const town = { name: config.town.name, address: config.town.contact.address, siret: config.accounting.siret, signatory: config.accounting.signatory, };
    const who = initials(household.payer.first_name, household.payer.last_name);
    if (req.kind === 'tax') {
      const year = req.year;
      if (year > Number(today.slice(0, 4)) || year < 2000) return fail('year_not_started');
      const bounds = parisYearBounds(year);
      const inputs = await repo.taxInputs(db, householdId, bounds.from, bounds.to);
      const persons = await repo.personsByIds(db, [...new Set(inputs.garde.map((g) => g.childId))]);
      const eligible = new Map(persons.filter((p) => eligibleForTaxCredit(p.birth_date, year)).map((p) => [p.id, p]));
      const amounts = taxAmounts(
        inputs.invoices.map((inv) => ({
          invoiceId: inv.id,
          netCents: inv.netCents,
          paidInYearCents: inv.paidCents,
          eligibleByChild: new Map(inputs.garde.filter((g) => g.invoiceId === inv.id && eligible.has(g.childId)).map((g) => [g.childId, g.cents])),
        })),
      );
      const rows = [...amounts.entries()].filter(([, cents]) => cents > 0).map(([id, cents]) => ({ child: eligible.get(id)!, cents })).sort((a, b) => (a.child.birth_date ?? '').localeCompare(b.child.birth_date ?? '') || a.child.id.localeCompare(b.child.id));
      if (rows.length === 0) return fail('no_eligible_child');
      const total = rows.reduce((s, r) => s + r.cents, 0);
      return ok({
        childId: null,
        amountCents: total,
        dayCount: null,
        initials: who,
        body: {
          kind: 'tax',
          period: { start: `${year}-01-01`, end: `${year}-12-31` },
          town,
          holder,
          intro: [
            `${config.town.name} atteste que ${holderName}, responsable légal, a payé en ${year} pour la garde de ${plural(rows.length, 'enfant', 'enfants')} de moins de 6 ans (accueil périscolaire, accueil de loisirs) les sommes suivantes.`,
          ],
          table: { headers: ['Enfant', 'Date de naissance', `Payé en ${year} pour la garde`], widths: [190, 130, 163], rightFrom: 2, rows: rows.map((r) => [`${r.child.first_name} ${r.child.last_name}`, dayLabel(r.child.birth_date!, true), formatEuros(r.cents)]) },
          outro: [
            `Total payé en ${year} pour la garde : ${formatEuros(total)}.`,
            'Montants hors frais de repas : les repas, les majorations (présence sans réservation, annulation tardive) et les jours annulés par un avoir sont exclus. Seules comptent les sommes effectivement payées pendant l\'année civile, quelle que soit la date de la facture. Quand un paiement règle une facture qui mêle garde et repas, la part de garde est calculée au prorata de la facture.',
            'Les montants sont ceux payés par la famille, nets des aides versées directement à la commune. Il appartient au déclarant de déduire les aides qu\'il a reçues (complément de libre choix du mode de garde, aides de l\'employeur).',
            'Article 200 quater B du code général des impôts. À reporter sur la déclaration de revenus, cases 7GA, 7GB, 7GC (un enfant par case).',
          ],
        },
      });
    }
    const refusal = periodRefusal(req.fromMonth, req.toMonth, today.slice(0, 7));
    if (refusal) return fail(refusal);
    const start = `${req.fromMonth}-01`;
    const end = lastDayOf(req.toMonth) < today ? lastDayOf(req.toMonth) : today;
    if (req.kind === 'attendance') {
      const child = household.children.find((c) => c.id === req.childId);
      if (!child) return fail('unknown_child');
      const days = await repo.presentDays(db, householdId, child.id, start, end);
      if (days.length === 0) return fail('nothing_attended');
      const distinct = new Set(days.map((d) => d.day)).size;
      return ok({
        childId: child.id,
        amountCents: null,
        dayCount: distinct,
        initials: who,
        body: {
          kind: 'attendance',
          period: { start, end },
          town,
          holder,
          intro: [`${config.town.name} atteste que ${child.first_name} ${child.last_name}, né·e le ${child.birth_date ? dayLabel(child.birth_date, true) : '(date non connue)'}, a été présent·e aux accueils de la commune ${plural(distinct, 'jour', 'jours')} ${periodText(start, end)}, comme suit.`],
          table: { headers: ['Jour', 'Accueil'], widths: [200, 283], rightFrom: 99, rows: days.map((d) => [dayLabel(d.day, true), d.service_name]) },
          outro: ['Présences relevées par les animateurs lors des pointages.'],
        },
      });
    }
    const bounds = parisDayBounds(start, end);
    const payments = await repo.paymentsReceived(db, householdId, bounds.from, bounds.to);
    if (payments.length === 0) return fail('nothing_paid');
    const total = payments.reduce((s, p) => s + p.amount_cents, 0);
    const rows = payments.flatMap((p) => {
      const head = [formatDateLong(p.received_at), `${p.number} (${MEANS[p.means]})`];
      const allocated = p.allocations.reduce((s, a) => s + a.amount_cents, 0);
      const lines = p.allocations.map((a) => [...head, `Facture ${a.invoice_number} (${monthLabel(a.month)})`, formatEuros(a.amount_cents)]);
      if (p.amount_cents - allocated > 0) lines.push([...head, 'Avoir en faveur du foyer (non affecté)', formatEuros(p.amount_cents - allocated)]);
      return lines;
    });
    return ok({
      childId: null,
      amountCents: total,
      dayCount: null,
      initials: who,
      body: {
        kind: 'payment',
        period: { start, end },
        town,
        holder,
        intro: [`${config.town.name} atteste avoir reçu de ${holderName} ${plural(payments.length, 'paiement', 'paiements')} ${periodText(start, end)}, pour un total de ${formatEuros(total)}, répartis sur les factures suivantes.`],
        table: { headers: ['Reçu le', 'Paiement', 'Facture réglée', 'Montant'], widths: [130, 130, 150, 73], rightFrom: 3, rows },
        outro: [`Total reçu : ${formatEuros(total)}. Les paiements annulés ne figurent pas sur cette attestation.`],
      },
    });
  }

  /** Issues: takes a number, makes a code, keeps only its keyed hash, writes the audit row, renders the PDF. */
  async function issue(issuer: Issuer, req: IssueRequest): Promise<Result<{ number: string; pdf: Buffer }, IssueRefusal>> {
    const composed = await compose(issuer.householdId, req);
    if (!composed.ok) return composed;
    const c = composed.value;
    const now = clock.now();
    const year = Number(clock.today().slice(0, 4));
    const code = newVerificationCode();
    const number = await db.transaction().execute(async (tx: Executor) => {
      const seq = await nextCounter(tx, `certificate-${year}`);
      const num = certificateNumber(year, seq);
      await repo.insertCertificate(tx, {
        id: newId(),
        number: num,
        year,
        seq,
        kind: c.body.kind,
        household_id: issuer.householdId,
        child_person_id: c.childId,
        period_start: c.body.period.start,
        period_end: c.body.period.end,
        amount_cents: c.amountCents,
        day_count: c.dayCount,
        holder_initials: c.initials,
        code_hash: hashOf(num, code),
        issued_at: now.toISOString(),
        issued_by: issuer.auth.user.kind === 'agent' ? issuer.auth.user.id : null,
      });
      await writeAudit(tx, now, actorOf(issuer.auth), { action: 'certificate.issued', targetType: 'household', targetId: issuer.householdId, summary: AUDIT.issued(c.body.kind, num, periodText(c.body.period.start, c.body.period.end)) });
      return num;
    });
    const pdf = await certificatePdf({ ...c.body, number, code, issuedAt: now, verifyUrl: `${config.publicUrl}/attestations/verifier` });
    return ok({ number, pdf });
  }

  return {
    /** The family's page: its children, the certificates already issued. */
    familyPage: (actor: FamilyActor) => page(actor.householdId),
    familyIssue: (actor: FamilyActor, req: IssueRequest) => issue({ auth: actor.auth, householdId: actor.householdId }, req),

    /** An agent, from the household page (service enfance, régie or admin). */
    async agentPage(auth: Auth | null, householdId: string) {
      assertRole(auth, 'admin', 'enfance', 'regie');
      return page(householdId);
    },
    async agentIssue(auth: Auth | null, householdId: string, req: IssueRequest) {
      assertRole(auth, 'admin', 'enfance', 'regie');
      await page(householdId);
      return issue({ auth, householdId }, req);
    },

    /**
     * The public check: a number and a code. An unknown number and a wrong code answer the same
     * (same shape, same work); every try counts against the address, found or not.
     */
    async verify(address: string, numberInput: string, codeInput: string): Promise<Result<{ kind: CertificateKind; number: string; period: string; issuedOn: string; amountCents: number | null; dayCount: number | null; initials: string }, VerifyRefusal>> {
      const now = clock.now();
      const count = await bump(db, `certificate-verify:${address}`, now, new Date(now.getTime() - VERIFY_LIMIT.windowMs));
      if (count.failures > VERIFY_LIMIT.max) return fail('throttled');
      const number = normaliseNumber(numberInput);
      const code = normaliseCode(codeInput);
      const row = await repo.certificateByNumber(db, number);
      const matches = safeEqual(hashOf(number, code), row?.code_hash ?? DUMMY) && !!row;
      if (!matches || !row) return fail('not_found');
      return ok({ kind: row.kind, number: row.number, period: periodText(row.period_start, row.period_end), issuedOn: formatDateLong(row.issued_at), amountCents: row.amount_cents === null ? null : Number(row.amount_cents), dayCount: row.day_count === null ? null : Number(row.day_count), initials: row.holder_initials });
    },
  };
}

export type CertificatesService = ReturnType<typeof certificatesService>;
