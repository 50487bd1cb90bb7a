import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Choices, ErrorSummary, PostForm, Table, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';

export const NEWS_TITLE_MAX = 120;
export const NEWS_BODY_MAX = 3000;

export function NewsAgentPage(props: { ctx: PageCtx; rows: { id: string; kind: string; title: string; starts_on: string; ends_on: string; created_by_label: string }[]; today: string; errors?: FieldErrors; values?: FormValues }) {
  const errors = props.errors ?? {};
  return (
    <Layout ctx={props.ctx} title="Actualités et menus" hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <h1>Actualités et menus</h1>
      <p>Publiés sur la page d'accueil du portail et sur l'accueil des familles, du premier au dernier jour choisi.</p>
      <Table
        caption="Publications"
        rows={props.rows}
        empty="Rien de publié pour le moment."
        columns={[
          { header: 'Titre', cell: (r) => `${r.kind === 'menu' ? 'Menu : ' : ''}${r.title}` },
          { header: 'Affiché', cell: (r) => `du ${dayLabel(r.starts_on, true)} au ${dayLabel(r.ends_on, true)}${r.ends_on < props.today ? ' (terminé)' : r.starts_on > props.today ? ' (à venir)' : ' (en ligne)'}` },
          { header: 'Par', cell: (r) => r.created_by_label },
          {
            header: 'Action',
            cell: (r) => (
              <PostForm action={`/agent/actualites/${r.id}/retirer`} csrf={props.ctx.csrf}>
                <Button variant="secondary">
                  Retirer<span class="visually-hidden"> « {r.title} »</span>
                </Button>
              </PostForm>
            ),
          },
        ]}
      />
      <h2>Publier</h2>
      <PostForm action="/agent/actualites" csrf={props.ctx.csrf}>
        <Choices type="radio" name="type" label="Type" options={[{ value: 'news', label: 'Actualité' }, { value: 'menu', label: 'Menu' }]} selected={[props.values?.type ?? 'news']} errors={errors} inline />
        <TextField name="titre" label="Titre" hint={`${NEWS_TITLE_MAX} caractères au maximum.`} values={props.values} errors={errors} />
        <TextArea name="texte" label="Texte" hint={`Une ligne vide sépare les paragraphes ; les adresses web deviennent des liens. ${NEWS_BODY_MAX} caractères au maximum.`} rows={6} values={props.values} errors={errors} />
        <TextField name="du" label="Affiché à partir du" type="date" width="medium" values={props.values} errors={errors} />
        <TextField name="au" label="Jusqu'au (inclus)" type="date" width="medium" values={props.values} errors={errors} />
        <Button>Publier</Button>
      </PostForm>
    </Layout>
  );
}
