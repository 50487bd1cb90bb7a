import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, CsrfField, Select, SummaryList, Table, Tag, TextField } from '../../platform/ui/components.tsx';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { DIETS } from '../households/households.domain.ts';
import type { Attendance } from '../../platform/db/schema-services.ts';
import { ATTENDANCE_LABELS } from './attendance.service.ts';
import type { KitchenUnit } from './attendance.domain.ts';
import { ATTENDANCE_REFUSALS, type AttendanceRefusal } from './attendance.outcomes.ts';

export function GroupsPage(props: { ctx: PageCtx; groups: { id: string; name: string; facility_name: string }[]; day: string }) {
  return (
    <Layout ctx={props.ctx} title="Pointage">
      <h1>Pointage</h1>
      {props.groups.length === 0 ? (
        <p>Vous n'êtes affecté à aucun groupe. Demandez à la coordination de vous y affecter.</p>
      ) : (
        <ul class="cards">
          {props.groups.map((g) => (
            <li class="card">
              <a href={`/agent/pointage/${g.id}?jour=${props.day}`}>
                {g.facility_name} – {g.name}
              </a>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

/** « 3 enfants attendus, 1 pointé. »: the right number, also in the script's answer. */
export function countText(expected: number, done: number) {
  return `${expected} ${expected <= 1 ? 'enfant attendu' : 'enfants attendus'}, ${done} ${done <= 1 ? 'pointé' : 'pointés'}.`;
}

interface Row {
  id: string;
  unitId: string;
  unitLabel: string;
  firstName: string;
  lastName: string;
  classLevel: string | null;
  diet: string;
  pai: boolean;
  allergy: boolean;
  attendance: Attendance | null;
  absenceDeclared: boolean;
}

const stateTag = (a: Attendance | null) =>
  a ? <Tag tone={a === 'present' || a === 'present_unbooked' ? 'green' : 'red'}>{ATTENDANCE_LABELS[a]}</Tag> : <Tag>Pas encore pointé</Tag>;

export function DayListPage(props: {
  ctx: PageCtx;
  group: { id: string; name: string; facility_name: string };
  day: string;
  prev: string;
  next: string;
  rows: Row[];
  canJustify: boolean;
  search: string;
  /** Why attendance cannot be recorded for this day by this person (ahead, not today, locked), or null. */
  refusal: AttendanceRefusal | null;
  candidates: { child_id: string; first_name: string; last_name: string; unit_id: string; unit_label: string; service_name: string }[];
}) {
  const { ctx, group, day } = props;
  const units = [...new Map(props.rows.map((r) => [r.unitId, r.unitLabel])).entries()];
  const base = `/agent/pointage/${group.id}`;
  const done = props.rows.filter((r) => r.attendance).length;
  return (
    <Layout ctx={ctx} title={`Pointage ${group.name} – ${dayLabel(day)}`}>
      <p>
        <a href="/agent/pointage">Mes groupes</a>
      </p>
      <h1>
        {group.facility_name} – {group.name}
      </h1>
      <nav class="month-nav" aria-label="Jour">
        <a href={`${base}?jour=${props.prev}`}>Jour précédent</a>
        <strong>{dayLabel(day, true)}</strong>
        <a href={`${base}?jour=${props.next}`}>Jour suivant</a>
      </nav>
      <div data-module="attendance-roll">
      <p>
        <span data-role="count">{countText(props.rows.length, done)}</span> <a href={`${base}/feuille.pdf?jour=${day}`}>Feuille de présence (PDF)</a>
      </p>
      {/* Where the script announces each saved tap (present in the page from the start, as live regions must be). */}
      <p class="visually-hidden" aria-live="polite" data-role="live"></p>
      {props.refusal && <p>{ATTENDANCE_REFUSALS[props.refusal]}</p>}
      {units.length === 0 && <p>Aucun enfant attendu ce jour-là.</p>}
      {units.map(([unitId, label]) => (
        <section aria-labelledby={`u-${unitId}`}>
          <h2 id={`u-${unitId}`}>{label}</h2>
          <ul class="roll">
            {props.rows
              .filter((r) => r.unitId === unitId)
              .map((r) => (
                <li class="roll__item" id={`b-${r.id}`}>
                  <div class="roll__who">
                    <strong>
                      {r.firstName} {r.lastName}
                    </strong>
                    {r.classLevel && <span class="hint"> · {r.classLevel}</span>}
                    <div>
                      {r.pai && <Tag tone="red">PAI</Tag>} {r.allergy && <Tag tone="orange">Allergie</Tag>}{' '}
                      {(r.pai || r.allergy) && (
                        <a href={`${base}/sante/${r.id}?jour=${day}`}>
                          Voir la fiche sanitaire<span class="visually-hidden"> de {r.firstName} {r.lastName}</span>
                        </a>
                      )} {r.diet !== 'standard' && <Tag tone="blue">{DIETS[r.diet as keyof typeof DIETS] ?? r.diet}</Tag>}{' '}
                      {r.absenceDeclared && <Tag>Absence signalée par la famille</Tag>}
                    </div>
                    <div class="roll__state" data-role="state">{stateTag(r.attendance)}</div>
                    <p class="roll__error" data-role="error" hidden></p>
                  </div>
                  {props.refusal ? null : r.attendance === 'present_unbooked' ? (
                    <form method="post" action={`${base}/${r.id}?jour=${day}`} class="roll__actions">
                      <CsrfField token={ctx.csrf} />
                      <button type="submit" name="etat" value="absent_unjustified" class="btn btn--secondary roll__btn">
                        Retirer, ajouté par erreur<span class="visually-hidden"> : {r.firstName} {r.lastName}</span>
                      </button>
                    </form>
                  ) : (
                    <form method="post" action={`${base}/${r.id}?jour=${day}`} class="roll__actions" data-attendance={`${r.firstName} ${r.lastName}`}>
                      <CsrfField token={ctx.csrf} />
                      <button type="submit" name="etat" value="present" class="btn btn--primary roll__btn">
                        Présent<span class="visually-hidden"> : {r.firstName} {r.lastName}</span>
                      </button>
                      <button type="submit" name="etat" value="absent_unjustified" class="btn btn--secondary roll__btn">
                        Absent<span class="visually-hidden"> : {r.firstName} {r.lastName}</span>
                      </button>
                      {props.canJustify && (
                        <button type="submit" name="etat" value="absent_justified" class="btn btn--secondary roll__btn">
                          Absent justifié<span class="visually-hidden"> : {r.firstName} {r.lastName}</span>
                        </button>
                      )}
                    </form>
                  )}
                </li>
              ))}
          </ul>
        </section>
      ))}
      </div>
      {!props.refusal && (
        <>
      <h2>Ajouter un enfant venu sans réservation</h2>
      <form method="get" action={base} role="search">
        <input type="hidden" name="jour" value={day} />
        <TextField name="recherche" type="search" label="Nom ou prénom de l'enfant" value={props.search} autocomplete="off" width="medium" />
        <Button variant="secondary">Chercher</Button>
      </form>
      {props.candidates.length > 0 && (
        <ul class="roll">
          {props.candidates.map((c) => (
            <li class="roll__item">
              <div class="roll__who">
                <strong>
                  {c.first_name} {c.last_name}
                </strong>{' '}
                <span class="hint">{c.service_name} – {c.unit_label}</span>
              </div>
              <form method="post" action={`${base}/ajout?jour=${day}`} class="roll__actions">
                <CsrfField token={ctx.csrf} />
                <input type="hidden" name="enfant" value={c.child_id} />
                <input type="hidden" name="unite" value={c.unit_id} />
                <button type="submit" class="btn btn--primary roll__btn">
                  Ajouter présent<span class="visually-hidden"> : {c.first_name} {c.last_name}, {c.unit_label}</span>
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      {props.search && props.candidates.length === 0 && <p>Aucun enfant inscrit ne correspond.</p>}
        </>
      )}
    </Layout>
  );
}

export function HealthPage(props: {
  ctx: PageCtx;
  day: string;
  group: { id: string; name: string; facility_name: string };
  child: { first_name: string; last_name: string; class_level: string | null; diet: string; allergies: string | null; has_pai: number | null; pai_description: string | null; doctor_name: string | null; doctor_phone: string | null };
}) {
  const { ctx, child, group } = props;
  const dash = (v: string | null | undefined) => (v && v.trim() ? v : 'Non renseigné');
  return (
    <Layout ctx={ctx} title={`Fiche sanitaire de ${child.first_name} ${child.last_name}`}>
      <p>
        <a href={`/agent/pointage/${group.id}?jour=${props.day}`}>Retour au pointage</a>
      </p>
      <h1>
        Fiche sanitaire de {child.first_name} {child.last_name}
      </h1>
      <p class="hint">Données de santé : consultation enregistrée. Ne les recopiez pas et ne les communiquez qu'aux personnes qui s'occupent de l'enfant.</p>
      <SummaryList
        rows={[
          { key: 'Groupe', value: `${group.facility_name} – ${group.name}${child.class_level ? `, ${child.class_level}` : ''}` },
          { key: 'Régime alimentaire', value: DIETS[child.diet as keyof typeof DIETS] ?? child.diet },
          { key: 'Allergies', value: dash(child.allergies) },
          { key: 'PAI (projet d\'accueil individualisé)', value: child.has_pai === 1 ? `Oui. ${dash(child.pai_description)}` : 'Non' },
          { key: 'Médecin', value: `${dash(child.doctor_name)}${child.doctor_phone ? `, ${child.doctor_phone}` : ''}` },
        ]}
      />
    </Layout>
  );
}

export function KitchenPage(props: { ctx: PageCtx; facilities: { id: string; name: string }[]; facility: { id: string; name: string } | undefined; day: string; table: KitchenUnit[] }) {
  const { ctx, facility, day } = props;
  return (
    <Layout ctx={ctx} title={`Repas du ${dayLabel(day)}`}>
      <h1>Repas à préparer</h1>
      <form method="get" action="/agent/cuisine">
        <Select name="etablissement" label="Établissement" options={props.facilities.map((f) => ({ value: f.id, label: f.name }))} values={{ etablissement: facility?.id }} />
        <TextField name="jour" label="Jour" type="date" width="medium" value={day} />
        <Button variant="secondary">Afficher</Button>
      </form>
      {facility && (
        <>
          <h2>
            {facility.name}, {dayLabel(day, true)}
          </h2>
          {props.table.length === 0 && <p>Aucun repas réservé ce jour-là.</p>}
          {props.table.map((u) => (
            <Table
              caption={`${u.label} : ${u.total} repas${u.pai ? `, dont ${u.pai} avec PAI (panier repas ou protocole)` : ''}`}
              rows={[...u.byDiet, { diet: 'total', label: 'Total', meals: u.total }]}
              columns={[
                { header: 'Régime', cell: (d) => (d.diet === 'total' ? <strong>{d.label}</strong> : d.label) },
                { header: 'Repas', cell: (d) => (d.diet === 'total' ? <strong>{d.meals}</strong> : String(d.meals)), numeric: true },
              ]}
            />
          ))}
          <p>
            <a href={`/agent/cuisine.pdf?etablissement=${facility.id}&jour=${day}`}>Imprimer (PDF)</a>
          </p>
          <p class="hint">Compte : réservations du jour, moins les absences déjà pointées ou signalées par les familles, plus les enfants présents sans réservation.</p>
        </>
      )}
    </Layout>
  );
}
