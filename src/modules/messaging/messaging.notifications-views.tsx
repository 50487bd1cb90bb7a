import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Choices, ErrorSummary, PostForm, SummaryList, Table, Tag, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateTime } from '../../platform/format.ts';
import { TEMPLATE_BODY_MAX, TEMPLATE_SUBJECT_MAX, type NotificationDef } from './messaging.notifications.domain.ts';
import { MessageText } from './messaging.components.tsx';

export interface NotificationRow {
  def: NotificationDef;
  enabled: boolean;
  subject: string;
  body: string;
  customised: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** The admin's list: each automatic notification, whether it leaves, and whether its text is the town's. */
export function NotificationsPage(props: { ctx: PageCtx; rows: NotificationRow[] }) {
  return (
    <Layout ctx={props.ctx} title="Notifications automatiques">
      <h1>Notifications automatiques</h1>
      <p>Le portail prévient les familles de ces évènements, dans leur messagerie et par courriel. Vous pouvez arrêter une notification ou changer son texte.</p>
      <Table
        caption="Notifications"
        rows={props.rows}
        columns={[
          { header: 'Notification', cell: (r) => <a href={`/agent/notifications/${r.def.kind}`}>{r.def.label}</a> },
          { header: 'Envoi', cell: (r) => (r.enabled ? <Tag tone="green">Active</Tag> : <Tag tone="grey">Arrêtée</Tag>) },
          { header: 'Texte', cell: (r) => (r.customised ? 'Personnalisé' : 'Par défaut') },
          { header: 'Les familles peuvent la refuser', cell: (r) => (r.def.essential ? 'Non : message essentiel' : 'Oui, pour le courriel') },
        ]}
      />
    </Layout>
  );
}

/** One notification: its switch and text, the placeholders it accepts, and the preview of the text as sent. */
export function NotificationPage(props: { ctx: PageCtx; row: NotificationRow; values?: FormValues; errors?: FieldErrors; preview: { subject: string; body: string } }) {
  const { def } = props.row;
  const errors = props.errors ?? {};
  const values = props.values ?? { objet: props.row.subject, texte: props.row.body, envoi: props.row.enabled ? 'oui' : 'non' };
  return (
    <Layout ctx={props.ctx} title={def.label} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/agent/notifications">Toutes les notifications</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{def.label}</h1>
      <p>{def.when}</p>
      <p>{def.essential ? 'Message essentiel : les familles ne peuvent pas refuser ce courriel.' : 'Les familles peuvent refuser ce courriel (le message reste dans leur messagerie du portail) ; le courriel porte un lien de désinscription.'}</p>
      {props.row.updatedAt && (
        <p>
          Modifiée le {formatDateTime(props.row.updatedAt)} par {props.row.updatedBy}.
        </p>
      )}
      <h2>Champs possibles</h2>
      <p>Écrivez un champ avec deux accolades de chaque côté : le portail le remplace pour chaque famille.</p>
      <SummaryList rows={Object.entries(def.placeholders).map(([name, what]) => ({ key: <code>{`{{${name}}}`}</code>, value: what }))} />
      <h2>Réglage</h2>
      <PostForm action={`/agent/notifications/${def.kind}`} csrf={props.ctx.csrf}>
        <Choices
          type="radio"
          name="envoi"
          label="Envoyer cette notification"
          options={[
            { value: 'oui', label: 'Oui' },
            { value: 'non', label: 'Non, l\'arrêter', hint: 'Les familles ne reçoivent plus rien pour cet évènement, ni courriel ni message.' },
          ]}
          selected={[values.envoi ?? 'oui']}
          errors={errors}
          inline
        />
        <TextField name="objet" label="Objet du courriel" hint={`Sur une ligne, ${TEMPLATE_SUBJECT_MAX} caractères au maximum. Le nom de la ville est ajouté à la fin.`} values={values} errors={errors} spellcheck />
        <TextArea name="texte" label="Texte" hint={`Une ligne vide sépare les paragraphes. « Bonjour », la signature et, s'il y a lieu, le lien de désinscription sont ajoutés par le portail. ${TEMPLATE_BODY_MAX} caractères au maximum.`} rows={8} values={values} errors={errors} />
        <div class="button-group">
          <Button name="action" value="apercu" variant="secondary">
            Voir l'aperçu
          </Button>
          <Button name="action" value="enregistrer">
            Enregistrer
          </Button>
        </div>
      </PostForm>
      <h2 id="apercu">Aperçu, avec des valeurs d'exemple</h2>
      <div class="panel">
        <p>
          <strong>Objet :</strong> {props.preview.subject}
        </p>
        <MessageText body={props.preview.body} />
      </div>
      {props.row.customised && (
        <PostForm action={`/agent/notifications/${def.kind}/defaut`} csrf={props.ctx.csrf}>
          <Button variant="secondary">Rétablir le texte par défaut</Button>
        </PostForm>
      )}
    </Layout>
  );
}
