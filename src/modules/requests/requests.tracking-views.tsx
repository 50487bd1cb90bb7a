import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, CsrfField, ErrorSummary, NotificationBanner, Pagination, Select, Table, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong, plural } from '../../platform/format.ts';
import { ACTION_LABELS, DECISIONS, REQUEST_STATUSES, STATUS_LABELS } from './requests.domain.ts';
import { StatusTag } from './requests.views.tsx';
import { ASSIGNMENT_FILTERS, DETAILS_MAX, OTHER_SUBJECT_MAX, OTHER_TEXT_MAX, SITUATION_KIND_LABELS, SITUATION_KINDS, WAITING_FILTERS, waitingText } from './requests.tracking.domain.ts';
import { FileField, fileHint } from './requests.files-views.tsx';
import type { RequestTypeSetting } from './requests.service.ts';

interface FamilyRow {
  id: string;
  reference: string;
  summary: string;
  status: string;
  created_at: string;
  updated_at: string;
  typeLabel: string;
  nextStep: string;
  waiting: boolean;
  /** What a draft still lacks before it can be sent (null: not a form's draft). */
  missing?: string[] | null;
}

/** « Mes demandes »: each request with its status and what is expected of the family next; those waiting for them first. */
export function FamilyTrackingPage(props: { ctx: PageCtx; rows: FamilyRow[] }) {
  const rows = [...props.rows.filter((r) => r.waiting), ...props.rows.filter((r) => !r.waiting)];
  const toDo = props.rows.filter((r) => r.waiting).length;
  return (
    <Layout ctx={props.ctx} title="Mes demandes">
      <h1>Mes demandes</h1>
      <p>Suivez ici vos demandes à la mairie : chaque étape est datée, et vous pouvez écrire au service.</p>
      {toDo > 0 && (
        <NotificationBanner kind="warning" title="À faire">
          <p>{toDo === 1 ? 'Une demande attend une réponse de votre part.' : `${toDo} demandes attendent une réponse de votre part.`}</p>
        </NotificationBanner>
      )}
      <div class="button-group">
        <ButtonLink href="/demandes/nouvelle" variant="primary">
          Faire une demande
        </ButtonLink>
        <ButtonLink href="/inscriptions/nouvelle">Inscrire un enfant à un service</ButtonLink>
      </div>
      <Table
        caption="Vos demandes"
        rows={rows}
        empty="Vous n'avez encore déposé aucune demande."
        columns={[
          { header: 'Référence', cell: (r) => <a href={`/demandes/${r.id}`}>{r.reference}</a> },
          {
            header: 'Demande',
            cell: (r) => (
              <>
                {r.summary}
                <br />
                <span class="hint">
                  {r.typeLabel} · déposée le {formatDateLong(r.created_at)}
                </span>
              </>
            ),
          },
          {
            header: 'État',
            cell: (r) => (
              <>
                <StatusTag status={r.status} />
                <span class="hint"> depuis le {formatDateLong(r.updated_at)}</span>
              </>
            ),
          },
          {
            header: 'Et maintenant ?',
            cell: (r) => (
              <>
                {r.waiting ? <strong>{r.nextStep}</strong> : r.nextStep}
                {r.missing && r.missing.length > 0 && (
                  <>
                    <span class="hint"> Il manque :</span>
                    <ul class="hint">
                      {r.missing.map((m) => (
                        <li>{m}</li>
                      ))}
                    </ul>
                  </>
                )}
              </>
            ),
          },
        ]}
      />
    </Layout>
  );
}

/** « Faire une demande »: the formalities the family can start from here. */
/**
 * The types the town offers online (each type's own start page), with the help text the town wrote;
 * without help text, a line that says what the type is for.
 */
const DEFAULT_HINTS: Record<string, string> = {
  enrolment: 'Cantine, garderie du matin ou du soir, mercredis, vacances.',
  situation: 'Déménagement, arrivée ou départ d\'un responsable, jugement de garde.',
  other: 'Pour toute autre question au service enfance, avec un document si besoin.',
};

