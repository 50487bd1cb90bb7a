import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Table, Tag } from '../../platform/ui/components.tsx';
import { dayLabel, monthLabel } from '../../platform/calendar/calendar.domain.ts';
import type { Attendance, BookingStatus } from '../../platform/db/schema-services.ts';
import { ATTENDANCE_LABELS } from './attendance.service.ts';
import { serviceUnitLabel } from '../bookings/bookings.outcomes.ts';

/** The state of a booked day as the counter reads it. */
const STATUS_LABELS: Record<BookingStatus, string> = {
  booked: 'Réservé',
  waiting: 'Liste d\'attente',
  requested: 'Demandé (tirage au sort)',
  cancelled: 'Annulé',
  closed: 'Fermé (annulé par la mairie)',
};

interface DayRow {
  id: string;
  day: string;
  status: BookingStatus;
  attendance: Attendance | null;
  override: number;
  service_name: string;
  unit_label: string;
}

/** A child's month in one household, day by day: what was booked and what attendance says. */
export function ChildMonthPage(props: { ctx: PageCtx; householdId: string; child: { id: string; first_name: string; last_name: string }; month: string; prev: string; next: string; rows: DayRow[]; url: (month: string) => string }) {
  const { child, month } = props;
  const title = `Réservations et présences de ${child.first_name} ${child.last_name} – ${monthLabel(month)}`;
  return (
    <Layout ctx={props.ctx} title={title} wide>
      <p>
        <a href={`/agent/foyers/${props.householdId}`}>Retour au foyer</a>
      </p>
      <h1>{title}</h1>
      <nav class="month-nav" aria-label="Mois">
        <a href={props.url(props.prev)}>
          Mois précédent<span class="visually-hidden"> : {monthLabel(props.prev)}</span>
        </a>
        <strong>{monthLabel(month)}</strong>
        <a href={props.url(props.next)}>
          Mois suivant<span class="visually-hidden"> : {monthLabel(props.next)}</span>
        </a>
      </nav>
      <p class="hint">Cette consultation est enregistrée dans l'historique de la famille.</p>
      <Table
        caption={`Jours de ${child.first_name} en ${monthLabel(month)}`}
        captionHidden
        rows={props.rows}
        empty={`Aucune réservation pour ${child.first_name} en ${monthLabel(month)}.`}
        columns={[
          { header: 'Jour', cell: (r) => dayLabel(r.day) },
          { header: 'Service', cell: (r) => serviceUnitLabel(r.service_name, r.unit_label) },
          { header: 'Réservation', cell: (r) => <>{STATUS_LABELS[r.status]}{r.override ? <span class="hint"> (dérogation)</span> : null}</> },
          { header: 'Présence', cell: (r) => (r.attendance ? <Tag tone={r.attendance.startsWith('present') ? 'green' : 'orange'}>{ATTENDANCE_LABELS[r.attendance]}</Tag> : '—') },
        ]}
      />
    </Layout>
  );
}
