import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ButtonLink, CsrfField, ErrorSummary, FileField, PostForm, Select, Table, Tag, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong } from '../../platform/format.ts';
import { SHOWN_STATUS_LABELS, SHOWN_STATUS_TONES, type ShownStatus } from './documents.domain.ts';
import { WHOLE_HOUSEHOLD } from './documents.service.ts';

interface WalletDocument {
  id: string;
  type_label: string;
  person_first_name: string | null;
  document_date: string;
  valid_until: string | null;
  refusal_reason: string | null;
  created_at: string;
  original_name: string;
  shown: ShownStatus;
}

const sizeLabel = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024 / 1024))} Mo`;

export function StatusTag({ shown }: { shown: ShownStatus }) {
  return <Tag tone={SHOWN_STATUS_TONES[shown]}>{SHOWN_STATUS_LABELS[shown]}</Tag>;
}

export function WalletPage(props: { ctx: PageCtx; documents: WalletDocument[] }) {
  return (
    <Layout ctx={props.ctx} title="Mes documents">
      <h1>Mes documents</h1>
      <p>Les justificatifs que vous envoyez sont gardés chiffrés. Le service enfance les vérifie ; un document validé sert à vos demandes suivantes tant qu'il est valable.</p>
      <div class="button-group">
        <ButtonLink href="/documents/ajouter" variant="primary">
          Ajouter un document
        </ButtonLink>
      </div>
      <Table
        caption="Vos documents"
        rows={props.documents}
        empty="Vous n'avez encore envoyé aucun document."
        columns={[
          { header: 'Document', cell: (d) => <><a href={`/documents/${d.id}/fichier`}>{d.type_label}</a><span class="hint"> ({d.original_name}, daté du {formatDateLong(d.document_date)})</span></> },
          { header: 'Pour', cell: (d) => d.person_first_name ?? 'Tout le foyer' },
          {
            header: 'État',
            cell: (d) => (
              <>
                <StatusTag shown={d.shown} />
                {d.shown === 'refused' && d.refusal_reason && <p class="hint">Motif : {d.refusal_reason}</p>}
              </>
            ),
          },
          { header: 'Valable jusqu\'au', cell: (d) => (d.valid_until ? formatDateLong(d.valid_until) : 'Sans fin') },
          {
            header: 'Actions',
            cell: (d) => (
              <>
                <a href={`/documents/${d.id}/remplacer`}>
                  Remplacer<span class="visually-hidden"> : {d.type_label}{d.person_first_name ? ` de ${d.person_first_name}` : ''}</span>
                </a>
                <PostForm action={`/documents/${d.id}/supprimer`} csrf={props.ctx.csrf}>
                  <Button variant="link">
                    Supprimer<span class="visually-hidden"> : {d.type_label}{d.person_first_name ? ` de ${d.person_first_name}` : ''}</span>
                  </Button>
                </PostForm>
              </>
            ),
          },
        ]}
      />
    </Layout>
  );
}

export interface AddFormProps {
  ctx: PageCtx;
  types: { id: string; label: string }[];
  children: { id: string; firstName: string }[];
  maxBytes: number;
  errors?: FieldErrors;
  values?: FormValues;
  /** Replacing this document: the page says which. */
  replacing?: { id: string; label: string };
  /** Sent for a request: the form goes back to it afterwards. */
  returnTo?: string;
}

export function AddDocumentPage(props: AddFormProps) {
  const errors = props.errors ?? {};
  const title = props.replacing ? `Remplacer : ${props.replacing.label}` : 'Ajouter un document';
  const action = props.replacing ? `/documents/${props.replacing.id}/remplacer` : '/documents/ajouter';
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <p>
        {props.returnTo ? <a href={props.returnTo}>Retour à ma demande</a> : <a href="/documents">Retour à mes documents</a>}
      </p>
      <ErrorSummary errors={errors} />
      <h1>{title}</h1>
      {/* The fields come before the file: the server reads them first, then streams the file. */}
      <form method="post" action={action} enctype="multipart/form-data" novalidate>
        <CsrfField token={props.ctx.csrf} />
        {props.returnTo && <input type="hidden" name="retour" value={props.returnTo} />}
        <Select name="type" label="Type de document" placeholder="Choisissez" options={props.types.map((t) => ({ value: t.id, label: t.label }))} errors={errors} values={props.values} />
        <Select
          name="personne"
          label="Ce document concerne"
          options={[{ value: WHOLE_HOUSEHOLD, label: 'Tout le foyer' }, ...props.children.map((c) => ({ value: c.id, label: c.firstName }))]}
          errors={errors}
          values={props.values}
        />
        <TextField name="date" type="date" width="medium" label="Date écrite sur le document" hint="Par exemple la date d'édition de l'attestation ou de la facture." errors={errors} values={props.values} />
        <FileField name="fichier" label="Le document" hint={`Une photo (prise avec votre téléphone) ou un PDF, ${sizeLabel(props.maxBytes)} au maximum. Sur un téléphone, vous pouvez choisir l'appareil photo.`} errors={errors} />
        <Button>{props.replacing ? 'Remplacer le document' : 'Envoyer le document'}</Button>
      </form>
    </Layout>
  );
}