export function NewRequestPage(props: { ctx: PageCtx; offered: (RequestTypeSetting & { start: { href: string; label: string } })[] }) {
  return (
    <Layout ctx={props.ctx} title="Faire une demande">
      <p>
        <a href="/demandes">Retour à mes demandes</a>
      </p>
      <h1>Faire une demande</h1>
      {props.offered.length === 0 ? (
        <p>Aucune démarche n'est proposée en ligne pour le moment : contactez la mairie.</p>
      ) : (
        <ul class="link-list">
          {props.offered.map((t) => (
            <li>
              <a href={t.start.href}>{t.start.label}</a>
              {(t.helpText || DEFAULT_HINTS[t.code]) && <p class="hint">{t.helpText || DEFAULT_HINTS[t.code]}</p>}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function SituationPage(props: { ctx: PageCtx; guardians: { id: string; name: string }[]; maxBytes: number; errors?: FieldErrors; values?: FormValues }) {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  return (
    <Layout ctx={props.ctx} title="Signaler un changement de situation" hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/demandes/nouvelle">Retour</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Signaler un changement de situation</h1>
      <p>Le service enfance vérifie votre demande avant de mettre à jour votre foyer. Vous êtes prévenu par courriel.</p>
      {/* The fields come before the file: the server reads them first, then streams the file. */}
      <form method="post" action="/demandes/nouvelle/situation" enctype="multipart/form-data" novalidate>
        <CsrfField token={props.ctx.csrf} />
        {props.values?.brouillon && <input type="hidden" name="brouillon" value={props.values.brouillon} />}
        <Choices type="radio" name="kind" label="Qu'est-ce qui change ?" options={SITUATION_KINDS.map((k) => ({ value: k, label: SITUATION_KIND_LABELS[k] }))} selected={values.kind ? [values.kind] : []} errors={errors} />
        <h2>Si vous avez déménagé</h2>
        <TextField name="address_line1" label="Numéro et rue" autocomplete="address-line1" errors={errors} values={values} />
        <TextField name="address_line2" label="Complément d'adresse (facultatif)" autocomplete="address-line2" errors={errors} values={values} />
        <TextField name="postcode" label="Code postal" width="short" inputmode="numeric" autocomplete="postal-code" errors={errors} values={values} />
        <TextField name="city" label="Commune" width="medium" autocomplete="address-level2" errors={errors} values={values} />
        <h2>Si un responsable arrive dans le foyer</h2>
        <TextField name="first_name" label="Son prénom" width="medium" errors={errors} values={values} />
        <TextField name="last_name" label="Son nom" width="medium" errors={errors} values={values} />
        <TextField name="email" type="email" label="Son adresse électronique (facultatif)" hint="Pour lui envoyer son accès au portail." spellcheck={false} errors={errors} values={values} />
        <TextField name="relationship" label="Son lien avec les enfants (facultatif)" hint="Par exemple : père, mère, beau-père." width="medium" errors={errors} values={values} />
        <h2>Si un responsable quitte le foyer</h2>
        <Select name="person" label="La personne qui quitte le foyer" placeholder="Choisissez" options={props.guardians.map((g) => ({ value: g.id, label: g.name }))} errors={errors} values={values} />
        <h2>Précisions et document</h2>
        <TextArea name="details" label="Précisions" hint={`Obligatoire pour un changement de garde : dites ce que le jugement change. ${DETAILS_MAX} caractères au maximum.`} errors={errors} values={values} rows={4} />
        <FileField name="fichier" label="Document" hint={`Le jugement de garde, obligatoire pour un changement de garde. ${fileHint(props.maxBytes, false)}${values.brouillon ? ' Un document déjà joint au brouillon reste joint.' : ''}`} errors={errors} />
        {/* The buttons carry no name: a part after the file would not be read. Saving a draft says so in the address. */}
        <div class="button-group">
          <Button>Envoyer la demande</Button>
          <button type="submit" class="btn btn--secondary" formaction="/demandes/nouvelle/situation?enregistrer=1">
            Enregistrer le brouillon
          </button>
        </div>
      </form>
    </Layout>
  );
}

export function OtherRequestPage(props: { ctx: PageCtx; maxBytes: number; errors?: FieldErrors; values?: FormValues }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Autre demande" hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/demandes/nouvelle">Retour</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Autre demande</h1>
      <form method="post" action="/demandes/nouvelle/autre" enctype="multipart/form-data" novalidate>
        <CsrfField token={props.ctx.csrf} />
        {props.values?.brouillon && <input type="hidden" name="brouillon" value={props.values.brouillon} />}
        <TextField name="subject" label="Objet de la demande" hint={`En quelques mots, par exemple « Attestation pour l'employeur ». ${OTHER_SUBJECT_MAX} caractères au maximum.`} errors={errors} values={props.values} />
        <TextArea name="text" label="Votre demande" hint={`${OTHER_TEXT_MAX} caractères au maximum.`} errors={errors} values={props.values} rows={6} />
        <FileField name="fichier" label="Document joint" hint={`${fileHint(props.maxBytes, true)}${props.values?.brouillon ? ' Un document déjà joint au brouillon reste joint.' : ''}`} errors={errors} />
        {/* The buttons carry no name: a part after the file would not be read. Saving a draft says so in the address. */}
        <div class="button-group">
          <Button>Envoyer la demande</Button>
          <button type="submit" class="btn btn--secondary" formaction="/demandes/nouvelle/autre?enregistrer=1">
            Enregistrer le brouillon
          </button>
        </div>
      </form>
    </Layout>
  );
}

interface QueueRow {
  id: string;
  reference: string;
  type: string;
  status: string;
  summary: string;
  created_at: string;
  updated_at: string;
  household_id: string;
  household_name: string;
  assigned_to: string | null;
  assigned_label: string | null;
}

export const QUEUE_STATUS_FILTERS = [{ value: 'a-traiter', label: 'À traiter' }, ...REQUEST_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })), { value: 'toutes', label: 'Toutes' }];

export interface QueueFilterValues {
  type: string;
  statut: string;
  structure: string;
  attente: string;
  attribution: string;
}

export const queueUrl = (f: QueueFilterValues, page = 1) => {
  const q = new URLSearchParams({ statut: f.statut });
  for (const key of ['type', 'structure', 'attente', 'attribution'] as const) if (f[key]) q.set(key, f[key]);
  if (page > 1) q.set('page', String(page));
  return `/agent/demandes?${q}`;
};

/** The agents' one queue of every type of request: filters, one checkbox per row, « Je m'en occupe » and decisions in bulk. */
export function TrackingQueuePage(props: {
  ctx: PageCtx;
  rows: QueueRow[];
  total: number;
  page: number;
  pageSize: number;
  now: Date;
  me: string;
  types: { value: string; label: string }[];
  facilities: { id: string; name: string }[];
  filter: QueueFilterValues;
  typeLabel: (type: string) => string;
  errors?: FieldErrors;
  values?: FormValues;
  selected?: string[];
}) {
  const { ctx, filter, errors = {}, values = {} } = props;
  const selected = new Set(props.selected ?? []);
  return (
    <Layout ctx={ctx} title="Demandes" hasErrors={Object.keys(errors).length > 0} wide>
      <ErrorSummary errors={errors} />
      <h1>Demandes</h1>
      <p>
        <a href="/agent/demandes/types">Démarches proposées aux familles et leurs textes d'aide</a>
      </p>
      <form method="get" action="/agent/demandes" class="filters">
        <Select name="type" label="Démarche" placeholder="Toutes les démarches" options={props.types} values={{ type: filter.type }} />
        <Select name="statut" label="État" options={QUEUE_STATUS_FILTERS} values={{ statut: filter.statut }} />
        <Select name="structure" label="Structure" placeholder="Toutes les structures" options={props.facilities.map((f) => ({ value: f.id, label: f.name }))} values={{ structure: filter.structure }} />
        <Select name="attente" label="En attente depuis" options={WAITING_FILTERS.map((w) => ({ value: w.value, label: w.label }))} values={{ attente: filter.attente }} />
        <Select name="attribution" label="Prises en charge" options={ASSIGNMENT_FILTERS.map((a) => ({ value: a.value, label: a.label }))} values={{ attribution: filter.attribution }} />
        <Button variant="secondary">Filtrer</Button>
      </form>
      <p>{plural(props.total, 'demande', 'demandes')}</p>
      {props.rows.length === 0 ? (
        <p class="empty">Aucune demande dans cette liste.</p>
      ) : (
        <form method="post" action="/agent/demandes" novalidate>
          <CsrfField token={ctx.csrf} />
          {(['type', 'statut', 'structure', 'attente', 'attribution'] as const).map((k) => (
            <input type="hidden" name={k} value={filter[k]} />
          ))}
          <input type="hidden" name="page" value={String(props.page)} />
          <div class={`form-group${errors.ids ? ' form-group--error' : ''}`}>
            {errors.ids && (
              <p id="f-ids" class="error-message">
                <span class="visually-hidden">Erreur :</span> {errors.ids}
              </p>
            )}
            <Table
              caption="Demandes, celles qui attendent depuis le plus longtemps d'abord"
              rows={props.rows}
              columns={[
                {
                  header: <span class="visually-hidden">Sélection</span>,
                  cell: (r) => (
                    <>
                      <input type="checkbox" name="ids" value={r.id} id={`sel-${r.id}`} checked={selected.has(r.id)} />
                      <label for={`sel-${r.id}`} class="visually-hidden">
                        Sélectionner {r.reference}
                      </label>
                    </>
                  ),
                },
                {
                  header: 'Demande',
                  cell: (r) => (
                    <>
                      <a href={`/agent/demandes/${r.id}`}>{r.reference}</a> {r.summary}
                      <br />
                      <span class="hint">{props.typeLabel(r.type)} · </span>
                      <a href={`/agent/foyers/${r.household_id}`} class="hint">
                        {r.household_name}
                      </a>
                    </>
                  ),
                },
                {
                  header: 'État',
                  cell: (r) => (
                    <>
                      <StatusTag status={r.status} />
                      <span class="hint"> {waitingText(r.updated_at, props.now)}</span>
                    </>
                  ),
                },
                { header: 'Prise en charge', cell: (r) => (r.assigned_to ? (r.assigned_to === props.me ? 'Vous' : r.assigned_label) : <span class="hint">Personne</span>) },
              ]}
            />
          </div>
          <Pagination page={props.page} pageSize={props.pageSize} total={props.total} href={(p) => queueUrl(filter, p)} />
          <h2>Pour les demandes cochées</h2>
          <div class="button-group">
            <Button name="action" value="assign" variant="secondary">
              Je m'en occupe
            </Button>
          </div>
          <TextArea name="motif" label="Motif" hint="Obligatoire pour un refus : le même motif vaut pour toutes les demandes cochées, et la famille le lira." errors={errors} values={values} rows={3} />
          <div class="button-group">
            {DECISIONS.map((d) => (
              <Button name="action" value={d} variant={d === 'refused' ? 'warning' : d === 'accepted' ? 'primary' : 'secondary'}>
                {ACTION_LABELS[d]}
              </Button>
            ))}
          </div>
        </form>
      )}
    </Layout>
  );
}

/** Who has the request in hand, and the button to take it or give it back (agent's request page). */
export function AssignmentPanel(props: { csrf: string; requestId: string; assignedTo: string | null; assignedLabel: string | null; me: string }) {
  const mine = props.assignedTo === props.me;
  return (
    <section aria-labelledby="assign-title">
      <h2 id="assign-title">Prise en charge</h2>
      <p>{props.assignedTo ? (mine ? 'Vous vous occupez de cette demande.' : `${props.assignedLabel} s'occupe de cette demande.`) : 'Personne ne s\'occupe encore de cette demande.'}</p>
      <form method="post" action={`/agent/demandes/${props.requestId}/attribution`} novalidate>
        <CsrfField token={props.csrf} />
        {mine ? (
          <Button name="prendre" value="0" variant="secondary">
            Ne plus m'en occuper
          </Button>
        ) : (
          <Button name="prendre" value="1" variant="secondary">
            Je m'en occupe
          </Button>
        )}
      </form>
    </section>
  );
}
