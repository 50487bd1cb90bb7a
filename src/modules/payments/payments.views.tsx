import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { ButtonLink, NotificationBanner, SummaryList } from '../../platform/ui/components.tsx';
import { formatDateTime, formatEuros, formatTime } from '../../platform/format.ts';
import type { PaymentState } from './payments.service.ts';

/** What the family reads on coming back from PayFiP, in plain words: paid, refused, abandoned, or still waiting. */
export function PaymentResultPage(props: { ctx: PageCtx; state: PaymentState; retryAt: Date }) {
  const { transaction: t, lastVerdict } = props.state;
  const amount = formatEuros(t.amountCents);
  const rows = [
    { key: 'Montant', value: amount },
    { key: 'Référence du paiement', value: t.refdet },
    { key: 'Commencé le', value: formatDateTime(t.createdAt) },
  ];
  const page = (title: string, kind: 'success' | 'info' | 'warning', body: preact.ComponentChildren) => (
    <Layout ctx={props.ctx} title={title}>
      <h1>{title}</h1>
      <NotificationBanner kind={kind}>{body}</NotificationBanner>
      <SummaryList rows={rows} />
      <p>
        <ButtonLink href="/famille">Retour à l'accueil</ButtonLink>
      </p>
    </Layout>
  );
  switch (t.status) {
    case 'paid':
      return page('Paiement accepté', 'success', <p>Votre paiement de {amount} {t.means === 'direct_debit' ? 'par prélèvement' : 'par carte bancaire'} a été accepté{t.settledAt ? ` le ${formatDateTime(t.settledAt)}` : ''}. Merci.</p>);
    case 'refused':
      return page('Paiement refusé', 'warning', <p>Votre banque a refusé le paiement de {amount}. Rien n'a été prélevé. Vous pouvez recommencer avec une autre carte, ou payer à la régie.</p>);
    case 'abandoned':
      return page('Paiement abandonné', 'info', <p>Le paiement de {amount} n'a pas été fait : rien n'a été prélevé. Vous pouvez recommencer quand vous voulez.</p>);
    case 'failed':
      return page('Paiement impossible', 'warning', <p>Le service de paiement en ligne n'a pas répondu : rien n'a été payé. Réessayez plus tard, ou payez à la régie.</p>);
    case 'pending':
      if (lastVerdict?.outcome === 'abandoned') {
        return page('Paiement abandonné', 'info', <p>Vous avez quitté la page de paiement sans payer : rien n'a été prélevé pour {amount}. Vous pourrez recommencer à partir de {parisTime(props.retryAt)}.</p>);
      }
      return page('Paiement en attente', 'info', (
        <>
          <p>Nous n'avons pas encore la réponse du service de paiement pour {amount}. Ne payez pas une deuxième fois : la réponse arrive dans les 20 minutes.</p>
          <p>
            <a href={`/paiements/${t.id}`}>Voir où en est le paiement</a>
          </p>
        </>
      ));
  }
}

const parisClock = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' });
/** The time of an instant in Paris, the French way (« 11 h 20 »). */
function parisTime(d: Date): string {
  const parts = Object.fromEntries(parisClock.formatToParts(d).map((p) => [p.type, p.value]));
  return formatTime({ hour: Number(parts.hour), minute: Number(parts.minute) });
}
