import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { ButtonLink, NotificationBanner } from '../../platform/ui/components.tsx';
import { addDays, dayLabel, todayIn } from '../../platform/calendar/calendar.domain.ts';
import { formatDeadline } from '../../platform/calendar/deadlines.domain.ts';
import { formatDateLong } from '../../platform/format.ts';
import type { ServiceKind } from '../../platform/db/schema-services.ts';
import { ageOn, PENDING_KIND_LABELS } from '../households/households.domain.ts';
import { allocationRule, noteHeadline, RULES_URL } from '../bookings/bookings.openings.components.tsx';
import type { PeriodNote } from '../bookings/bookings.openings.domain.ts';
import { NewsList, type NewsItem } from '../messaging/messaging.components.tsx';
import type { DeadlineItem, InfoItem, OpenRequest, TodoItem, WeekDay, WeekEntry } from './home.domain.ts';

/**
 * The family's home page: « À faire », « À savoir », then each child with « Cette semaine ». Every
 * item is one sentence with a link to where it is done or read.
 */

/** The words families use for each kind of service (« la cantine de Léa »). */
const SERVICE_WORDS: Record<ServiceKind, { the: string; to: string; bare: string }> = {
  canteen: { the: 'la cantine', to: 'à la cantine', bare: 'cantine' },
  morning: { the: 'l\'accueil du matin', to: 'à l\'accueil du matin', bare: 'accueil du matin' },
  evening: { the: 'l\'accueil du soir', to: 'à l\'accueil du soir', bare: 'accueil du soir' },
  wednesday: { the: 'l\'accueil du mercredi', to: 'à l\'accueil du mercredi', bare: 'accueil du mercredi' },
  holiday: { the: 'le centre de loisirs', to: 'au centre de loisirs', bare: 'centre de loisirs' },
};

const REQUEST_STATE: Record<string, string> = {
  submitted: 'envoyée, elle attend d\'être examinée',
  in_review: 'en cours d\'examen par le service enfance',
  waiting_list: 'en liste d\'attente',
};
const ENROLMENT_STATE: Record<string, string> = {
  submitted: 'est envoyée : elle attend d\'être examinée',
  in_review: 'est en cours d\'examen par le service enfance',
  waiting_list: 'est en liste d\'attente',
};

/** « 14 décembre »: a day without its weekday (« la semaine du 14 décembre »). */
const dayMonth = (day: string) => dayLabel(day).replace(/^\S+ /, '');
const ordinal = (n: number) => `${n}${n === 1 ? 'ʳᵉ' : 'ᵉ'} place`;
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** « avant mardi 8 décembre, 12 h », or « avant 12 h aujourd'hui ». */
function before(until: Date, now: Date) {
  if (todayIn(until) === todayIn(now)) {
    const time = formatDeadline(until).split(', ').pop()!;
    return `avant ${time} aujourd'hui`;
  }
  return `avant ${formatDeadline(until)}`;
}

function DeadlineLine({ d, now }: { d: DeadlineItem; now: Date }) {
  const what = `${SERVICE_WORDS[d.serviceKind].the} de ${d.firstName} pour la semaine du ${dayMonth(d.monday)}`;
  return (
    <>
      Réservez {before(d.until, now)} {what}.{' '}
      <a href={`/reservations/semaine?du=${d.monday}`}>
        Réserver<span class="visually-hidden"> {what}</span>
      </a>
    </>
  );
}

function NoteLine({ note }: { note: PeriodNote }) {
  return (
    <>
      {noteHeadline(note)}
      {note.stage === 'drawn' ? (
        <ul>
          {note.results.map((r) => (
            <li>{r.text}</li>
          ))}
        </ul>
      ) : (
        <>
          {' '}
          {allocationRule(note)}
        </>
      )}{' '}
      <a href={RULES_URL}>Comment les places sont attribuées</a> · <a href={`/reservations?mois=${note.period.start_date.slice(0, 7)}`}>Voir le calendrier<span class="visually-hidden"> {note.period.label}</span></a>
    </>
  );
}

