import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Choices, ErrorSummary, PostForm, Select, SummaryList, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong } from '../../platform/format.ts';
import { dayLabel, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import type { RequestTypeSetting } from '../requests/requests.service.ts';
import { QF_SOURCES } from './request-kinds.domain.ts';

interface DocumentChoice {
  id: string;
  status: string;
  document_date: string;
  qf_value: number | null;
  qf_month: string | null;
  type_label: string;
}

const choiceLabel = (d: DocumentChoice) =>
  d.status === 'validated'
    ? `${d.type_label} du ${formatDateLong(d.document_date)}, validé${d.qf_value !== null && d.qf_month ? ` (quotient ${d.qf_value} € à partir de ${monthLabel(d.qf_month)})` : ''}`
    : `${d.type_label} du ${formatDateLong(d.document_date)}, envoyé, à vérifier`;

/** The document to attach: the wallet's usable ones first, and the link to send a new one (photo or PDF). */
function DocumentPicker(props: { legend: string; choices: DocumentChoice[]; addHref: string | null; addLabel: string; errors: FieldErrors; selected?: string }) {
  const selected = props.selected && props.choices.some((c) => c.id === props.selected) ? props.selected : props.choices[0]?.id;
  return (
    <>
      {props.choices.length > 0 ? (
        <Choices type="radio" name="document" label={props.legend} hint="Vos documents déjà envoyés et encore valables." options={props.choices.map((c) => ({ value: c.id, label: choiceLabel(c) }))} selected={selected ? [selected] : []} errors={props.errors} />
      ) : (
        <div class={`form-group${props.errors.document ? ' form-group--error' : ''}`}>
          <p id="f-document">{props.legend} : vous n'en avez pas encore envoyé.</p>
          {props.errors.document && (
            <p class="error-message">
              <span class="visually-hidden">Erreur :</span> {props.errors.document}
            </p>
          )}
        </div>
      )}
      {props.addHref && (
        <p>
          <a href={props.addHref}>{props.addLabel}</a>
        </p>
      )}
    </>
  );
}

/** The draft reopened travels with the form; « Enregistrer le brouillon » keeps what is chosen, even nothing. */
const SendButtons = (props: { draft?: string }) => (
  <div class="button-group">
    {props.draft && <input type="hidden" name="brouillon" value={props.draft} />}
    <Button name="action" value="envoyer" variant="primary">
      Envoyer la demande
    </Button>
    <Button name="action" value="brouillon" variant="secondary">
      Enregistrer le brouillon
    </Button>
  </div>
);

export function QuotientFormPage(props: { ctx: PageCtx; setting: RequestTypeSetting; choices: DocumentChoice[]; addHref: string | null; errors?: FieldErrors; values?: FormValues }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Mettre à jour mon quotient familial" hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/demandes">Retour à mes demandes</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Mettre à jour mon quotient familial</h1>
      <p>Joignez votre attestation de quotient familial de la CAF ou de la MSA. Le service la vérifie et met à jour le quotient utilisé pour vos tarifs.</p>
      {props.setting.helpText && <p class="hint">{props.setting.helpText}</p>}
      <PostForm action="/demandes/nouvelle/quotient" csrf={props.ctx.csrf}>
        <DocumentPicker legend="Votre attestation CAF ou MSA" choices={props.choices} addHref={props.addHref} addLabel="Photographier ou envoyer une nouvelle attestation" errors={errors} selected={props.values?.document} />
        <SendButtons draft={props.values?.brouillon} />
      </PostForm>
    </Layout>
  );
}

interface MissedDay {
  id: string;
  day: string;
  first_name: string;
  service_name: string;
  unit_label: string;
}

export function AbsenceFormPage(props: { ctx: PageCtx; setting: RequestTypeSetting; days: MissedDay[]; choices: DocumentChoice[]; addHref: string | null; errors?: FieldErrors; values?: FormValues }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Justifier une absence" hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/demandes">Retour à mes demandes</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Justifier une absence</h1>
      <p>Votre enfant était réservé mais absent pour maladie ? Avec un certificat médical, ce jour n'est pas facturé une fois la demande acceptée. Un jour déjà facturé ne peut plus être justifié ainsi.</p>
      {props.setting.helpText && <p class="hint">{props.setting.helpText}</p>}
      <PostForm action="/demandes/nouvelle/absence" csrf={props.ctx.csrf}>
        <DocumentPicker legend="Le certificat médical" choices={props.choices} addHref={props.addHref} addLabel="Photographier ou envoyer un certificat médical" errors={errors} selected={props.values?.document} />
        {props.days.length > 0 ? (
          <Choices
            type="radio"
            name="jour"
            label="Le jour d'absence"
            hint="Les jours réservés passés où votre enfant n'a pas été pointé présent, sur les trois derniers mois."
            options={props.days.map((d) => ({ value: d.id, label: `${d.first_name}, ${dayLabel(d.day, true)} : ${d.service_name} – ${d.unit_label}` }))}
            selected={props.values?.jour ? [props.values.jour] : []}
            errors={errors}
          />
        ) : (
          <p id="f-jour">Aucun jour réservé récent ne peut être justifié.</p>
        )}
        <SendButtons draft={props.values?.brouillon} />
      </PostForm>
    </Layout>
  );
}

export function AgentQuotientPage(props: {
  ctx: PageCtx;
  request: { id: string; reference: string; household_id: string };
  quotient: { document_id: string | null; document_status: string | null; document_date: string | null; qf_value: number | null; qf_month: string | null; qf_source: string | null; document_qf_value: number | null; document_qf_month: string | null } | null;
  open: boolean;
  errors?: FieldErrors;
  values?: FormValues;
}) {
  const errors = props.errors ?? {};
  const q = props.quotient;
  const values = props.values ?? { quotient: q?.qf_value?.toString() ?? q?.document_qf_value?.toString(), mois: q?.qf_month ?? q?.document_qf_month ?? undefined, organisme: q?.qf_source ?? undefined };
  return (
    <Layout ctx={props.ctx} title={`Quotient familial – demande ${props.request.reference}`} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href={`/agent/demandes/${props.request.id}`}>Retour à la demande {props.request.reference}</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Quotient familial de la demande {props.request.reference}</h1>
      <SummaryList
        rows={[
          { key: 'Attestation', value: q?.document_id ? <a href={`/agent/documents/${q.document_id}`}>Voir l'attestation{q.document_date ? ` du ${formatDateLong(q.document_date)}` : ''}</a> : 'Plus disponible' },
          { key: 'Quotient retenu', value: q?.qf_value !== null && q?.qf_value !== undefined && q.qf_month ? `${q.qf_value} € à partir de ${monthLabel(q.qf_month)}` : 'Pas encore saisi' },
        ]}
      />
      {props.open ? (
        <PostForm action={`/agent/demandes/${props.request.id}/quotient`} csrf={props.ctx.csrf}>
          <TextField name="quotient" label="Quotient familial (en euros)" hint="Le nombre entier écrit sur l'attestation, par exemple 650." inputmode="numeric" width="short" errors={errors} values={values} />
          <TextField name="mois" label="À partir du mois" hint="Au format AAAA-MM, par exemple 2026-11." width="medium" errors={errors} values={values} />
          <Select name="organisme" label="Organisme" placeholder="Choisissez" options={Object.entries(QF_SOURCES).map(([value, label]) => ({ value, label }))} errors={errors} values={values} />
          <Button variant="primary">Enregistrer le quotient</Button>
        </PostForm>
      ) : (
        <p>Cette demande est close : le quotient ne se modifie plus ici.</p>
      )}
    </Layout>
  );
}
