import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, ErrorSummary, PostForm, SummaryList, Table, Tag, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { dayLabel, todayIn } from '../../platform/calendar/calendar.domain.ts';
import { formatDateTime, formatEuros, householdName, plural } from '../../platform/format.ts';
import type { PaymentMeans } from '../../platform/db/schema-payments.ts';
import type { CashDeskService } from '../invoicing/invoicing.cashdesk-service.ts';
import type { JournalLine, MeansTotal } from '../invoicing/invoicing.cashdesk.domain.ts';
import { MEANS_LABELS } from '../invoicing/invoicing.outcomes.ts';
import { paymentUrl } from './payments.counter-views.tsx';

export const cashDayUrl = (day: string, regieId?: string) => `/agent/regie/caisse?jour=${day}${regieId ? `&regie=${regieId}` : ''}`;
export const journalPdfUrl = (day: string, regieId: string) => `/agent/regie/caisse/journal.pdf?jour=${day}&regie=${regieId}`;

/** « jeudi 3 décembre 2026 à 18 h 05 »: the instant with its weekday, in Paris. */
export const instantLabel = (at: string) => `${dayLabel(todayIn(new Date(at)), true)} à ${formatDateTime(at).replace(/^.* à /, '')}`;
export const timeOf = (at: string) => formatDateTime(at).replace(/^.* à /, '');

/** How a payment was made: « Chèque n° 123 (La Banque Postale) ». */
export function meansOf(p: { means: string; details: string }) {
  const details = JSON.parse(p.details) as Record<string, string>;
  return `${MEANS_LABELS[p.means as PaymentMeans]}${p.means === 'cheque' ? ` n° ${details.cheque_number ?? ''} (${details.bank ?? ''})` : ''}`;
}

/** The line's label in the journal: a payment, or the cancellation of one (with the day it was received). */
export const lineLabel = (l: JournalLine) => (l.kind === 'payment' ? l.payment.number : `Annulation du reçu ${l.payment.number} (reçu le ${dayLabel(todayIn(new Date(l.payment.received_at)), true)})`);

type DayView = Awaited<ReturnType<CashDeskService['day']>>;

function TotalsTable(props: { byMeans: MeansTotal[]; cancelledCount: number; cancelledCents: number; totalCents: number; caption: string }) {
  type Row = { label: string; count: number | string; cents: number; strong?: boolean };
  const rows: Row[] = [
    ...props.byMeans.map((m) => ({ label: MEANS_LABELS[m.means], count: m.count, cents: m.cents })),
    ...(props.cancelledCount > 0 ? [{ label: `Dont annulations du jour (${props.cancelledCount})`, count: '', cents: -props.cancelledCents }] : []),
    { label: 'Total', count: props.byMeans.reduce((s, m) => s + m.count, 0), cents: props.totalCents, strong: true },
  ];
  return (
    <Table
      caption={props.caption}
      rows={rows}
      columns={[
        { header: 'Moyen', cell: (r) => (r.strong ? <strong>{r.label}</strong> : r.label) },
        { header: 'Paiements', cell: (r) => r.count, numeric: true },
        { header: 'Montant', cell: (r) => (r.strong ? <strong>{formatEuros(r.cents)}</strong> : formatEuros(r.cents)), numeric: true },
      ]}
    />
  );
}

/**
 * The cash-desk day of a régie: open or closed (by whom, when), totals by means (as closed), the
 * journal with the cancellations of the day as negative lines, the closing form, the days left open.
 */
