import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, CsrfField, ErrorSummary, PostForm, SummaryList, Table, Tag, TextArea, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime } from '../../platform/format.ts';
import { ACTION_LABELS, isRequestStatus, MESSAGE_MAX, STATUS_LABELS, STATUS_TONES, type Decision, type RequestStatus } from './requests.domain.ts';
import type { ComponentChildren } from 'preact';
import { AttachmentLinks, FileField, fileHint } from './requests.files-views.tsx';
import type { AttachmentRow } from './requests.tracking.repository.ts';

export function StatusTag({ status }: { status: string }) {
  if (!isRequestStatus(status)) return <Tag>{status}</Tag>;
  return <Tag tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Tag>;
}

interface RequestListRow {
  id: string;
  reference: string;
  summary: string;
  status: string;
  created_at: string;
  updated_at: string;
}

export function FamilyRequestsPage(props: { ctx: PageCtx; rows: RequestListRow[] }) {
  return (
    <Layout ctx={props.ctx} title="Mes demandes">
      <h1>Mes demandes</h1>
      <p>Suivez ici vos demandes à la mairie : chaque étape est datée, et vous pouvez écrire au service.</p>
      <div class="button-group">
        <ButtonLink href="/inscriptions/nouvelle" variant="primary">
          Inscrire un enfant à un service
        </ButtonLink>
      </div>
      <Table
        caption="Vos demandes"
        rows={props.rows}
        empty="Vous n'avez encore déposé aucune demande."
        columns={[
          { header: 'Référence', cell: (r) => <a href={`/demandes/${r.id}`}>{r.reference}</a> },
          { header: 'Demande', cell: (r) => r.summary },
          { header: 'Déposée le', cell: (r) => formatDateLong(r.created_at) },
          { header: 'État', cell: (r) => <><StatusTag status={r.status} /><span class="hint"> depuis le {formatDateLong(r.updated_at)}</span></> },
        ]}
      />
    </Layout>
  );
}

interface RequestView {
  request: { id: string; reference: string; summary: string; status: string; household_id: string; created_at: string };
  status: RequestStatus;
  typeLabel: string;
  events: { id: string; at: string; actor_label: string; from_status: string | null; to_status: string; note: string | null }[];
  messages: { id: string; at: string; author_label: string; from_family: number; body: string }[];
  details: { key: string; value: string }[];
}

function Timeline({ events }: { events: RequestView['events'] }) {
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li class="panel">
          <p>
            <StatusTag status={e.to_status} /> le {formatDateTime(e.at)}, par {e.actor_label}
          </p>
          {e.note && <p>Motif : {e.note}</p>}
        </li>
      ))}
    </ol>
  );
}

function Messages(props: { messages: RequestView['messages']; audience: 'family' | 'agent'; attachments: AttachmentRow[]; base: string }) {
  if (props.messages.length === 0) return <p class="empty">Aucun message pour le moment.</p>;
  return (
    <ol class="messages">
      {props.messages.map((m) => (
        <li class="panel">
          <p class="hint">
            {m.from_family ? (props.audience === 'family' ? 'Vous' : 'La famille') : 'Le service'} – {m.author_label}, le {formatDateTime(m.at)} :
          </p>
          <p class="message-body">
            {m.body.split('\n').map((line, i) => (
              <>
                {i > 0 && <br />}
                {line}
              </>
            ))}
          </p>
          <AttachmentLinks attachments={props.attachments.filter((a) => a.message_id === m.id)} base={props.base} />
        </li>
      ))}
    </ol>
  );
}

export function RequestPage(
  props: RequestView & {
    ctx: PageCtx;
    audience: 'family' | 'agent';
    decisions?: Decision[];
    household?: { id: string };
    errors?: FieldErrors;
    values?: FormValues;
    /** Files of the request and of its messages (requests.tracking-service.ts). */
    attachments?: AttachmentRow[];
    /** What the family is expected to do next (family side). */
    nextStep?: string;
    /** Who has the request in hand, and the button to take it (agent side). */
    assignment?: ComponentChildren;
    /** The size limit of a file joined to a message; none: messages without files. */
    maxBytes?: number;
  },
) {
  const { ctx, request, errors = {}, values = {} } = props;
  const base = props.audience === 'family' ? `/demandes/${request.id}` : `/agent/demandes/${request.id}`;
  const attachments = props.attachments ?? [];
  const ownFiles = attachments.filter((a) => a.message_id === null);
  return (
    <Layout ctx={ctx} title={`Demande ${request.reference}`} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href={props.audience === 'family' ? '/demandes' : '/agent/demandes'}>{props.audience === 'family' ? 'Toutes mes demandes' : 'Toutes les demandes'}</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{request.summary}</h1>
      <p>
        Demande {request.reference} · {props.typeLabel} · <StatusTag status={request.status} />
      </p>
      <SummaryList
        rows={[
          { key: 'Référence', value: request.reference },
          { key: 'Déposée le', value: formatDateLong(request.created_at) },
          ...props.details.map((d) => ({ key: d.key, value: d.value })),
          ...(props.household ? [{ key: 'Foyer', value: <a href={`/agent/foyers/${props.household.id}`}>Voir le foyer</a> }] : []),
          ...(props.nextStep ? [{ key: 'Et maintenant ?', value: props.nextStep }] : []),
        ]}
      />
      {ownFiles.length > 0 && (
        <>
          <h2>Documents joints à la demande</h2>
          <AttachmentLinks attachments={ownFiles} base={base} />
        </>
      )}
      {props.assignment}
      {props.audience === 'agent' && props.decisions && props.decisions.length > 0 && (
        <section aria-labelledby="decision-title">
          <h2 id="decision-title">Décision</h2>
          <PostForm action={`${base}/decision`} csrf={ctx.csrf}>
            <TextArea name="motif" label="Motif" hint="Obligatoire pour un refus ; la famille le lira." errors={errors} values={values} rows={3} />
            <div class="button-group">
              {props.decisions.map((d) => (
                <Button name="action" value={d} variant={d === 'refused' ? 'warning' : d === 'accepted' ? 'primary' : 'secondary'}>
                  {ACTION_LABELS[d]}
                </Button>
              ))}
            </div>
          </PostForm>
        </section>
      )}
      <h2>Étapes</h2>
      <Timeline events={props.events} />
      <h2 id="messages">Messages</h2>
      <Messages messages={props.messages} audience={props.audience} attachments={attachments} base={base} />
      {/* The text comes before the file: the server reads it first, then streams the file. */}
      <form method="post" action={`${base}/messages`} enctype={props.maxBytes ? 'multipart/form-data' : undefined} novalidate>
        <CsrfField token={ctx.csrf} />
        <TextArea
          name="message"
          label={props.audience === 'family' ? 'Votre message au service' : 'Votre message à la famille'}
          hint={`${MESSAGE_MAX} caractères au maximum.${props.audience === 'agent' ? ' La famille est prévenue par courriel.' : ''}`}
          errors={errors}
          values={values}
          rows={5}
        />
        {props.maxBytes && <FileField name="fichier" label="Joindre un document" hint={fileHint(props.maxBytes, true)} errors={errors} />}
        <Button variant="secondary">Envoyer un message</Button>
      </form>
    </Layout>
  );
}
