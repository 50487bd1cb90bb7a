import type { ComponentChildren } from 'preact';
import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, ErrorSummary, NotificationBanner, Pagination, PostForm, Select, SummaryList, Table, TextArea, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong } from '../../platform/format.ts';
import type { ServiceKind } from '../../platform/db/schema-services.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { ACTION_LABELS, BULK_DECISIONS, REQUEST_STATUSES, STATUS_LABELS } from '../requests/requests.domain.ts';
import { StatusTag } from '../requests/requests.components.tsx';
import type { Answers } from './enrolments.service.ts';
import type { EnrolmentStanding } from './enrolments.domain.ts';
import { standingText } from './enrolments.outcomes.ts';
import type { QueueRow } from './enrolments.repository.ts';

/** The words families use beside the official names. */
export const KIND_HINTS: Record<ServiceKind, string> = {
  canteen: 'Cantine, le midi',
  morning: 'Garderie du matin',
  evening: 'Garderie du soir',
  wednesday: 'Accueil de loisirs du mercredi',
  holiday: 'Accueil de loisirs pendant les vacances',
};

export const FLOW = '/inscriptions/nouvelle';
export const STEP_URLS = { enfant: FLOW, service: `${FLOW}/service`, annee: `${FLOW}/annee`, pieces: `${FLOW}/pieces`, verifier: `${FLOW}/verifier` } as const;

/** A step URL with the answers given so far (and the way back to the check page). */
export function stepUrl(step: keyof typeof STEP_URLS, answers: Answers, fromCheck = false) {
  const q = new URLSearchParams();
  for (const k of ['enfant', 'service', 'annee'] as const) if (answers[k]) q.set(k, answers[k]);
  for (const p of answers.pieces ?? []) q.append('piece', p);
  if (fromCheck) q.set('verifier', '1');
  const s = q.toString();
  return `${STEP_URLS[step]}${s ? `?${s}` : ''}`;
}

interface Child {
  id: string;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  class_level: string | null;
  school: string | null;
  sex: string | null;
}
interface Service {
  id: string;
  name: string;
  kind: string;
  facility_name: string;
}
/** A service offered at the service step, with where the child stands for it that year (null: may ask). */
interface ServiceOffer extends Service {
  standing: EnrolmentStanding;
}
interface Year {
  id: string;
  label: string;
  start_date: string;
  end_date: string;
}

const yearHint = (y: Year) => `Du ${dayLabel(y.start_date, true)} au ${dayLabel(y.end_date, true)}`;

/** One question per page: a GET form to itself that carries the other answers in hidden fields. */
function StepPage(props: { ctx: PageCtx; title: string; back: string; action: string; answers: Answers; keep: ('enfant' | 'service' | 'annee')[]; fromCheck: boolean; errors?: FieldErrors; caption: string; children: ComponentChildren }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title={props.title} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href={props.back}>Retour</a>
      </p>
      <ErrorSummary errors={errors} />
      <span class="hint">{props.caption}</span>
      <form method="get" action={props.action} novalidate>
        {props.keep.map((k) => props.answers[k] && <input type="hidden" name={k} value={props.answers[k]} />)}
        {(props.answers.pieces ?? []).map((p) => (
          <input type="hidden" name="piece" value={p} />
        ))}
        {props.fromCheck && <input type="hidden" name="verifier" value="1" />}
        <input type="hidden" name="continuer" value="1" />
        {props.children}
        <Button>Continuer</Button>
      </form>
    </Layout>
  );
}

export function ChildStepPage(props: { ctx: PageCtx; kids: Child[]; answers: Answers; fromCheck: boolean; errors?: FieldErrors }) {
  const { answers } = props;
  return (
    <StepPage ctx={props.ctx} title="Quel enfant voulez-vous inscrire ?" caption="Inscrire un enfant à un service – étape 1 sur 3" back={props.fromCheck ? stepUrl('verifier', answers) : '/demandes'} action={STEP_URLS.enfant} answers={answers} keep={['service', 'annee']} fromCheck={props.fromCheck} errors={props.errors}>
      {props.kids.length === 0 ? (
        <p>
          Aucun enfant n'est enregistré dans votre foyer. <a href="/famille/enfants/ajouter">Ajoutez d'abord votre enfant</a>.
        </p>
      ) : (
        <Choices
          type="radio"
          name="enfant"
          legendAsHeading
          label="Quel enfant voulez-vous inscrire ?"
          options={props.kids.map((c) => ({ value: c.id, label: `${c.first_name} ${c.last_name}`, hint: [c.school, c.class_level].filter(Boolean).join(', ') || undefined }))}
          selected={answers.enfant ? [answers.enfant] : []}
          errors={props.errors}
        />
      )}
    </StepPage>
  );
}

