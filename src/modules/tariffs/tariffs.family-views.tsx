import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Choices, ErrorSummary, NotificationBanner, Table, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong, formatEuros } from '../../platform/format.ts';
import { monthLabel } from '../../platform/calendar/calendar.domain.ts';
import { QUOTIENT_SOURCES } from '../households/households.domain.ts';
import type { ExplainedService } from './tariffs.prices-service.ts';
import { CATEGORY_LABELS, NO_QUOTIENT_NOTICE } from './tariffs.outcomes.ts';

const RANK_WORDS: Record<number, string> = { 1: 'l\'aîné', 2: 'le 2e enfant', 3: 'le 3e enfant et les suivants' };

/** « pour l'aîné et le 2e enfant » when a line applies to the household. */
const whoText = (ranks: number[]) => (ranks.length === 3 ? 'Votre tarif' : `Votre tarif pour ${ranks.map((r) => RANK_WORDS[r]).join(' et ')}`);

/** Each service's lines, in order, with the household's own line(s) marked in words (never by colour alone). */
function ServicesPrices(props: { services: ExplainedService[]; marked: boolean; level: 2 | 3 }) {
  const Heading = props.level === 2 ? 'h2' : 'h3';
  if (props.services.length === 0) return <p>La commune n'a pas encore publié ses tarifs.</p>;
  return (
    <>
      {props.services.map((s) => (
        <section>
          <Heading>{s.label}</Heading>
          <Table
            caption={`Tarifs de ${s.label}, à partir du ${formatDateLong(s.appliesFrom)}`}
            rows={s.lines}
            columns={[
              { header: 'Pour qui', cell: (l) => (l.label === 'tarif par défaut' ? 'Autres cas' : l.label.charAt(0).toUpperCase() + l.label.slice(1)) },
              { header: 'Prix par jour', cell: (l) => `${formatEuros(l.line.amountCents)} (${CATEGORY_LABELS[l.line.category].toLowerCase()})`, numeric: true },
              { header: props.marked ? 'Pour vous' : 'Pour le quotient saisi', cell: (l) => (l.ranks.length ? <strong>{whoText(l.ranks)}</strong> : '') },
            ]}
          />
          {(s.presentWithoutBookingCents > 0 || s.lateCancellationCents > 0) && (
            <p>
              {s.presentWithoutBookingCents > 0 && `Enfant présent sans réservation : ${formatEuros(s.presentWithoutBookingCents)} de plus. `}
              {s.lateCancellationCents > 0 && `Annulation après le délai : le jour est facturé, avec ${formatEuros(s.lateCancellationCents)} de plus.`}
            </p>
          )}
        </section>
      ))}
    </>
  );
}

const HOW_IT_WORKS = 'Le prix d\'un jour dépend de votre quotient familial (QF), de votre commune et du rang de l\'enfant parmi ses frères et sœurs réservés le même jour (l\'aîné d\'abord). La première ligne qui vous correspond donne le prix.';

export function HouseholdPricesPage(props: { ctx: PageCtx; quotient: { value: number; from: string; source: string } | null; resident: boolean; services: ExplainedService[] }) {
  const q = props.quotient;
  return (
    <Layout ctx={props.ctx} title="Combien vais-je payer ?">
      <h1>Combien vais-je payer ?</h1>
      {q ? (
        <p>
          Votre quotient familial : <strong>{q.value} €</strong>, depuis {monthLabel(q.from)} ({QUOTIENT_SOURCES[q.source as keyof typeof QUOTIENT_SOURCES] ?? 'source inconnue'}). {props.resident ? 'Votre foyer habite la commune.' : 'Votre foyer n\'habite pas la commune : le tarif « hors commune » s\'applique.'}
        </p>
      ) : (
        <NotificationBanner kind="warning" title="Quotient familial inconnu">
          <p>{NO_QUOTIENT_NOTICE}</p>
        </NotificationBanner>
      )}
      <p>{HOW_IT_WORKS}</p>
      <p>Votre quotient a changé ? Envoyez votre nouvelle attestation au service enfance : le nouveau tarif s'appliquera à partir du mois indiqué.</p>
      <ServicesPrices services={props.services} marked level={2} />
      <p>
        <a href="/reservations">Voir le prix de chaque jour dans le calendrier des réservations</a>
      </p>
    </Layout>
  );
}

/** The public simulator: a GET form (nothing is stored), then the brackets for the QF typed. */
export function SimulatorPage(props: { ctx: PageCtx; values: FormValues; errors?: FieldErrors; services: ExplainedService[] | null; places: string[] }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Simulateur de tarifs" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Simulateur de tarifs</h1>
      <p>{HOW_IT_WORKS} Rien de ce que vous saisissez n'est enregistré.</p>
      <form method="get" action="/tarifs" novalidate>
        <TextField name="qf" label="Votre quotient familial, en euros" hint="Il figure sur votre attestation CAF ou MSA. Laissez vide si vous ne le connaissez pas : le tarif le plus élevé s'applique." inputmode="numeric" width="short" autocomplete="off" errors={errors} values={props.values} />
        <Choices
          type="radio"
          name="commune"
          label={props.places.length ? `Habitez-vous ${props.places.join(' ou ')} ?` : 'Habitez-vous la commune ?'}
          inline
          options={[
            { value: 'oui', label: 'Oui' },
            { value: 'non', label: 'Non' },
          ]}
          selected={[props.values.commune ?? 'oui']}
          errors={errors}
        />
        <Button>Voir les tarifs</Button>
      </form>
      {props.services && (
        <>
          <h2>{props.values.qf ? `Tarifs pour un quotient de ${props.values.qf} €` : 'Tarifs sans quotient connu'}</h2>
          <ServicesPrices services={props.services} marked={false} level={3} />
        </>
      )}
    </Layout>
  );
}
