import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, ErrorSummary, NotificationBanner, PostForm, SummaryList, TextArea, TextField, fieldId, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDateLong, formatDateTime, formatEuros, householdName } from '../../platform/format.ts';
import type { PaymentMeans } from '../../platform/db/schema-payments.ts';
import { COUNTER_MEANS } from '../invoicing/invoicing.ledger.domain.ts';
import { MEANS_LABELS } from '../invoicing/invoicing.outcomes.ts';

export const paymentUrl = (id: string) => `/agent/paiements/${id}`;

export interface CounterFormView {
  household: { id: string; name: string; reference: string };
  open: { id: string; number: string; month: string; dueOn: string; remainingCents: number }[];
  creditCents: number;
  owedCents: number;
}

/** The régie records a payment received at the counter for a household. */
export function CounterPaymentPage(props: { ctx: PageCtx; view: CounterFormView; errors?: FieldErrors; values?: FormValues; chosen?: string[] }) {
  const { household: h, open } = props.view;
  const title = `Enregistrer un paiement – ${householdName(h.name)}`;
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={!!props.errors}>
      <p>
        <a href={`/agent/foyers/${h.id}`}>Retour au foyer {householdName(h.name)} ({h.reference})</a>
      </p>
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{title}</h1>
      <SummaryList
        rows={[
          { key: 'Reste à payer', value: <strong>{formatEuros(Math.max(0, props.view.owedCents))}</strong> },
          ...(props.view.creditCents > 0 ? [{ key: 'Crédit du foyer', value: formatEuros(props.view.creditCents) }] : []),
        ]}
      />
      {props.errors?.caisse && (
        <p id={fieldId('caisse')} class="error-message">
          {props.errors.caisse} <a href="/agent/regie/caisse">Voir la caisse du jour</a>
        </p>
      )}
      <PostForm action={`/agent/foyers/${h.id}/paiement`} csrf={props.ctx.csrf}>
        <Choices type="radio" name="moyen" label="Moyen de paiement" options={COUNTER_MEANS.map((m) => ({ value: m, label: MEANS_LABELS[m] }))} selected={props.values?.moyen ? [props.values.moyen] : []} errors={props.errors} />
        <TextField name="montant" label="Montant reçu, en euros" hint="Par exemple 25,50. Ce qui dépasse les factures reste au crédit du foyer." inputmode="text" width="short" values={props.values} errors={props.errors} />
        <TextField name="cheque" label="Numéro du chèque (pour un chèque)" width="medium" values={props.values} errors={props.errors} />
        <TextField name="banque" label="Banque du chèque (pour un chèque)" width="medium" values={props.values} errors={props.errors} />
        {open.length > 0 ? (
          <Choices
            type="checkbox"
            name="factures"
            label="Factures à régler"
            hint="Sans choix, le paiement règle d'abord la facture la plus ancienne."
            options={open.map((o) => ({ value: o.id, label: `${o.number} – ${monthLabel(o.month)} : reste ${formatEuros(o.remainingCents)}, avant le ${formatDateLong(o.dueOn)}` }))}
            selected={props.chosen}
            errors={props.errors}
          />
        ) : (
          <p>Aucune facture à payer : la somme restera au crédit du foyer et réglera la prochaine facture.</p>
        )}
        <Button>Enregistrer le paiement</Button>
      </PostForm>
    </Layout>
  );
}

export interface PaymentView {
  payment: { id: string; number: string; means: PaymentMeans; amount_cents: number; allocated_cents: number; received_at: string; cancelled_at: string | null; cancel_reason: string | null; household_id: string };
  household: { name: string; reference: string };
  details: Record<string, string>;
  allocations: { invoice_id: string; number: string; month: string; amount_cents: number; cancelled_at: string | null }[];
  regieName: string;
}

const meansText = (v: Pick<PaymentView, 'payment' | 'details'>) => `${MEANS_LABELS[v.payment.means]}${v.payment.means === 'cheque' ? ` n° ${v.details.cheque_number ?? ''} (${v.details.bank ?? ''})` : ''}`;

/** A payment for agents: what was received, what it paid, its receipt, and for the régie the cancellation. */
export function PaymentAgentPage(props: { ctx: PageCtx; view: PaymentView; canCancel: boolean; errors?: FieldErrors; values?: FormValues }) {
  const { payment: p, household: h } = props.view;
  const title = `Paiement ${p.number}`;
  const active = props.view.allocations.filter((a) => !a.cancelled_at);
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={!!props.errors}>
      <p>
        <a href={`/agent/foyers/${p.household_id}`}>Retour au foyer {householdName(h.name)} ({h.reference})</a>
      </p>
      <ErrorSummary errors={props.errors ?? {}} />
      <h1>{title}</h1>
      {p.cancelled_at && (
        <NotificationBanner kind="warning" title="Paiement annulé">
          <p>
            Annulé le {formatDateTime(p.cancelled_at)} : {p.cancel_reason}
          </p>
        </NotificationBanner>
      )}
      <SummaryList
        rows={[
          { key: 'Montant', value: <strong>{formatEuros(Number(p.amount_cents))}</strong> },
          { key: 'Moyen', value: meansText(props.view) },
          { key: 'Reçu le', value: formatDateTime(p.received_at) },
          { key: 'Régie', value: props.view.regieName },
          { key: 'Gardé au crédit du foyer', value: p.cancelled_at ? '—' : formatEuros(Number(p.amount_cents) - Number(p.allocated_cents)) },
        ]}
      />
      <p>
        <ButtonLink href={`${paymentUrl(p.id)}/recu.pdf`}>Imprimer le reçu (PDF)</ButtonLink>
      </p>
      <h2>Factures réglées</h2>
      {active.length === 0 ? (
        <p>Aucune.</p>
      ) : (
        <ul class="list">
          {active.map((a) => (
            <li>
              <a href={`/agent/factures/${a.invoice_id}`}>{a.number}</a> ({monthLabel(a.month)}) : {formatEuros(Number(a.amount_cents))}
            </li>
          ))}
        </ul>
      )}
      {props.canCancel && !p.cancelled_at && (
        <section aria-labelledby="annuler">
          <h2 id="annuler">Annuler ce paiement</h2>
          <p>Seulement pour une erreur de saisie : les factures réglées redeviennent à payer. L'annulation est inscrite à l'historique.</p>
          <PostForm action={`${paymentUrl(p.id)}/annulation`} csrf={props.ctx.csrf}>
            <TextArea name="motif" label="Motif de l'annulation" hint="Par exemple : montant mal saisi, chèque enregistré sur le mauvais foyer." rows={2} values={props.values} errors={props.errors} />
            <Button variant="warning">Annuler le paiement</Button>
          </PostForm>
        </section>
      )}
    </Layout>
  );
}
