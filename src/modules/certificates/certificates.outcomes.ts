import { outcomes } from '../../platform/result.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import type { CertificateKind } from './certificates.domain.ts';

/** Every French word the certificates show about their codes. */

export const KIND_TITLES: Record<CertificateKind, string> = {
  attendance: 'Attestation de présence',
  payment: 'Attestation de paiement',
  tax: 'Attestation pour le crédit d\'impôt – frais de garde des enfants de moins de 6 ans',
};

/** Short labels for lists and the verification page. */
export const KIND_LABELS: Record<CertificateKind, string> = {
  attendance: 'Attestation de présence',
  payment: 'Attestation de paiement',
  tax: 'Attestation fiscale (frais de garde)',
};

/** « du lundi 1er septembre 2026 au mercredi 30 septembre 2026 », « année 2026 ». */
export function periodText(start: string, end: string): string {
  if (start.endsWith('-01-01') && end === `${start.slice(0, 4)}-12-31`) return `année ${start.slice(0, 4)}`;
  return `du ${dayLabel(start, true)} au ${dayLabel(end, true)}`;
}

export type IssueRefusal = 'order' | 'too_long' | 'future' | 'unknown_child' | 'nothing_attended' | 'nothing_paid' | 'no_eligible_child' | 'year_not_started' | 'anonymised';
export const ISSUE_REFUSALS = outcomes<IssueRefusal>({
  order: 'Le mois de fin doit venir après le mois de début',
  too_long: 'Choisissez une période d\'un an au plus',
  future: 'Choisissez une période déjà commencée',
  unknown_child: 'Choisissez un enfant du foyer',
  nothing_attended: 'Aucune présence n\'est enregistrée pour cet enfant sur cette période : il n\'y a rien à attester.',
  nothing_paid: 'Aucun paiement n\'est enregistré sur cette période : il n\'y a rien à attester.',
  no_eligible_child: 'Aucun paiement de frais de garde pour un enfant de moins de 6 ans n\'est enregistré cette année-là : il n\'y a rien à attester. Les repas ne comptent pas.',
  year_not_started: 'Choisissez une année passée ou l\'année en cours',
  anonymised: 'Ce foyer est anonymisé : aucune attestation ne peut plus être établie.',
});

export type VerifyRefusal = 'not_found' | 'throttled';
export const VERIFY = {
  notFound: 'Aucune attestation ne correspond à ce numéro et à ce code. Vérifiez ce que vous avez saisi : le numéro commence par ATT, le code a 12 caractères.',
  throttled: 'Trop de vérifications ont été faites depuis cette connexion. Réessayez dans un quart d\'heure.',
  numberMissing: 'Saisissez le numéro de l\'attestation',
  codeMissing: 'Saisissez le code de vérification',
};

export const AUDIT = {
  issued: (kind: CertificateKind, number: string, period: string) => `${KIND_LABELS[kind]} ${number} établie (${period})`,
  pes: (month: string, idBord: number, pieces: number) => `Export PES V2 de la facturation ${month} : bordereau ${idBord}, ${pieces} pièce${pieces > 1 ? 's' : ''}`,
};

export const PES_REFUSALS = outcomes<'not_issued'>({
  not_issued: 'Cette facturation n\'est pas encore émise : le fichier PES se fait à partir des factures émises.',
});
