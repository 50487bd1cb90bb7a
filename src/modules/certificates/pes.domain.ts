/**
 * PES V2 « Recette ORMC » (protocols.md §4): the bordereau of titles the town's accountant loads into
 * Hélios. Pure: the rows and the town's codes come in, the file's bytes (ISO-8859-1) go out.
 */

/** The town's codes, from the comptable public (configuration, see the module README for the demo defaults). */
export interface PesCodes {
  /** Sigle of the sender (Enveloppe/Emetteur). */
  sigle: string;
  /** The town's address (Enveloppe/Emetteur/Adresse). */
  adresse: string;
  /** Code du poste comptable, 7 characters. */
  idPost: string;
  /** SIRET of the collectivité, 14 digits. */
  idColl: string;
  /** Code collectivité, 3 characters. */
  codCol: string;
  /** Code budget, up to 10 characters. */
  codBud: string;
  /** Imputation (Nature) of the lines: the M57 account the accountant gives (7067 by default). */
  nature: string;
  /** Code produit local, up to 4 characters. */
  codProdLoc: string;
}

export interface PesInvoice {
  number: string;
  /** Total minus credit notes: the amount of the title. */
  amountCents: number;
  payerName: string;
  payerFirstName: string | null;
  payerCivility: 'M' | 'MME' | null;
  addressLine: string;
  postcode: string;
  city: string;
}

export interface PesBordereau {
  /** Exercice (year of the bordereau). */
  year: number;
  idBord: number;
  /** Month of the run, 'YYYY-MM'. */
  month: string;
  /** 'YYYY-MM-DD'. */
  date: string;
  fileName: string;
  objet: string;
  invoices: readonly PesInvoice[];
}

/** Text as PES wants it: upper case, accents and ligatures stripped, no line break, only printable ASCII (so ISO-8859-1 safe), truncated. */
export function pesText(value: string, max: number): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/œ/gi, 'OE')
    .replace(/æ/gi, 'AE')
    .replace(/ß/g, 'SS')
    .toUpperCase()
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[^\x20-\x7E]/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, max);
}

/** « 22.50 »: decimal with a dot, two decimals, from cents. */
export const pesAmount = (cents: number) => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;

/** The invoice number as a debt number: its digits, zero-padded to 13 (F-2026-000123 → 0002026000123). */
export const numDette = (invoiceNumber: string) => invoiceNumber.replace(/\D/g, '').slice(-13).padStart(13, '0');

/** Modulo-11 key (protocols.md §4.3): reversed digits weighted 2..7 cyclically; 10 and 11 give 1. */
export function cle1(parts: readonly string[]): number {
  const s = [...parts.join('')].reverse();
  const weights = [2, 3, 4, 5, 6, 7];
  const total = s.reduce((sum, c, i) => sum + (/\d/.test(c) ? Number(c) : 0) * weights[i % 6], 0);
  const key = 11 - (total % 11);
  return key > 9 ? 1 : key;
}

const CLE2_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXY';

/** Modulo-23 letter (protocols.md §4.3), on a number over 2^53: BigInt. */
export function cle2(parts: readonly string[]): string {
  const digits = parts.join('').replace(/\D/g, '') || '0';
  return CLE2_LETTERS[Number(BigInt(digits) % 23n)];
}

const attr = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
const leaf = (name: string, value: string | number) => `<${name} V="${attr(String(value))}"/>`;

/** Per: the month number, as the Noethys desktop version writes it (protocols.md §4.2, note on Per). */
export const perOf = (month: string) => String(Number(month.slice(5, 7)));

