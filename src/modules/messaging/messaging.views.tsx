import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, Choices, CsrfField, ErrorSummary, Pagination, SummaryList, Table, Tag, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateTime, plural } from '../../platform/format.ts';
import { householdName } from '../../platform/format.ts';
import { audienceParams, audienceQuery, BODY_MAX, CATEGORIES, CATEGORY_HINTS, CATEGORY_LABELS, isCategory, SUBJECT_MAX, type Audience } from './messaging.domain.ts';
import { fileSize, MessageText } from './messaging.components.tsx';
import type { CriterionForm } from './messaging.service.ts';

export interface AudienceCount {
  households: number;
  guardians: number;
  withoutEmail: number;
  label: string;
}

const categoryTag = (c: string) => <Tag tone={c === 'urgent' ? 'red' : c === 'rappel' ? 'orange' : 'blue'}>{isCategory(c) ? CATEGORY_LABELS[c] : c}</Tag>;

function CountPanel({ count, audience }: { count: AudienceCount; audience: Audience }) {
  return (
    <div class="panel" role="status">
      <h2>Destinataires</h2>
      <p>{count.label}.</p>
      <p>
        <strong>{plural(count.households, 'foyer', 'foyers')}</strong>, <strong>{plural(count.guardians, 'responsable', 'responsables')}</strong>
        {count.withoutEmail > 0 && <> dont {plural(count.withoutEmail, 'sans adresse électronique', 'sans adresse électronique')} (message sur le portail et liste à imprimer pour l'accueil)</>}.
      </p>
      {count.households > 0 && <p><a href={`/agent/messages/destinataires?${audienceQuery(audience)}`}>Voir la liste des foyers</a></p>}
    </div>
  );
}

/** The audience form (GET, works without JavaScript), the count, then the message form. */
export function NewMessagePage(props: { ctx: PageCtx; criteria: CriterionForm[]; audience: Audience; count: AudienceCount | null; errors?: FieldErrors; values?: FormValues; idempotencyKey: string }) {
  const errors = props.errors ?? {};
  const values = props.values ?? {};
  return (
    <Layout ctx={props.ctx} title="Nouveau message" hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/agent/messages">Retour aux messages</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>Nouveau message</h1>
      <h2>1. Choisir les familles</h2>
      <p class="hint">Plusieurs critères : les familles qui remplissent chacun d'eux. Plusieurs choix dans un critère : l'un ou l'autre. Sans critère : toutes les familles.</p>
      <form method="get" action="/agent/messages/nouveau" class="audience-form">
        {props.criteria.map(({ criterion, choices }) =>
          criterion.input === 'day' ? (
            <TextField name={criterion.key} label={criterion.legend} hint={criterion.hint} type="date" width="medium" values={{ [criterion.key]: props.audience[criterion.key]?.[0] }} errors={errors} />
          ) : choices.length === 0 ? null : (
            <details class="details" open={!!props.audience[criterion.key]}>
              <summary>
                {criterion.legend}
                {props.audience[criterion.key] ? ` (${props.audience[criterion.key].length} choisi${props.audience[criterion.key].length > 1 ? 's' : ''})` : ''}
              </summary>
              <Choices type="checkbox" name={criterion.key} label={criterion.legend} hint={criterion.hint} options={choices} selected={props.audience[criterion.key]} errors={errors} />
            </details>
          ),
        )}
        <Button variant="secondary" name="compter" value="1">
          Compter
        </Button>
      </form>
      {props.count && <CountPanel count={props.count} audience={props.audience} />}
      {props.count && props.count.households > 0 && (
        <>
          <h2>2. Écrire le message</h2>
          <form method="post" action="/agent/messages" enctype="multipart/form-data" novalidate>
            <CsrfField token={props.ctx.csrf} />
            <input type="hidden" name="cle" value={props.idempotencyKey} />
            {audienceParams(props.audience).map(([k, v]) => (
              <input type="hidden" name={k} value={v} />
            ))}
            <TextField name="objet" label="Objet" hint={`${SUBJECT_MAX} caractères au maximum.`} values={values} errors={errors} />
            <TextArea name="texte" label="Message" hint={`Texte simple : une ligne vide sépare les paragraphes, les adresses web deviennent des liens. ${BODY_MAX} caractères au maximum.`} rows={10} values={values} errors={errors} />
            <Choices type="radio" name="categorie" label="Catégorie" options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c], hint: CATEGORY_HINTS[c] }))} selected={[values.categorie ?? 'information']} errors={errors} />
            <Choices type="radio" name="envoi" label="Envoi" options={[{ value: 'maintenant', label: 'Maintenant' }, { value: 'plus_tard', label: 'À une date et une heure choisies', hint: 'Les destinataires sont ceux comptés maintenant ; le message part à l\'heure dite.' }]} selected={[values.envoi ?? 'maintenant']} errors={errors} />
            <TextField name="jour" label="Jour de l'envoi (si plus tard)" type="date" width="medium" values={values} errors={errors} />
            <TextField name="heure" label="Heure de l'envoi (si plus tard)" hint="Par exemple 08:30." width="short" values={values} errors={errors} />
            <div class={`form-group${errors.pieces ? ' form-group--error' : ''}`}>
              <label class="label" for="f-pieces">
                Pièces jointes (facultatif)
              </label>
              <div id="f-pieces-hint" class="hint">Fichiers PDF seulement, 3 au maximum, 2 Mo chacun. Les familles les téléchargent sur le portail.{Object.keys(errors).length > 0 ? ' Choisissez de nouveau vos fichiers.' : ''}</div>
              {errors.pieces && (
                <p id="f-pieces-error" class="error-message">
                  <span class="visually-hidden">Erreur :</span> {errors.pieces}
                </p>
              )}
              <input class="file-upload" id="f-pieces" name="pieces" type="file" accept="application/pdf,.pdf" multiple aria-describedby="f-pieces-hint" />
            </div>
            <Button>Envoyer à {plural(props.count.guardians, 'responsable', 'responsables')}</Button>
          </form>
        </>
      )}
    </Layout>
  );
}

