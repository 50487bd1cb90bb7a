import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { FormPage } from '../../platform/ui/form-page.tsx';
import { Button, ButtonLink, Choices, PostForm, SummaryList, Table, Tag, TextField } from '../../platform/ui/components.tsx';
import type { ServicesTable } from '../../platform/db/schema-services.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { FACILITY_KINDS, SERVICE_KINDS } from './catalogue.domain.ts';
import { BASE, LevelChoices, levelsText, weekdaysText, type Facility, type FormProps, type Group, type Year } from './catalogue.view-parts.tsx';

/** Pages of the catalogue's overview, its facilities and their groups (roles admin and enfance). */

export function OverviewPage(props: { ctx: PageCtx; facilities: (Facility & { groups: Group[]; services: (ServicesTable & { facility_name: string })[] })[]; years: Year[] }) {
  return (
    <Layout ctx={props.ctx} title="Catalogue" wide>
      <h1>Catalogue</h1>
      <p>Les structures, leurs groupes d'enfants et les prestations que les familles réservent ; le calendrier de chaque année scolaire.</p>
      <div class="button-group">
        <ButtonLink href={`${BASE}/structures/nouvelle`} variant="primary">
          Ajouter une structure
        </ButtonLink>
        <ButtonLink href={`${BASE}/prestations/nouvelle`}>Ajouter une prestation</ButtonLink>
      </div>

      <h2>Années scolaires et calendrier</h2>
      <Table
        caption="Années scolaires"
        captionHidden
        rows={props.years}
        empty="Aucune année scolaire : ajoutez-en une pour créer les périodes et fermer des journées."
        columns={[
          { header: 'Année', cell: (y) => <a href={`${BASE}/annees/${y.id}`}>Calendrier {y.label}</a> },
          { header: 'Du', cell: (y) => dayLabel(y.start_date, true) },
          { header: 'Au', cell: (y) => dayLabel(y.end_date, true) },
        ]}
      />
      <p>
        <a href={`${BASE}/annees/nouvelle`}>Ajouter une année scolaire</a>
      </p>

      <h2>Structures</h2>
      {props.facilities.length === 0 && <p class="empty">Aucune structure : commencez par ajouter une école ou un centre de loisirs.</p>}
      {props.facilities.map((f) => (
        <section class="panel" aria-labelledby={`s-${f.id}`}>
          <h3 id={`s-${f.id}`}>
            {f.name} <Tag>{FACILITY_KINDS[f.kind]}</Tag>
          </h3>
          {f.address && <p class="muted">{f.address}</p>}
          <p>
            <a href={`${BASE}/structures/${f.id}/modifier`}>
              Modifier<span class="visually-hidden"> la structure {f.name}</span>
            </a>
          </p>
          <h4>Groupes</h4>
          {f.groups.length === 0 ? (
            <p class="empty">Aucun groupe : les réservations et les capacités se comptent par groupe.</p>
          ) : (
            <ul>
              {f.groups.map((g) => (
                <li>
                  <a href={`${BASE}/groupes/${g.id}`}>{g.name}</a> – {levelsText(g.class_levels)}
                </li>
              ))}
            </ul>
          )}
          <p>
            <a href={`${BASE}/structures/${f.id}/groupes/nouveau`}>
              Ajouter un groupe<span class="visually-hidden"> à {f.name}</span>
            </a>
          </p>
          <Table
            caption={`Prestations de ${f.name}`}
            rows={f.services}
            empty="Aucune prestation."
            columns={[
              { header: 'Prestation', cell: (s) => <a href={`${BASE}/prestations/${s.id}`}>{s.name}</a> },
              { header: 'Type', cell: (s) => SERVICE_KINDS[s.kind] },
              { header: 'Jours', cell: (s) => weekdaysText(s.weekdays) },
              { header: 'État', cell: (s) => (s.active ? <Tag tone="green">Ouverte</Tag> : <Tag>Fermée</Tag>) },
            ]}
          />
          <p>
            <a href={`${BASE}/prestations/nouvelle?structure=${f.id}`}>
              Ajouter une prestation<span class="visually-hidden"> à {f.name}</span>
            </a>
          </p>
        </section>
      ))}
    </Layout>
  );
}

export const FacilityFormPage = (p: FormProps & { id?: string }) => (
  <FormPage ctx={p.ctx} title={p.id ? 'Modifier la structure' : 'Ajouter une structure'} errors={p.errors} back={BASE} action={p.id ? `${BASE}/structures/${p.id}/modifier` : `${BASE}/structures/nouvelle`} submit="Enregistrer la structure">
    <TextField name="name" label="Nom de la structure" hint="Par exemple « École Jules-Ferry »" autocomplete="off" errors={p.errors} values={p.values} />
    <Choices type="radio" name="kind" label="Type de structure" options={Object.entries(FACILITY_KINDS).map(([value, label]) => ({ value, label }))} selected={[p.values?.kind ?? '']} errors={p.errors} />
    <TextField name="address" label="Adresse (facultatif)" autocomplete="off" errors={p.errors} values={p.values} />
  </FormPage>
);

export const GroupFormPage = (p: FormProps & { facilityName: string; action: string; back: string; classLevels: string[]; levels: string[]; editing: boolean }) => (
  <FormPage ctx={p.ctx} title={p.editing ? `Modifier le groupe – ${p.facilityName}` : `Ajouter un groupe – ${p.facilityName}`} errors={p.errors} back={p.back} action={p.action} submit="Enregistrer le groupe">
    <TextField name="name" label="Nom du groupe" hint="Par exemple « Maternelle » ou « CP-CE1 »" autocomplete="off" width="medium" errors={p.errors} values={p.values} />
    <LevelChoices classLevels={p.classLevels} selected={p.levels} errors={p.errors} label="Niveaux de classe du groupe" />
  </FormPage>
);

export function GroupPage(props: { ctx: PageCtx; group: Group & { facility_name: string }; animators: { id: string; first_name: string; last_name: string; email: string | null; status: string }[]; assigned: string[] }) {
  const g = props.group;
  return (
    <Layout ctx={props.ctx} title={`Groupe ${g.name} – ${g.facility_name}`}>
      <p>
        <a href={BASE}>Retour au catalogue</a>
      </p>
      <h1>
        Groupe {g.name} – {g.facility_name}
      </h1>
      <SummaryList
        rows={[
          { key: 'Structure', value: g.facility_name },
          { key: 'Nom', value: g.name },
          { key: 'Niveaux', value: levelsText(g.class_levels) },
        ]}
      />
      <p>
        <a href={`${BASE}/groupes/${g.id}/modifier`}>Modifier le groupe</a>
      </p>
      <h2>Animateurs du groupe</h2>
      {props.animators.length === 0 ? (
        <p class="empty">Aucun agent n'a le rôle animateur. Un administrateur le donne depuis la page Agents.</p>
      ) : (
        <PostForm action={`${BASE}/groupes/${g.id}/animateurs`} csrf={props.ctx.csrf}>
          <Choices
            type="checkbox"
            name="agents"
            label="Animateurs qui font le pointage de ce groupe"
            hint="Ils voient les enfants de ce groupe et leurs alertes de santé, et rien d'autre."
            options={props.animators.map((a) => ({ value: a.id, label: `${a.first_name} ${a.last_name}`, hint: a.status === 'active' ? a.email ?? undefined : 'Compte pas encore activé' }))}
            selected={props.assigned}
          />
          <Button>Enregistrer les animateurs</Button>
        </PostForm>
      )}
    </Layout>
  );
}
