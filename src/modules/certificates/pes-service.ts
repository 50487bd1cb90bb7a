import type { AppContext } from '../../platform/context.ts';
import type { Auth } from '../../platform/http/auth-types.ts';
import { actorOf } from '../../platform/http/actor.ts';
import { assertRole } from '../../platform/http/guards.ts';
import { NotFoundError } from '../../platform/http/errors.ts';
import { writeAudit, type Executor } from '../../platform/audit/audit.repository.ts';
import { nextCounter } from '../../platform/db/counters.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { todayIn } from '../../platform/calendar/calendar.domain.ts';
import { fail, ok, type Result } from '../../platform/result.ts';
import * as repo from './certificates.repository.ts';
import { pesXml, type PesInvoice } from './pes.domain.ts';
import { AUDIT } from './certificates.outcomes.ts';

class Raced extends Error {}

/**
 * The PES V2 ORMC file of an issued run, for the town's accountant (régie, admin). Every invoice of
 * the run is a piece, for what it still bills after credit notes (an invoice credited to zero is left
 * out). The bordereau number is taken once per run (a counter per year) and kept: the same run
 * exported again gives the same file, so a file lost on the way can be sent again as it was.
 */
export function pesService(ctx: AppContext) {
  const { db, clock, config } = ctx;

  /** The run's bordereau: the one recorded, or a new number recorded now (two clicks at once: one number). */
  async function bordereauOf(auth: Auth, runId: string, pieces: number, month: string) {
    const existing = await repo.pesExportOf(db, runId);
    if (existing) return existing;
    const now = clock.now();
    const year = Number(todayIn(now).slice(0, 4));
    try {
      await db.transaction().execute(async (tx: Executor) => {
        const idBord = await nextCounter(tx, `pes-bordereau-${year}`);
        await repo.insertPesExport(tx, { run_id: runId, year, id_bord: idBord, exported_at: now.toISOString(), exported_by: auth.user.id });
        const mine = await repo.pesExportOf(tx, runId);
        // Another export recorded the run first: give its number back (rollback) and use theirs.
        if (!mine || mine.id_bord !== idBord || mine.year !== year) throw new Raced();
        await writeAudit(tx, now, actorOf(auth), { action: 'pes.exported', targetType: 'invoice_run', targetId: runId, summary: AUDIT.pes(monthLabel(month), idBord, pieces) });
      });
    } catch (err) {
      if (!(err instanceof Raced)) throw err;
    }
    const row = await repo.pesExportOf(db, runId);
    if (!row) throw new Error('bordereau PES non enregistré');
    return row;
  }

  return {
    async export(auth: Auth | null, runId: string): Promise<Result<{ fileName: string; bytes: Buffer; pieces: number }, 'not_issued'>> {
      assertRole(auth, 'admin', 'regie');
      const run = await repo.runForPes(db, runId);
      if (!run) throw new NotFoundError();
      if (run.status !== 'issued') return fail('not_issued');
      const rows = await repo.invoicesForPes(db, runId);
      const guardians = await repo.firstGuardians(db, [...new Set(rows.filter((r) => r.payer_first === null).map((r) => r.household_id))]);
      const invoices: PesInvoice[] = rows
        .map((r) => {
          const g = guardians.find((x) => x.household_id === r.household_id);
          const payer = r.payer_first !== null ? { first: r.payer_first, last: r.payer_last ?? '', sex: r.payer_sex } : g ? { first: g.first_name, last: g.last_name, sex: g.sex } : { first: null, last: r.payer_name, sex: null };
          return {
            number: r.number,
            amountCents: Number(r.total_cents) - Number(r.credited_cents),
            payerName: payer.last || r.payer_name,
            payerFirstName: payer.first,
            payerCivility: payer.sex === 'F' ? ('MME' as const) : payer.sex === 'M' ? ('M' as const) : null,
            addressLine: [r.address_line1, r.address_line2].filter(Boolean).join(' '),
            postcode: r.postcode,
            city: r.city,
          };
        })
        .filter((i) => i.amountCents > 0);
      const bord = await bordereauOf(auth, runId, invoices.length, run.month);
      const date = todayIn(new Date(bord.exported_at));
      const fileName = `PES-ORMC-${bord.year}-${String(bord.id_bord).padStart(4, '0')}-${run.month}.xml`;
      const bytes = pesXml(
        { sigle: config.town.name, adresse: config.town.contact.address ?? config.town.name, idPost: config.accounting.pes.idPost, idColl: config.accounting.siret, codCol: config.accounting.pes.codCol, codBud: config.accounting.pes.codBud, nature: config.accounting.pes.nature, codProdLoc: config.accounting.pes.codProdLoc },
        { year: bord.year, idBord: bord.id_bord, month: run.month, date, fileName, objet: `${run.regie_name} ${monthLabel(run.month)}`, invoices },
      );
      return ok({ fileName, bytes, pieces: invoices.length });
    },
  };
}

export type PesService = ReturnType<typeof pesService>;
