import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ErrorSummary, PostForm, Select, SummaryList, Table, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong, formatDateTime, householdName } from '../../platform/format.ts';
import { SHOWN_STATUS_LABELS } from './documents.domain.ts';
import { QUOTIENT_TYPE } from './documents.decision.domain.ts';

interface QueueRow {
  id: string;
  type_label: string;
  household_name: string;
  household_reference: string;
  person_first_name: string | null;
  document_date: string;
  created_at: string;
}

export function QueuePage(props: { ctx: PageCtx; rows: QueueRow[]; types: { id: string; label: string }[]; facilities: { id: string; name: string }[]; filters: { type?: string; structure?: string } }) {
  const values = { type: props.filters.type, structure: props.filters.structure };
  return (
    <Layout ctx={props.ctx} title="Documents à vérifier" wide>
      <h1>Documents à vérifier</h1>
      <form method="get" action="/agent/documents" class="filters">
        <Select name="type" label="Type de document" placeholder="Tous les types" options={props.types.map((t) => ({ value: t.id, label: t.label }))} values={values} />
        <Select name="structure" label="Structure" placeholder="Toutes les structures" options={props.facilities.map((f) => ({ value: f.id, label: f.name }))} values={values} />
        <Button variant="secondary">Filtrer</Button>
      </form>
      <Table
        caption={`${props.rows.length} document${props.rows.length > 1 ? 's' : ''} à vérifier, du plus ancien au plus récent`}
        rows={props.rows}
        empty="Aucun document à vérifier."
        columns={[
          { header: 'Document', cell: (r) => <a href={`/agent/documents/${r.id}`}>{r.type_label}</a> },
          { header: 'Famille', cell: (r) => `${householdName(r.household_name)} (${r.household_reference})` },
          { header: 'Pour', cell: (r) => r.person_first_name ?? 'Tout le foyer' },
          { header: 'Daté du', cell: (r) => formatDateLong(r.document_date) },
          { header: 'Envoyé le', cell: (r) => formatDateTime(r.created_at) },
        ]}
      />
      <p>
        <a href="/agent/documents/types">Types de documents et règles de validité</a>
      </p>
    </Layout>
  );
}

interface AgentDocument extends QueueRow {
  status: 'pending' | 'validated' | 'refused';
  type_code: string;
  valid_until: string | null;
  refusal_reason: string | null;
  qf_value: number | null;
  qf_month: string | null;
  media_type: string;
  original_name: string;
  byte_size: number;
  created_by_label: string;
  decided_at: string | null;
  decided_by_label: string | null;
}

export function DocumentPage(props: { ctx: PageCtx; doc: AgentDocument; errors?: FieldErrors; values?: FormValues }) {
  const { doc } = props;
  const errors = props.errors ?? {};
  const fileUrl = `/agent/documents/${doc.id}/fichier`;
  const values = props.values ?? { valable: doc.valid_until ?? '', mois_qf: doc.document_date.slice(0, 7) };
  return (
    <Layout ctx={props.ctx} title={`${doc.type_label} – ${householdName(doc.household_name)}`} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href="/agent/documents">Retour aux documents à vérifier</a>
      </p>
      <ErrorSummary errors={errors} />
      <h1>{doc.type_label}</h1>
      <SummaryList
        rows={[
          { key: 'Famille', value: `${householdName(doc.household_name)} (${doc.household_reference})` },
          { key: 'Pour', value: doc.person_first_name ?? 'Tout le foyer' },
          { key: 'Date du document', value: formatDateLong(doc.document_date) },
          { key: 'Envoyé', value: `le ${formatDateTime(doc.created_at)} par ${doc.created_by_label}` },
          { key: 'État', value: SHOWN_STATUS_LABELS[doc.status] + (doc.decided_at ? ` le ${formatDateTime(doc.decided_at)} par ${doc.decided_by_label ?? ''}` : '') },
          ...(doc.refusal_reason ? [{ key: 'Motif du refus', value: doc.refusal_reason }] : []),
          ...(doc.qf_value !== null ? [{ key: 'Quotient familial', value: `${doc.qf_value} € (${doc.qf_month ?? ''})` }] : []),
        ]}
      />
      {/* An image is shown from the download route itself (attachment + nosniff: an <img> still displays it). */}
      {doc.media_type.startsWith('image/') ? (
        <p>
          <img class="document-image" src={fileUrl} alt={`${doc.type_label} envoyé par la famille`} />
        </p>
      ) : null}
      <p>
        <a href={fileUrl} download>
          Télécharger le fichier ({doc.original_name})
        </a>
      </p>
      {doc.status === 'pending' && (
        <>
          <h2>Valider le document</h2>
          <PostForm action={`/agent/documents/${doc.id}/decision`} csrf={props.ctx.csrf}>
            <input type="hidden" name="action" value="validated" />
            <TextField name="valable" type="date" width="medium" label="Valable jusqu'au" hint="Proposé d'après la règle du type ; laissez vide pour un document sans fin." errors={errors} values={values} />
            {doc.type_code === QUOTIENT_TYPE && (
              <>
                <TextField name="qf" label="Quotient familial (en euros)" width="short" inputmode="numeric" errors={errors} values={values} />
                <TextField name="mois_qf" label="Mois du quotient" hint="Au format AAAA-MM, par exemple 2026-11." width="short" errors={errors} values={values} />
              </>
            )}
            <Button>Valider le document</Button>
          </PostForm>
          <h2>Refuser le document</h2>
          <PostForm action={`/agent/documents/${doc.id}/decision`} csrf={props.ctx.csrf}>
            <input type="hidden" name="action" value="refused" />
            <TextArea name="motif" label="Motif du refus" hint="La famille le lira : dites ce qu'il faut envoyer à la place." errors={errors} values={values} />
            <Button variant="warning">Refuser le document</Button>
          </PostForm>
        </>
      )}
    </Layout>
  );
}