export function CashDayPage(props: { ctx: PageCtx; view: DayView; previous: string; next: string | null; errors?: FieldErrors; values?: FormValues }) {
  const v = props.view;
  const c = v.closure;
  const title = `Caisse du ${dayLabel(v.day, true)} – ${v.regie.name}`;
  const journal = v.journal;
  const expectedCash = c ? Number(c.cash_cents) : (journal.byMeans.find((m) => m.means === 'cash')?.cents ?? 0);
  return (
    <Layout ctx={props.ctx} title={title} wide hasErrors={!!props.errors}>
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{title}</h1>
      <nav aria-label="Autres jours" class="month-nav">
        <a href={cashDayUrl(props.previous, v.regie.id)}>Jour précédent</a>
        {props.next ? <a href={cashDayUrl(props.next, v.regie.id)}>Jour suivant</a> : null}
      </nav>
      {v.regies.length > 1 && (
        <ul class="list">
          {v.regies.filter((r) => r.id !== v.regie.id).map((r) => (
            <li>
              <a href={cashDayUrl(v.day, r.id)}>Caisse de {r.name}</a>
            </li>
          ))}
        </ul>
      )}
      {c ? (
        <>
          <p>
            <Tag tone="green">Caisse clôturée</Tag> par {c.closed_by_label}, le {instantLabel(c.closed_at)}. Ses totaux ne changent plus : une annulation faite plus tard figure dans le journal du jour où elle est faite.
          </p>
          <p>
            <ButtonLink href={journalPdfUrl(v.day, v.regie.id)}>Télécharger le journal de caisse (PDF)</ButtonLink>
          </p>
        </>
      ) : (
        <p>
          <Tag tone="orange">Caisse ouverte</Tag> {v.day < v.today ? 'Ce jour passé n\'a pas été clôturé.' : 'Les paiements au guichet enregistrés aujourd\'hui s\'ajoutent à ce journal jusqu\'à la clôture.'}
        </p>
      )}
      <TotalsTable caption={c ? 'Totaux par moyen de paiement, à la clôture' : 'Totaux par moyen de paiement'} {...(c ? { byMeans: c.byMeans, cancelledCount: Number(c.cancelled_count), cancelledCents: Number(c.cancelled_cents), totalCents: Number(c.total_cents) } : journal)} />
      {c && c.counted_cash_cents !== null && (
        <SummaryList
          rows={[
            { key: 'Espèces attendues', value: formatEuros(Number(c.cash_cents)) },
            { key: 'Espèces comptées', value: formatEuros(Number(c.counted_cash_cents)) },
            { key: 'Écart', value: formatEuros(Number(c.difference_cents ?? 0)) },
            ...(c.comment ? [{ key: 'Commentaire', value: c.comment }] : []),
          ]}
        />
      )}
      <Table
        caption={`Journal du jour (${plural(journal.lines.filter((l) => l.kind === 'payment').length, 'paiement', 'paiements')}${journal.cancelledCount > 0 ? `, ${plural(journal.cancelledCount, 'annulation', 'annulations')}` : ''})`}
        rows={journal.lines}
        empty="Aucun paiement au guichet ce jour."
        columns={[
          { header: 'Reçu', cell: (l) => (l.kind === 'payment' ? <a href={paymentUrl(l.payment.id)}>{l.payment.number}</a> : <a href={paymentUrl(l.payment.id)}>{lineLabel(l)}</a>) },
          { header: 'Heure', cell: (l) => timeOf(l.at) },
          { header: 'Foyer', cell: (l) => `${householdName(l.payment.household_name)} (${l.payment.household_reference})` },
          { header: 'Moyen', cell: (l) => meansOf(l.payment) },
          { header: 'Montant', cell: (l) => formatEuros(l.cents), numeric: true },
        ]}
      />
      {v.online.count > 0 && (
        <p class="hint">
          Paiements en ligne reçus ce jour (hors caisse) : {plural(v.online.count, 'paiement', 'paiements')}, {formatEuros(v.online.cents)}.
        </p>
      )}
      {!c && v.day <= v.today && (
        <section aria-labelledby="cloturer">
          <h2 id="cloturer">Clôturer la caisse du jour</h2>
          <p>Après la clôture, plus aucun paiement ni aucune annulation ne peut être enregistré à cette date, et le journal de caisse est prêt à imprimer.</p>
          <PostForm action="/agent/regie/caisse/cloture" csrf={props.ctx.csrf}>
            <input type="hidden" name="jour" value={v.day} />
            <input type="hidden" name="regie" value={v.regie.id} />
            <TextField name="especes" label="Espèces comptées dans la caisse, en euros (facultatif)" hint={`Espèces attendues : ${formatEuros(expectedCash)}.`} inputmode="text" width="short" values={props.values} errors={props.errors} />
            <TextArea name="commentaire" label="Commentaire (obligatoire en cas d'écart)" rows={2} values={props.values} errors={props.errors} />
            <Button>Clôturer la caisse du jour</Button>
          </PostForm>
        </section>
      )}
      <h2>Jours non clôturés</h2>
      {v.openDays.length === 0 ? (
        <p>Aucun jour passé avec des paiements au guichet n'attend de clôture (31 derniers jours).</p>
      ) : (
        <ul class="list">
          {v.openDays.map((d) => (
            <li>
              <a href={cashDayUrl(d, v.regie.id)}>Caisse du {dayLabel(d, true)}</a>
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href="/agent/regie/impayes.csv">Télécharger les factures impayées après échéance (CSV pour le Trésor public)</a>
      </p>
    </Layout>
  );
}
