import { childNamed, escapeXml, parseXml, XmlError, type XmlElement } from './xml.ts';

/**
 * The SOAP 1.1 document/literal contract of PayFiP's `PaiementSecuriseService` (protocols.md §1.2):
 * the wrapper element is in the service namespace, `arg0`/`return` and their fields unqualified,
 * every field a string. Requests are built field by field in the XSD's order; answers are read by
 * local name and must have exactly the expected shape.
 */

export const SOAP_ENV_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const SERVICE_NS = 'http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/contrat_paiement_securise/PaiementSecuriseService';

export const OPERATIONS = ['creerPaiementSecurise', 'recupererDetailPaiementSecurise', 'recupererDetailClient'] as const;
export type Operation = (typeof OPERATIONS)[number];

/** Request fields, in the XSD sequence order (note `numCli` with a capital C in recupererDetailClient). */
export const REQUEST_FIELDS = {
  creerPaiementSecurise: ['exer', 'mel', 'montant', 'numcli', 'objet', 'refdet', 'saisie', 'urlnotif', 'urlredirect'],
  recupererDetailPaiementSecurise: ['idOp'],
  recupererDetailClient: ['numCli'],
} as const satisfies Record<Operation, readonly string[]>;

export const RESPONSE_FIELDS = {
  creerPaiementSecurise: ['idOp'],
  recupererDetailPaiementSecurise: ['dattrans', 'exer', 'heurtrans', 'idOp', 'mel', 'montant', 'numauto', 'numcli', 'objet', 'refdet', 'resultrans', 'saisie'],
  recupererDetailClient: ['libelleN1', 'libelleN2', 'libelleN3', 'numcli'],
} as const satisfies Record<Operation, readonly string[]>;

export type RequestFields<O extends Operation> = Record<(typeof REQUEST_FIELDS)[O][number], string>;
/** Every field is optional in the XSD: one missing from the answer reads as ''. */
export type ResponseFields<O extends Operation> = Record<(typeof RESPONSE_FIELDS)[O][number], string>;

/** The four fault kinds of the WSDL, all with the same detail shape. */
export const FAULT_KINDS = ['FonctionnelleErreur', 'TechDysfonctionnementErreur', 'TechIndisponibiliteErreur', 'TechProtocolaireErreur'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultDetail {
  /** 'other' for a SOAP fault without one of the WSDL's details (a server error in front of the service). */
  kind: FaultKind | 'other';
  code: string;
  descriptif: string;
  libelle: string;
  message: string;
  severite: string;
  faultstring: string;
}

export type SoapAnswer<O extends Operation> = { kind: 'ok'; fields: ResponseFields<O> } | { kind: 'fault'; fault: FaultDetail };

/** A field longer than this in an answer is refused: none of PayFiP's values comes near it. */
const MAX_FIELD_CHARS = 512;

export function buildRequest<O extends Operation>(op: O, fields: RequestFields<O>): string {
  const names: readonly string[] = REQUEST_FIELDS[op];
  const values = fields as Record<string, string>;
  const body = names.map((n) => `<${n}>${escapeXml(values[n])}</${n}>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="${SOAP_ENV_NS}" xmlns:pai="${SERVICE_NS}">` +
    `<soapenv:Header/><soapenv:Body><pai:${op}><arg0>${body}</arg0></pai:${op}></soapenv:Body></soapenv:Envelope>`
  );
}

/** The one element inside Envelope/Body, after checking the envelope's shape. */
export function bodyContent(root: XmlElement): XmlElement {
  if (root.name !== 'Envelope') throw new XmlError('enveloppe SOAP attendue');
  if (root.children.some((c) => c.name !== 'Header' && c.name !== 'Body')) throw new XmlError('élément inattendu dans l\'enveloppe');
  const body = childNamed(root, 'Body');
  if (!body || body.children.length !== 1) throw new XmlError('corps SOAP vide ou multiple');
  return body.children[0];
}

/** Reads leaf fields of a known list from a container element; anything else is refused. */
export function leafFields<N extends string>(container: XmlElement, names: readonly N[]): Record<N, string> {
  const out = Object.fromEntries(names.map((n) => [n, ''])) as Record<N, string>;
  const seen = new Set<string>();
  for (const child of container.children) {
    if (!(names as readonly string[]).includes(child.name)) throw new XmlError(`champ inattendu : ${child.name}`);
    if (seen.has(child.name)) throw new XmlError(`champ répété : ${child.name}`);
    if (child.children.length > 0) throw new XmlError(`champ ${child.name} non textuel`);
    if (child.text.length > MAX_FIELD_CHARS) throw new XmlError(`champ ${child.name} trop long`);
    seen.add(child.name);
    out[child.name as N] = child.text.trim();
  }
  return out;
}

function parseFault(fault: XmlElement): FaultDetail {
  const faultstring = childNamed(fault, 'faultstring')?.text.trim().slice(0, MAX_FIELD_CHARS) ?? '';
  const detail = childNamed(fault, 'detail');
  const known = detail?.children.find((c) => (FAULT_KINDS as readonly string[]).includes(c.name));
  if (!known) return { kind: 'other', code: '', descriptif: '', libelle: '', message: '', severite: '', faultstring };
  const f = leafFields(known, ['code', 'descriptif', 'libelle', 'message', 'severite']);
  return { kind: known.name as FaultKind, ...f, faultstring };
}

/** Parses an answer of `op`: its fields, or the fault it carries; throws XmlError on any other shape. */
export function parseResponse<O extends Operation>(op: O, xml: string): SoapAnswer<O> {
  const content = bodyContent(parseXml(xml));
  if (content.name === 'Fault') return { kind: 'fault', fault: parseFault(content) };
  if (content.name !== `${op}Response`) throw new XmlError(`réponse ${content.name} au lieu de ${op}Response`);
  if (content.children.length !== 1 || content.children[0].name !== 'return') throw new XmlError('élément return attendu');
  return { kind: 'ok', fields: leafFields(content.children[0], RESPONSE_FIELDS[op]) };
}
