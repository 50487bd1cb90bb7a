import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { formatDeadline, formatOpening } from '../../platform/calendar/deadlines.domain.ts';
import { ofPeriod, type PeriodNote } from './bookings.openings.domain.ts';

/**
 * Opening days and draws, explained to families: when a period opens, how its places are given
 * (first come, first served, or a draw, with the rule in one sentence and a link to the rule text)
 * and, after a draw, what each child holds. Used on the home page and above the booking calendar.
 */

export const RULES_URL = '/reservations/attribution-des-places';

/** The headline of a note: when it opens, or where the draw stands. */
export function noteHeadline(n: PeriodNote): string {
  const p = n.period;
  const of = ofPeriod(p.label);
  const draw = p.allocation === 'draw';
  switch (n.stage) {
    case 'opens_soon':
      return draw ? `Les demandes de réservation ${of} ouvrent le ${formatOpening(n.at!)}.` : `Les réservations ${of} ouvrent le ${formatOpening(n.at!)}.`;
    case 'collecting':
      return p.requests_close_at ? `Les demandes de réservation ${of} sont ouvertes jusqu'au ${formatDeadline(new Date(p.requests_close_at))}.` : `Les demandes de réservation ${of} sont ouvertes.`;
    case 'awaiting_draw':
      return `Les demandes de réservation ${of} sont closes : le tirage au sort va avoir lieu, vous recevrez son résultat par courriel.`;
    case 'drawn':
      return `Le tirage au sort ${of} a eu lieu le ${dayLabel(p.allocated_at!.slice(0, 10))}. Voici ce que vos enfants ont aujourd'hui :`;
  }
}

/** How places are given, in one sentence. */
export function allocationRule(n: PeriodNote): string {
  const p = n.period;
  if (p.allocation !== 'draw') return 'Premier arrivé, premier servi : les places sont données dans l\'ordre des réservations ; quand un jour est complet, votre enfant passe en liste d\'attente.';
  const when = p.requests_close_at ? `Tirage au sort après la clôture des demandes, le ${formatDeadline(new Date(p.requests_close_at))}` : 'Tirage au sort après la clôture des demandes';
  const mode = p.draw_mode === 'request' ? 'les jours demandés pour un enfant dans une même semaine sont attribués ensemble, tous ou aucun' : 'chaque jour est tiré séparément';
  return `${when} : les enfants scolarisés dans la commune passent en premier, puis l'ordre est tiré au sort ; ${mode}.`;
}

/** The notes, each a short paragraph; nothing at all when there is none. `level`: the heading level of the page. */
export function PeriodNotes(props: { notes: PeriodNote[]; level?: 2 | 3 }) {
  if (props.notes.length === 0) return null;
  const H = props.level === 3 ? 'h3' : 'h2';
  return (
    <section class="period-notes" aria-labelledby="period-notes-title">
      <H id="period-notes-title">Ouvertures et tirages au sort</H>
      <ul>
        {props.notes.map((n) => (
          <li>
            <p>{noteHeadline(n)}</p>
            {n.stage === 'drawn' ? (
              <ul>
                {n.results.map((r) => (
                  <li>{r.text}</li>
                ))}
              </ul>
            ) : (
              <p class="hint">{allocationRule(n)}</p>
            )}
          </li>
        ))}
      </ul>
      <p>
        <a href={RULES_URL}>Comment les places sont attribuées</a>
      </p>
    </section>
  );
}

/** The rule text the notes link to. */
export function AllocationRulesPage(props: { ctx: PageCtx }) {
  return (
    <Layout ctx={props.ctx} title="Comment les places sont attribuées">
      <h1>Comment les places sont attribuées</h1>
      <p>Chaque période (semaines d'école, vacances) ouvre ses réservations à une date et une heure fixées par la mairie. Avant, les jours s'affichent mais ne peuvent pas être cochés.</p>
      <h2 id="premier-arrive">Premier arrivé, premier servi</h2>
      <p>Pour la plupart des périodes, les places sont données dans l'ordre où les réservations arrivent. Quand un jour est complet, votre enfant passe en liste d'attente : vous voyez sa place sur la liste, et il obtient la place dès qu'une se libère. Vous en êtes prévenu.</p>
      <h2 id="tirage">Tirage au sort</h2>
      <p>Pour certaines périodes très demandées, la mairie recueille les demandes jusqu'à une date de clôture, puis tire les places au sort. L'heure à laquelle vous faites votre demande ne compte pas.</p>
      <ul>
        <li>Les enfants scolarisés dans une école de la commune passent en premier.</li>
        <li>Ensuite, l'ordre est tiré au sort. Le tirage est reproductible : refait sur les mêmes demandes, il donne le même résultat, et la mairie peut montrer comment il a été obtenu.</li>
        <li>Selon la période, chaque jour est tiré séparément (votre enfant peut obtenir une partie des jours), ou les jours demandés pour un enfant dans une même semaine sont attribués ensemble, tous ou aucun.</li>
        <li>Les enfants qui n'obtiennent pas de place passent en liste d'attente, dans l'ordre du tirage.</li>
      </ul>
      <p>Le résultat vous est envoyé par courriel et s'affiche sur votre page d'accueil et sur la page des réservations.</p>
      <h2 id="liste-attente">Liste d'attente</h2>
      <p>Quand une place se libère un jour, elle va au premier enfant de la liste d'attente de ce jour. Sa famille en est prévenue par un message.</p>
      <p>
        <a href="/reservations">Aller aux réservations</a>
      </p>
    </Layout>
  );
}