export function YearStepPage(props: { ctx: PageCtx; child: Child; years: Year[]; answers: Answers; fromCheck: boolean; errors?: FieldErrors }) {
  const { answers } = props;
  const title = 'Pour quelle année scolaire ?';
  return (
    <StepPage ctx={props.ctx} title={title} caption="Inscrire un enfant à un service – étape 2 sur 3" back={props.fromCheck ? stepUrl('verifier', answers) : stepUrl('enfant', answers)} action={STEP_URLS.annee} answers={answers} keep={['enfant', 'service']} fromCheck={props.fromCheck} errors={props.errors}>
      {props.years.length === 0 ? (
        <>
          <h1>{title}</h1>
          <p>Les inscriptions ne sont pas encore ouvertes : aucune année scolaire n'est proposée pour le moment.</p>
        </>
      ) : (
        <Choices type="radio" name="annee" legendAsHeading label={title} options={props.years.map((y) => ({ value: y.id, label: y.label, hint: yearHint(y) }))} selected={answers.annee ? [answers.annee] : []} errors={props.errors} />
      )}
    </StepPage>
  );
}

export function ServiceStepPage(props: { ctx: PageCtx; child: Child; year: Year; services: ServiceOffer[]; answers: Answers; fromCheck: boolean; errors?: FieldErrors }) {
  const { answers, child, year } = props;
  const title = `À quel service voulez-vous inscrire ${child.first_name} ?`;
  const free = props.services.filter((s) => !s.standing);
  const taken = props.services.filter((s) => s.standing);
  return (
    <StepPage ctx={props.ctx} title={title} caption={`Inscrire un enfant à un service – étape 3 sur 3 – année scolaire ${year.label}`} back={props.fromCheck ? stepUrl('verifier', answers) : stepUrl('annee', answers)} action={STEP_URLS.service} answers={answers} keep={['enfant', 'annee']} fromCheck={props.fromCheck} errors={props.errors}>
      {free.length === 0 ? (
        <>
          <h1>{title}</h1>
          <p>
            {taken.length === 0
              ? `Aucun service ne correspond à l'école, à l'âge ou à la classe de ${child.first_name}. Le service enfance de la mairie peut vous renseigner.`
              : `${child.first_name} est déjà inscrit${child.sex === 'F' ? 'e' : ''} ou a déjà une demande pour chaque service proposé en ${year.label}.`}
          </p>
        </>
      ) : (
        <Choices
          type="radio"
          name="service"
          legendAsHeading
          label={title}
          hint={`Les services de l'école de ${child.first_name} et des accueils de loisirs, selon son âge et sa classe.`}
          options={free.map((s) => ({ value: s.id, label: `${s.name} – ${s.facility_name}`, hint: KIND_HINTS[s.kind as ServiceKind] }))}
          selected={answers.service ? [answers.service] : []}
          errors={props.errors}
        />
      )}
      {taken.length > 0 && (
        <>
          <h2>Services déjà demandés pour {year.label}</h2>
          <ul>
            {taken.map((s) => (
              <li>
                {s.name} – {s.facility_name} : <strong>{s.standing && standingText(s.standing, child.sex, formatDateLong)}</strong>
              </li>
            ))}
          </ul>
          <p>
            <a href="/demandes">Voir mes demandes</a>
          </p>
        </>
      )}
    </StepPage>
  );
}