export function PreviewPage(props: { ctx: PageCtx; audience: Audience; count: AudienceCount; rows: { id: string; reference: string; name: string; city: string }[]; page: number; pageSize: number }) {
  const query = audienceQuery(props.audience);
  return (
    <Layout ctx={props.ctx} title="Foyers destinataires">
      <p>
        <a href={`/agent/messages/nouveau?${query}${query ? '&' : ''}compter=1`}>Retour au message</a>
      </p>
      <h1>Foyers destinataires</h1>
      <CountPanel count={props.count} audience={props.audience} />
      <Table
        caption="Foyers, par nom"
        rows={props.rows}
        columns={[
          { header: 'Foyer', cell: (r) => <a href={`/agent/foyers/${r.id}`}>{householdName(r.name)}</a> },
          { header: 'Numéro', cell: (r) => r.reference },
          { header: 'Commune', cell: (r) => r.city },
        ]}
      />
      <Pagination page={props.page} pageSize={props.pageSize} total={props.count.households} href={(p) => `/agent/messages/destinataires?${query}${query ? '&' : ''}page=${p}`} />
    </Layout>
  );
}

interface MessageRow {
  id: string;
  subject: string;
  category: string;
  audience_label: string;
  recipients_count: number;
  send_at: string;
  mailing_done_at: string | null;
  created_by_label: string;
}

export function MessagesPage(props: { ctx: PageCtx; rows: MessageRow[]; total: number; page: number; pageSize: number }) {
  return (
    <Layout ctx={props.ctx} title="Messages aux familles">
      <h1>Messages aux familles</h1>
      <div class="button-group">
        <ButtonLink href="/agent/messages/nouveau" variant="primary">
          Écrire un message
        </ButtonLink>
      </div>
      <Table
        caption="Messages envoyés et programmés, les plus récents d'abord"
        rows={props.rows}
        empty="Aucun message envoyé pour le moment."
        columns={[
          { header: 'Objet', cell: (r) => <a href={`/agent/messages/${r.id}`}>{r.subject}</a> },
          { header: 'Catégorie', cell: (r) => categoryTag(r.category) },
          { header: 'Destinataires', cell: (r) => <>{plural(r.recipients_count, 'responsable', 'responsables')}<span class="hint"> – {r.audience_label}</span></> },
          { header: 'Envoi', cell: (r) => <>{formatDateTime(r.send_at)}{r.mailing_done_at ? '' : ' (en cours)'}</> },
          { header: 'Par', cell: (r) => r.created_by_label },
        ]}
      />
      <Pagination page={props.page} pageSize={props.pageSize} total={props.total} href={(p) => `/agent/messages?page=${p}`} />
    </Layout>
  );
}

