import { childNamed, escapeXml, parseXml, XmlError } from '../platform/payfip/xml.ts';
import { bodyContent, leafFields, OPERATIONS, REQUEST_FIELDS, RESPONSE_FIELDS, SERVICE_NS, SOAP_ENV_NS, type FaultKind, type Operation } from '../platform/payfip/soap.ts';

/**
 * The server side of PayFiP's SOAP contract, for the simulator only: reads a request the way
 * PayFiP's JAX-WS endpoint would, and writes answers and faults in the shape it sends back
 * (prefixed envelope, `ns2:` wrapper, unqualified `return`; faults with HTTP 500).
 */

export type ParsedRequest = { [O in Operation]: { op: O; fields: Record<(typeof REQUEST_FIELDS)[O][number], string> } }[Operation];

export function parseSoapRequest(xml: string): ParsedRequest {
  const content = bodyContent(parseXml(xml));
  const op = OPERATIONS.find((o) => o === content.name);
  if (!op) throw new XmlError(`opération inconnue : ${content.name}`);
  const arg0 = childNamed(content, 'arg0');
  if (!arg0 || content.children.length !== 1) throw new XmlError('arg0 attendu');
  return { op, fields: leafFields(arg0, REQUEST_FIELDS[op]) };
}

const envelope = (body: string) => `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="${SOAP_ENV_NS}"><S:Body>${body}</S:Body></S:Envelope>`;

export function soapResponse<O extends Operation>(op: O, fields: Partial<Record<(typeof RESPONSE_FIELDS)[O][number], string>>): string {
  const values = fields as Record<string, string | undefined>;
  const inner = (RESPONSE_FIELDS[op] as readonly string[])
    .filter((n) => values[n] !== undefined)
    .map((n) => (values[n] === '' ? `<${n}/>` : `<${n}>${escapeXml(values[n]!)}</${n}>`))
    .join('');
  return envelope(`<ns2:${op}Response xmlns:ns2="${SERVICE_NS}"><return>${inner}</return></ns2:${op}Response>`);
}

export interface SimulatedFault {
  kind: FaultKind;
  code: string;
  descriptif: string;
  libelle?: string;
}

export function soapFault(f: SimulatedFault): string {
  return envelope(
    `<S:Fault xmlns:ns4="http://www.w3.org/2003/05/soap-envelope"><faultcode>S:Server</faultcode><faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.${f.kind}</faultstring>` +
      `<detail><ns2:${f.kind} xmlns:ns2="${SERVICE_NS}"><code>${escapeXml(f.code)}</code><descriptif>${escapeXml(f.descriptif)}</descriptif><libelle>${escapeXml(f.libelle ?? f.descriptif)}</libelle><message/><severite>2</severite></ns2:${f.kind}></detail></S:Fault>`,
  );
}

/** The functional faults the simulator answers, with the wording of PayFiP's « Annexe 1 – Messages anomalies » as far as it is known. */
export const FAULTS = {
  S1: 'Le mode de saisie est invalide',
  T1: 'Le numéro client est invalide',
  T2: 'Le client est inexistant dans PayFiP',
  M1: 'Le format du montant est incorrect',
  M3: 'Le montant est inférieur au minimum autorisé',
  M5: 'Le montant est supérieur à la limite autorisée',
  A1: 'L\'adresse électronique est absente',
  A2: 'Adresse mel incorrecte',
  N1: 'L\'URL de notification est invalide',
  D1: 'L\'URL de redirection est invalide',
  R3: 'Le format du paramètre REFDET n\'est pas conforme',
  P1: 'IdOp incorrect',
  P5: 'Résultat de la transaction non connu',
} as const;

export const functional = (code: keyof typeof FAULTS): SimulatedFault => ({ kind: 'FonctionnelleErreur', code, descriptif: FAULTS[code] });