export function CheckPage(props: { ctx: PageCtx; child: Child; service: Service; year: Year; answers: Answers; pieces?: { label: string; value: string; id: string }[]; errors?: FieldErrors }) {
  const { ctx, child, service, year, answers } = props;
  const errors = props.errors ?? {};
  const change = (step: 'enfant' | 'service' | 'annee' | 'pieces', what: string) => (
    <a href={stepUrl(step, answers, true)}>
      Modifier<span class="visually-hidden"> {what}</span>
    </a>
  );
  return (
    <Layout ctx={ctx} title="Vérifiez vos réponses" hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href={stepUrl('service', answers)}>Retour</a>
      </p>
      {Object.keys(errors).length > 0 && (
        <div class="error-summary" role="alert" tabIndex={-1} data-module="error-summary" aria-labelledby="error-summary-title">
          <h2 id="error-summary-title" class="error-summary__title">Il y a un problème</h2>
          <ul class="error-summary__list">
            {Object.values(errors).map((m) => (
              <li>{m}</li>
            ))}
          </ul>
        </div>
      )}
      <h1>Vérifiez vos réponses</h1>
      <SummaryList
        rows={[
          { key: 'Enfant', value: `${child.first_name} ${child.last_name}`, action: change('enfant', 'l\'enfant') },
          { key: 'Service', value: `${service.name} – ${service.facility_name}`, action: change('service', 'le service') },
          { key: 'Année scolaire', value: <>{year.label} <span class="hint">({yearHint(year).toLowerCase()})</span></>, action: change('annee', 'l\'année scolaire') },
          ...(props.pieces ?? []).map((p) => ({ key: p.label, value: p.value, action: change('pieces', p.label.toLowerCase()) })),
        ]}
      />
      <h2>Envoyer la demande</h2>
      <p>En envoyant cette demande, vous demandez à la mairie d'inscrire {child.first_name} à ce service. Le service enfance l'examine ; une fois acceptée, vous pourrez réserver les jours.</p>
      <PostForm action={FLOW} csrf={ctx.csrf}>
        <input type="hidden" name="enfant" value={child.id} />
        <input type="hidden" name="service" value={service.id} />
        <input type="hidden" name="annee" value={year.id} />
        {(props.pieces ?? []).map((p) => (
          <input type="hidden" name="piece" value={p.id} />
        ))}
        <Button>Envoyer la demande</Button>
      </PostForm>
    </Layout>
  );
}

export function ConfirmationPage(props: { ctx: PageCtx; request: { id: string; reference: string; summary: string } }) {
  const { request } = props;
  return (
    <Layout ctx={props.ctx} title="Demande envoyée">
      <div class="panel" role="status">
        <h1>Demande envoyée</h1>
        <p>Votre référence</p>
        <p class="code-box">{request.reference}</p>
      </div>
      <p>{request.summary}.</p>
      <p>Nous vous avons envoyé un courriel de confirmation.</p>
      <h2>Et ensuite ?</h2>
      <ol>
        <li>Le service enfance examine votre demande (elle passe « en instruction »).</li>
        <li>Il l'accepte, la refuse en vous disant pourquoi, ou la place sur liste d'attente s'il n'y a plus de place.</li>
        <li>Vous êtes prévenu par courriel et sur le portail à chaque étape. Une fois l'inscription acceptée, vous pourrez réserver les jours.</li>
      </ol>
      <p>
        Vous pouvez suivre votre demande et écrire au service sur la page <a href={`/demandes/${request.id}`}>de la demande {request.reference}</a>.
      </p>
      <div class="button-group">
        <ButtonLink href="/demandes">Voir mes demandes</ButtonLink>
        <a href={FLOW}>Inscrire un autre enfant ou à un autre service</a>
      </div>
    </Layout>
  );
}

export const QUEUE_FILTERS = [
  { value: 'a-traiter', label: 'À traiter (déposées et en instruction)' },
  // The enrolment's own statuses (never a draft; « en instruction » while a complement is awaited).
  ...REQUEST_STATUSES.filter((s) => s !== 'draft' && s !== 'complement_requested').map((s) => ({ value: s, label: STATUS_LABELS[s] })),
  { value: 'toutes', label: 'Toutes' },
];

