import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Choices, ErrorSummary, PostForm, Table, Tag, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { plural } from '../../platform/format.ts';
import { VALIDITY_LABELS, type Validity } from './documents.domain.ts';

interface TypeRow {
  id: string;
  label: string;
  validity: Validity;
  validity_months: number | null;
  retention_months: number;
  active: number;
}

const validityText = (t: TypeRow) => (t.validity === 'months' ? `${plural(t.validity_months ?? 0, 'mois', 'mois')} à partir de sa date` : t.validity === 'school_year' ? 'Jusqu\'au 31 août de l\'année scolaire' : 'Sans fin');

export function TypesPage(props: { ctx: PageCtx; types: TypeRow[]; errors?: FieldErrors; values?: FormValues }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Types de documents" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Types de documents</h1>
      <p>Les familles choisissent parmi les types proposés. La validité donne la date jusqu'à laquelle un document sert ; le fichier est supprimé après la durée de conservation.</p>
      <Table
        caption="Types de documents"
        rows={props.types}
        columns={[
          { header: 'Type', cell: (t) => t.label },
          { header: 'Validité', cell: validityText },
          { header: 'Conservation après la validité', cell: (t) => (t.validity === 'none' ? 'Tant que le foyer est suivi' : plural(t.retention_months, 'mois', 'mois')) },
          { header: 'Proposé aux familles', cell: (t) => (t.active ? <Tag tone="green">Oui</Tag> : <Tag tone="grey">Non</Tag>) },
          {
            header: 'Action',
            cell: (t) => (
              <PostForm action={`/agent/documents/types/${t.id}`} csrf={props.ctx.csrf}>
                <input type="hidden" name="actif" value={t.active ? '0' : '1'} />
                <Button variant="secondary">
                  {t.active ? 'Ne plus proposer' : 'Proposer'}
                  <span class="visually-hidden"> : {t.label}</span>
                </Button>
              </PostForm>
            ),
          },
        ]}
      />
      <h2>Ajouter un type de document</h2>
      <PostForm action="/agent/documents/types" csrf={props.ctx.csrf}>
        <TextField name="label" label="Nom du type" hint="Tel que les familles le liront, par exemple « Attestation de l'employeur »." errors={errors} values={props.values} />
        <Choices type="radio" name="validity" label="Durée de validité" options={(Object.keys(VALIDITY_LABELS) as Validity[]).map((v) => ({ value: v, label: VALIDITY_LABELS[v] }))} selected={props.values?.validity ? [props.values.validity] : []} errors={errors} />
        <TextField name="months" label="Nombre de mois de validité" hint="Seulement pour une validité en mois." width="short" inputmode="numeric" errors={errors} values={props.values} />
        <TextField name="retention" label="Conservation après la fin de validité, en mois" width="short" inputmode="numeric" errors={errors} values={props.values ?? { retention: '12' }} />
        <Button>Ajouter le type</Button>
      </PostForm>
    </Layout>
  );
}