const requestName = (r: OpenRequest) => `votre demande ${r.reference} (${r.summary})`;

function TodoLine({ item, now }: { item: TodoItem; now: Date }) {
  switch (item.kind) {
    case 'deadline':
      return <DeadlineLine d={item.item} now={now} />;
    case 'opening':
      return <NoteLine note={item.note} />;
    case 'reply':
      return (
        <>
          Le service enfance vous a écrit au sujet de {requestName(item.request)} et attend votre réponse.{' '}
          <a href={`/demandes/${item.request.id}`}>
            Répondre<span class="visually-hidden"> au sujet de la demande {item.request.reference}</span>
          </a>
        </>
      );
  }
}

function InfoLine({ item }: { item: InfoItem }) {
  switch (item.kind) {
    case 'draw':
      return <NoteLine note={item.note} />;
    case 'enrolment': {
      const e = item.enrolment;
      return (
        <>
          L'inscription de {e.first_name} {SERVICE_WORDS[e.service_kind].to} {ENROLMENT_STATE[e.status] ?? 'est en cours'}.{' '}
          <a href={`/demandes/${e.request_id}`}>
            Suivre la demande<span class="visually-hidden"> d'inscription de {e.first_name}</span>
          </a>
        </>
      );
    }
    case 'request':
      return (
        <>
          {capital(requestName(item.request))} est {REQUEST_STATE[item.request.status] ?? 'en cours'}.{' '}
          <a href={`/demandes/${item.request.id}`}>
            Suivre la demande<span class="visually-hidden"> {item.request.reference}</span>
          </a>
        </>
      );
    case 'change': {
      const c = item.change;
      return c.status === 'pending' ? (
        <>
          {PENDING_KIND_LABELS[c.kind]} envoyée le {formatDateLong(c.submitted_at)} : en attente de validation par la mairie. <a href="/famille/foyer">Voir mon foyer</a>
        </>
      ) : (
        <>
          {PENDING_KIND_LABELS[c.kind]} refusée : {c.reason}. <a href="/famille/foyer">Voir le détail</a>
        </>
      );
    }
    case 'notice':
      return (
        <>
          <span class="hint">{formatDateLong(item.notice.at)} : </span>
          {item.notice.text} <a href={item.href}>{item.href === '/demandes' ? 'Voir mes demandes' : 'Voir mes réservations'}</a>
        </>
      );
  }
}

function entryText(e: WeekEntry) {
  const what = e.serviceKind === 'holiday' || e.serviceKind === 'wednesday' ? `${SERVICE_WORDS[e.serviceKind].bare} (${e.unit.toLowerCase()})` : SERVICE_WORDS[e.serviceKind].bare;
  if (e.kind === 'waiting') return `${what} : liste d'attente${e.position ? `, ${ordinal(e.position)}` : ''}`;
  if (e.kind === 'requested') return `${what} : demandé, en attente du tirage au sort`;
  return what;
}

function dayText(d: WeekDay) {
  if (d.entries.length > 0) return d.entries.map(entryText).join(', ');
  if (d.closed?.why === 'public_holiday') return `jour férié${d.closed.name ? ` (${d.closed.name})` : ''}`;
  if (d.closed?.why === 'closure') return `accueil fermé${d.closed.name ? ` : ${d.closed.name}` : ''}`;
  if (d.closed?.why === 'school_holidays') return 'vacances scolaires';
  return 'rien de réservé';
}

export interface HomeProps {
  ctx: PageCtx;
  now: Date;
  today: string;
  /** null: an account not yet linked to a household. */
  home: {
    household: { name: string };
    members: { id: string; role: string; first_name: string; last_name: string; birth_date: string | null; school: string | null; class_level: string | null }[];
    lists: { todo: TodoItem[]; info: InfoItem[]; nothing: boolean };
    week: { monday: string; next: boolean };
    weeks: Map<string, WeekDay[] | null>;
    /** Messages from the town not yet opened (messaging). */
    unread: number;
    /** The town's current news and menus. */
    news: NewsItem[];
  } | null;
}