/** The whole file, as bytes in ISO-8859-1 (every text went through pesText, so each character is one byte). */
export function pesXml(codes: PesCodes, b: PesBordereau): Buffer {
  const exer = String(b.year);
  const idBord = String(b.idBord);
  const per = perOf(b.month);
  const total = b.invoices.reduce((s, i) => s + i.amountCents, 0);
  const pieces = b.invoices.map((inv, index) => {
    const dette = numDette(inv.number);
    const k1 = cle1([codes.codCol, idBord, exer.slice(-2), per, dette]);
    const k2 = cle2([exer.slice(-2), per, '00', dette]);
    const objet = pesText(`${b.objet} FACTURE ${inv.number}`, 160);
    return [
      '<Piece>',
      '<BlocPiece>',
      leaf('IdPce', index + 1),
      leaf('TypPce', '15'),
      leaf('NatPce', '01'),
      leaf('ObjPce', objet),
      leaf('NumDette', dette),
      leaf('Per', per),
      leaf('Cle1', k1),
      leaf('Cle2', k2),
      leaf('NumeroFacture', pesText(inv.number, 20)),
      '</BlocPiece>',
      '<LigneDePiece>',
      '<BlocLignePiece>',
      '<InfoLignePiece>',
      leaf('IdLigne', 1),
      leaf('ObjLignePce', objet),
      leaf('CodProdLoc', pesText(codes.codProdLoc, 4)),
      leaf('Nature', pesText(codes.nature, 10)),
      leaf('Majo', 0),
      leaf('TvaIntraCom', 0),
      leaf('MtHT', pesAmount(inv.amountCents)),
      '</InfoLignePiece>',
      '</BlocLignePiece>',
      '<Tiers>',
      '<InfoTiers>',
      leaf('CatTiers', '01'),
      leaf('NatJur', '01'),
      leaf('TypTiers', '01'),
      inv.payerCivility ? leaf('Civilite', inv.payerCivility) : '',
      leaf('Nom', pesText(inv.payerName, 38)),
      inv.payerFirstName ? leaf('Prenom', pesText(inv.payerFirstName, 38)) : '',
      '</InfoTiers>',
      '<Adresse>',
      leaf('TypAdr', 1),
      leaf('Adr2', pesText(inv.addressLine, 38)),
      leaf('CP', pesText(inv.postcode, 5)),
      leaf('Ville', pesText(inv.city, 38)),
      leaf('CodRes', 0),
      '</Adresse>',
      '</Tiers>',
      '</LigneDePiece>',
      '</Piece>',
    ].join('');
  });
  const xml = [
    '<?xml version="1.0" encoding="ISO-8859-1"?>',
    '<n:PES_Aller xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes_v2/Rev0/aller" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.minefi.gouv.fr/cp/helios/pes_v2/recette/r0/aller" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" xmlns:xad="http://uri.etsi.org/01903/v1.1.1#" xmlns:reca="http://www.minefi.gouv.fr/cp/helios/pes_v2/recette/r0/aller" xmlns:cm="http://www.minefi.gouv.fr/cp/helios/pes_v2/commun" xmlns:acta="http://www.minefi.gouv.fr/cp/helios/pes_v2/etatactif/r0/aller">',
    '<Enveloppe>',
    `<Parametres>${leaf('Version', 2)}${leaf('TypFic', 'PESORMC')}${leaf('NomFic', b.fileName.slice(0, 100))}</Parametres>`,
    `<Emetteur>${leaf('Sigle', pesText(codes.sigle, 100))}${leaf('Adresse', pesText(codes.adresse, 100))}</Emetteur>`,
    '</Enveloppe>',
    `<EnTetePES>${leaf('DteStr', b.date)}${leaf('IdPost', codes.idPost)}${leaf('IdColl', codes.idColl)}${leaf('CodCol', codes.codCol)}${leaf('CodBud', codes.codBud)}</EnTetePES>`,
    '<PES_RecetteAller>',
    `<EnTeteRecette>${leaf('IdVer', 2)}${leaf('InfoDematerialisee', 0)}</EnTeteRecette>`,
    '<Bordereau>',
    `<BlocBordereau>${leaf('Exer', exer)}${leaf('IdBord', idBord)}${leaf('DteBordEm', b.date)}${leaf('TypBord', '06')}${leaf('NbrPce', b.invoices.length)}${leaf('MtBordHt', pesAmount(total))}${leaf('DteAsp', b.date)}${leaf('Objet', pesText(b.objet, 160))}</BlocBordereau>`,
    ...pieces,
    '</Bordereau>',
    '</PES_RecetteAller>',
    '</n:PES_Aller>',
  ].join('\n');
  return Buffer.from(xml, 'latin1');
}
