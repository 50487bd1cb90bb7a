import type { Instant } from './schema.ts';

/** Tables of migration 012 (tariffs), merged into the schema's types. */
declare module './schema.ts' {
  interface QuotientsTable {
    /** Why the value was entered or corrected (« attestation CAF de janvier », « erreur de saisie »). */
    reason: string;
  }

  interface Database {
    tariff_versions: TariffVersionsTable;
    tariff_lines: TariffLinesTable;
    resident_places: ResidentPlacesTable;
  }
}

export interface TariffVersionsTable {
  id: string;
  service_id: string;
  /** null: every unit of the service without a tariff of its own. */
  unit_id: string | null;
  /** unit_id or '' (the unique key service × unit × first day). */
  unit_key: string;
  school_year_id: string;
  applies_from: string;
  present_without_booking_cents: number;
  late_cancellation_cents: number;
  locked_at: Instant | null;
  created_by: string | null;
  created_at: Instant;
  updated_at: Instant;
}

export interface TariffLinesTable {
  id: string;
  version_id: string;
  position: number;
  qf_min: number | null;
  qf_max: number | null;
  residency: 'any' | 'resident' | 'non_resident';
  rank_min: number | null;
  rank_max: number | null;
  amount_cents: number;
  category: 'garde' | 'repas';
  is_default: number;
}

export interface ResidentPlacesTable {
  postcode: string;
  city_key: string;
  city: string;
}