export function HomePage(props: HomeProps) {
  const { ctx, home } = props;
  const children = home?.members.filter((m) => m.role === 'child') ?? [];
  const weekTitle = home?.week.next ? 'La semaine prochaine' : 'Cette semaine';
  const weekSpan = home ? `du ${dayLabel(home.week.monday)} au ${dayLabel(addDays(home.week.monday, 4))}` : '';
  return (
    <Layout ctx={ctx} title="Mon espace famille">
      <h1>Bonjour {ctx.acting ? home?.household.name : ctx.user?.name}</h1>
      {!home && (
        <NotificationBanner kind="info" title="Compte en attente de rattachement">
          <p>Votre compte est créé. La mairie doit maintenant le relier à votre foyer ; vous recevrez un courriel quand ce sera fait.</p>
          <p>Pour aller plus vite, vous pouvez passer à l'accueil du service enfance avec un justificatif de domicile.</p>
        </NotificationBanner>
      )}
      {home && (
        <>
          <p class="home-messages">
            <a href="/messages">{home.unread > 0 ? `Messages : ${home.unread} non lu${home.unread > 1 ? 's' : ''}` : 'Messages de la mairie'}</a>
          </p>
          <h2>À faire</h2>
          {home.lists.todo.length > 0 ? (
            <ul class="todo">
              {home.lists.todo.map((item) => (
                <li>
                  <TodoLine item={item} now={props.now} />
                </li>
              ))}
            </ul>
          ) : (
            <p>{home.lists.nothing ? 'Rien à faire pour le moment.' : 'Rien à faire de votre côté pour le moment : voici ce qui est en cours.'}</p>
          )}
          {home.lists.info.length > 0 && (
            <>
              <h2>À savoir</h2>
              <ul class="todo">
                {home.lists.info.map((item) => (
                  <li>
                    <InfoLine item={item} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <h2>Vos enfants</h2>
          {children.length === 0 ? (
            <p>Aucun enfant enregistré pour le moment.</p>
          ) : (
            <ul class="cards">
              {children.map((c) => {
                const week = home.weeks.get(c.id);
                return (
                  <li class="card">
                    <h3>
                      <a href={`/famille/enfants/${c.id}`}>
                        {c.first_name} {c.last_name}
                      </a>
                    </h3>
                    <p>
                      {c.birth_date ? `${ageOn(c.birth_date, props.today)} ans` : ''}
                      {c.school ? ` · ${c.school}` : ''}
                      {c.class_level ? ` · ${c.class_level}` : ''}
                    </p>
                    <h4>
                      {weekTitle}
                      <span class="hint"> ({weekSpan})</span>
                    </h4>
                    {week ? (
                      <ul class="week-list">
                        {week.map((d) => (
                          <li>
                            {capital(dayLabel(d.day))} : {dayText(d)}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      <p>
                        Aucune inscription à un service pour le moment. <a href="/inscriptions/nouvelle">Inscrire {c.first_name} à un service</a>
                      </p>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          <div class="button-group">
            <ButtonLink href="/reservations" variant="primary" only="wide">
              Réserver la cantine et l'accueil
            </ButtonLink>
            <ButtonLink href="/reservations/semaine" variant="primary" only="narrow">
              Réserver la cantine et l'accueil
            </ButtonLink>
            <ButtonLink href="/famille/foyer">Mon foyer</ButtonLink>
            <ButtonLink href="/famille/enfants/ajouter">Ajouter un enfant</ButtonLink>
            <a href="/famille/historique">Historique</a>
          </div>
          <NewsList items={home.news} />
        </>
      )}
    </Layout>
  );
}
