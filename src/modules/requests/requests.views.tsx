import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Choices, CsrfField, ErrorSummary, NotificationBanner, PostForm, SummaryList, Tag, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime } from '../../platform/format.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { ACTION_LABELS, COMPLEMENT_MAX_DAYS, isRequestStatus, MESSAGE_MAX, STATUS_LABELS, STATUS_TONES, type Decision, type RequestStatus } from './requests.domain.ts';
import type { RequestTypeSetting } from './requests.service.ts';
import type { ComponentChildren } from 'preact';
import { AttachmentLinks, FileField, fileHint } from './requests.files-views.tsx';
import type { AttachmentRow } from './requests.tracking.repository.ts';
import type { RequestDocumentRow } from './requests.documents.repository.ts';
import { AnswerForm, JoinedDocuments, type AnswerFormData } from './requests.complement-views.tsx';

export function StatusTag({ status }: { status: string }) {
  if (!isRequestStatus(status)) return <Tag>{status}</Tag>;
  return <Tag tone={STATUS_TONES[status]}>{STATUS_LABELS[status]}</Tag>;
}

interface RequestView {
  request: { id: string; reference: string; summary: string; status: string; household_id: string; created_at: string; due_date: string | null };
  status: RequestStatus;
  typeLabel: string;
  events: { id: string; at: string; actor_label: string; from_status: string | null; to_status: string; note: string | null }[];
  messages: { id: string; at: string; author_label: string; from_family: number; body: string }[];
  details: { key: string; value: string }[];
  agentLink?: { path: string; label: string };
}

function Timeline({ events, documents, audience }: { events: RequestView['events']; documents: RequestDocumentRow[]; audience: 'family' | 'agent' }) {
  // A document joined to a complement answer shows on the step that answer took (back to « en instruction »).
  const stepOf = new Map(documents.map((d) => [d.id, events.find((e) => e.from_status === 'complement_requested' && e.to_status === 'in_review' && e.at >= d.created_at)?.id]));
  return (
    <ol class="timeline">
      {events.map((e) => (
        <li class="panel">
          <p>
            <StatusTag status={e.to_status} /> le {formatDateTime(e.at)}, par {e.actor_label}
          </p>
          {e.note && <p>{e.to_status === 'complement_requested' ? 'Ce qui est demandé' : 'Motif'} : {e.note}</p>}
          <JoinedDocuments documents={documents.filter((d) => stepOf.get(d.id) === e.id)} audience={audience} />
        </li>
      ))}
    </ol>
  );
}

function Messages(props: { messages: RequestView['messages']; audience: 'family' | 'agent'; attachments: AttachmentRow[]; documents: RequestDocumentRow[]; base: string }) {
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
          <JoinedDocuments documents={props.documents.filter((d) => d.message_id === m.id)} audience={props.audience} />
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
    /** Wallet documents joined to complement answers. */
    documents?: RequestDocumentRow[];
    /** Where the family reopens its draft to complete it. */
    resumeHref?: string;
    /** The complement answer form's choices (family side, while a complement is asked). */
    answerForm?: AnswerFormData;
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
      {props.audience === 'agent' && props.agentLink && props.decisions && props.decisions.length > 0 && (
        <p>
          <a href={`${base}/${props.agentLink.path}`}>{props.agentLink.label}</a>
        </p>
      )}
      {props.audience === 'family' && request.status === 'draft' && (
        <section aria-labelledby="draft-title">
          <h2 id="draft-title">Ce brouillon n'est pas encore envoyé</h2>
          <p>Le service ne le voit pas. Envoyez-le quand vous êtes prêt, ou supprimez-le. Sans changement pendant 90 jours, il est supprimé.</p>
          {props.resumeHref && (
            <p>
              <a href={props.resumeHref}>Reprendre le brouillon</a>
            </p>
          )}
          <div class="button-group">
            <PostForm action={`${base}/envoyer`} csrf={ctx.csrf}>
              <Button variant="primary">Envoyer la demande</Button>
            </PostForm>
            <PostForm action={`${base}/supprimer`} csrf={ctx.csrf}>
              <Button variant="warning">Supprimer le brouillon</Button>
            </PostForm>
          </div>
        </section>
      )}
      {request.status === 'complement_requested' && (
        <NotificationBanner kind="warning" title="Complément demandé">
          <p>
            {props.audience === 'family' ? 'Le service attend votre réponse' : 'La famille doit répondre'}
            {request.due_date ? ` avant le ${dayLabel(request.due_date, true)}` : ''}.
          </p>
          {props.events.at(-1)?.note && <p>Ce qui est demandé : {props.events.at(-1)!.note}</p>}
        </NotificationBanner>
      )}
      {props.audience === 'family' && request.status === 'complement_requested' && (
        <section aria-labelledby="answer-title">
          <h2 id="answer-title">Répondre au service</h2>
          {props.answerForm && <AnswerForm action={`${base}/complement`} csrf={ctx.csrf} data={props.answerForm} maxBytes={props.maxBytes ?? 0} errors={errors} values={values} />}
        </section>
      )}
      {props.audience === 'agent' && props.decisions && props.decisions.length > 0 && (
        <section aria-labelledby="decision-title">
          <h2 id="decision-title">Décision</h2>
          <PostForm action={`${base}/decision`} csrf={ctx.csrf}>
            <TextArea name="motif" label="Motif ou complément demandé" hint="Obligatoire pour un refus ou un complément ; la famille le lira." errors={errors} values={values} rows={3} />
            {props.decisions.includes('complement_requested') && (
              <TextField name="echeance" type="date" width="medium" label="Date limite de réponse (pour un complément)" hint={`Dans les ${COMPLEMENT_MAX_DAYS} jours. La famille reçoit un rappel deux jours avant.`} errors={errors} values={values} />
            )}
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
      <Timeline events={props.events} documents={props.documents ?? []} audience={props.audience} />
      <h2 id="messages">Messages</h2>
      <Messages messages={props.messages} audience={props.audience} attachments={attachments} documents={props.documents ?? []} base={base} />
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

/** The town's types of request: each switched on or off, with the help text families read (admin, enfance). */
export function RequestTypesPage(props: { ctx: PageCtx; types: RequestTypeSetting[]; errors?: FieldErrors }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Démarches en ligne" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Démarches en ligne</h1>
      <p>Choisissez les démarches que les familles peuvent faire sur le portail, et le texte d'aide qu'elles lisent avant de commencer. Une démarche retirée n'est plus proposée ; les demandes déjà déposées continuent.</p>
      <PostForm action="/agent/demandes/types" csrf={props.ctx.csrf}>
        <Choices type="checkbox" name="actives" label="Démarches proposées aux familles" options={props.types.map((t) => ({ value: t.code, label: t.label }))} selected={props.types.filter((t) => t.active).map((t) => t.code)} />
        {props.types.map((t) => (
          <TextArea name={`aide_${t.code}`} label={`Texte d'aide : ${t.label}`} hint="1000 caractères au maximum. Facultatif." errors={errors} values={{ [`aide_${t.code}`]: t.helpText }} rows={3} />
        ))}
        <Button variant="primary">Enregistrer</Button>
      </PostForm>
    </Layout>
  );
}