export interface Progress {
  pending: number;
  queued: number;
  withoutEmail: number;
  optedOut: number;
  read: number;
  delivered: number;
  waiting: number;
  bounced: number;
}

export function MessagePage(props: { ctx: PageCtx; message: MessageRow & { body: string; households_count: number }; attachments: { id: string; filename: string; size_bytes: number }[]; progress: Progress; now: string }) {
  const { message: m, progress: p } = props;
  const scheduled = m.send_at > props.now;
  return (
    <Layout ctx={props.ctx} title={m.subject}>
      <p>
        <a href="/agent/messages">Retour aux messages</a>
      </p>
      <h1>{m.subject}</h1>
      <SummaryList
        rows={[
          { key: 'Catégorie', value: categoryTag(m.category) },
          { key: 'Destinataires', value: <>{plural(m.households_count, 'foyer', 'foyers')}, {plural(m.recipients_count, 'responsable', 'responsables')} – {m.audience_label}</> },
          { key: scheduled ? 'Envoi prévu' : 'Envoyé', value: `le ${formatDateTime(m.send_at)}, par ${m.created_by_label}` },
          { key: 'Courriels', value: scheduled ? 'Ils partiront à l\'heure prévue.' : p.pending > 0 ? `En préparation : ${plural(p.queued, 'courriel préparé', 'courriels préparés')}, ${p.pending} encore à préparer.` : `${plural(p.queued, 'courriel préparé', 'courriels préparés')}.` },
          { key: 'Remis au serveur de courriel', value: `${p.delivered}${p.waiting > 0 ? ` (${p.waiting} en attente d'envoi)` : ''}` },
          { key: 'En échec', value: p.bounced > 0 ? `${p.bounced} (adresse refusée ou serveur injoignable : voir « Courriels envoyés »)` : 'Aucun' },
          { key: 'Sans courriel', value: p.withoutEmail > 0 ? <>{p.withoutEmail} – <a href={`/agent/messages/${m.id}/guichet`}>liste à imprimer pour l'accueil</a></> : 'Aucun' },
          { key: 'Courriels refusés par la famille', value: p.optedOut > 0 ? `${p.optedOut} (message seulement sur le portail)` : 'Aucun' },
          { key: 'Lu sur le portail', value: plural(p.read, 'responsable', 'responsables') },
        ]}
      />
      <h2>Message</h2>
      <MessageText body={m.body} />
      {props.attachments.length > 0 && (
        <>
          <h2>Pièces jointes</h2>
          <ul>
            {props.attachments.map((a) => (
              <li>
                <a href={`/agent/messages/${m.id}/pieces/${a.id}`}>{a.filename}</a> (PDF, {fileSize(a.size_bytes)})
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}

export function CounterListPage(props: { ctx: PageCtx; message: { id: string; subject: string; send_at: string }; rows: { first_name: string; last_name: string; phone: string | null; reference: string; household: string; address_line1: string; address_line2: string | null; postcode: string; city: string }[] }) {
  return (
    <Layout ctx={props.ctx} title={`Sans courriel – ${props.message.subject}`}>
      <p class="no-print">
        <a href={`/agent/messages/${props.message.id}`}>Retour au message</a>
      </p>
      <h1>Responsables à prévenir sans courriel</h1>
      <p>
        Message « {props.message.subject} » du {formatDateTime(props.message.send_at)}. Ces responsables n'ont pas d'adresse électronique : remettez-leur le message à l'accueil, par téléphone ou par courrier. Imprimez cette page avec le navigateur.
      </p>
      <Table
        caption={plural(props.rows.length, 'responsable', 'responsables')}
        rows={props.rows}
        empty="Tous les responsables ont une adresse électronique."
        columns={[
          { header: 'Responsable', cell: (r) => `${r.first_name} ${r.last_name}` },
          { header: 'Foyer', cell: (r) => `${householdName(r.household)} (${r.reference})` },
          { header: 'Adresse', cell: (r) => [r.address_line1, r.address_line2, `${r.postcode} ${r.city}`].filter(Boolean).join(', ') },
          { header: 'Téléphone', cell: (r) => r.phone ?? '' },
        ]}
      />
    </Layout>
  );
}