export function QueuePage(props: {
  ctx: PageCtx;
  rows: QueueRow[];
  total: number;
  page: number;
  pageSize: number;
  services: { id: string; name: string; facility_name: string }[];
  filter: { statut: string; service: string };
  errors?: FieldErrors;
  values?: FormValues;
  selected?: string[];
}) {
  const { ctx, filter, errors = {}, values = {} } = props;
  const selected = new Set(props.selected ?? []);
  const query = (page: number) => {
    const q = new URLSearchParams({ statut: filter.statut });
    if (filter.service) q.set('service', filter.service);
    if (page > 1) q.set('page', String(page));
    return `/agent/inscriptions?${q}`;
  };
  return (
    <Layout ctx={ctx} title="Inscriptions" hasErrors={Object.keys(errors).length > 0} wide>
      <ErrorSummary errors={errors} />
      <h1>Inscriptions</h1>
      <form method="get" action="/agent/inscriptions" class="filters">
        <Select name="statut" label="État" options={QUEUE_FILTERS} values={{ statut: filter.statut }} />
        <Select name="service" label="Service" placeholder="Tous les services" options={props.services.map((s) => ({ value: s.id, label: `${s.name} – ${s.facility_name}` }))} values={{ service: filter.service }} />
        <Button variant="secondary">Filtrer</Button>
      </form>
      <p>
        {props.total} demande{props.total > 1 ? 's' : ''}
      </p>
      {props.rows.length === 0 ? (
        <p class="empty">Aucune inscription dans cette liste.</p>
      ) : (
        <PostForm action="/agent/inscriptions" csrf={ctx.csrf}>
          <input type="hidden" name="statut" value={filter.statut} />
          <input type="hidden" name="service_filtre" value={filter.service} />
          <input type="hidden" name="page" value={String(props.page)} />
          <div class={`form-group${errors.ids ? ' form-group--error' : ''}`}>
            {errors.ids && (
              <p id="f-ids" class="error-message">
                <span class="visually-hidden">Erreur :</span> {errors.ids}
              </p>
            )}
            <Table
              caption="Demandes d'inscription, les plus anciennes d'abord"
              rows={props.rows}
              columns={[
                {
                  header: <span class="visually-hidden">Sélection</span>,
                  cell: (r) => (
                    <>
                      <input type="checkbox" name="ids" value={r.request_id} id={`sel-${r.request_id}`} checked={selected.has(r.request_id)} />
                      <label for={`sel-${r.request_id}`} class="visually-hidden">
                        Sélectionner {r.reference}, {r.first_name} {r.last_name}
                      </label>
                    </>
                  ),
                },
                { header: 'Référence', cell: (r) => <a href={`/agent/demandes/${r.request_id}`}>{r.reference}</a> },
                {
                  header: 'Enfant',
                  cell: (r) => (
                    <>
                      {r.first_name} {r.last_name}
                      <span class="hint">
                        {' '}
                        {[r.class_level, r.birth_date ? `date de naissance : ${r.birth_date.split('-').reverse().join('/')}` : null].filter(Boolean).join(', ')}
                      </span>
                      <br />
                      <a href={`/agent/foyers/${r.household_id}`} class="hint">
                        {r.household_name}
                      </a>
                    </>
                  ),
                },
                { header: 'Service', cell: (r) => `${r.service_name} – ${r.facility_name}` },
                { header: 'Année', cell: (r) => r.year_label },
                { header: 'Déposée le', cell: (r) => formatDateLong(r.created_at) },
                { header: 'État', cell: (r) => <><StatusTag status={r.status} />{r.group_name && <span class="hint"> {r.group_name}</span>}</> },
              ]}
            />
          </div>
          <Pagination page={props.page} pageSize={props.pageSize} total={props.total} href={query} />
          <h2>Pour les demandes cochées</h2>
          <TextArea name="motif" label="Motif" hint="Obligatoire pour un refus : le même motif vaut pour toutes les demandes cochées, et la famille le lira." errors={errors} values={values} rows={3} />
          <NotificationBanner kind="info" title="À savoir">
            <p>Accepter ou refuser une demande encore « déposée » la fait passer en instruction en même temps. Chaque famille est prévenue par courriel.</p>
          </NotificationBanner>
          <div class="button-group">
            {BULK_DECISIONS.map((d) => (
              <Button name="action" value={d} variant={d === 'refused' ? 'warning' : d === 'accepted' ? 'primary' : 'secondary'}>
                {ACTION_LABELS[d]}
              </Button>
            ))}
          </div>
        </PostForm>
      )}
    </Layout>
  );
}
