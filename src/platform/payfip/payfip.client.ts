import { centsOfMontant, createProblems, montantOf, type CreatePaymentFields } from './payfip.domain.ts';
import { buildRequest, parseResponse, type FaultDetail, type Operation, type RequestFields, type ResponseFields } from './soap.ts';
import { XmlError } from './xml.ts';

/**
 * The PayFiP Régie web-service client: three SOAP calls over HTTP with `fetch`, a timeout on each,
 * an answer read within a size limit and parsed strictly. Every failure is one of three typed
 * errors, so callers decide without reading messages:
 * - PayfipFault: PayFiP answered with a SOAP fault (its code, e.g. P5, is kept);
 * - PayfipUnavailable: no usable answer (network, timeout, HTTP status other than 200/500);
 * - PayfipProtocolError: an answer that is not what the contract says (refused, never guessed at).
 */

export class PayfipError extends Error {}

export class PayfipFault extends PayfipError {
  constructor(readonly fault: FaultDetail) {
    super(`PayFiP a répondu par une erreur ${fault.kind}${fault.code ? ` ${fault.code}` : ''} : ${fault.descriptif || fault.libelle || fault.faultstring}`);
  }
}

export class PayfipUnavailable extends PayfipError {}

export class PayfipProtocolError extends PayfipError {}

export interface PayfipSettings {
  numcli: string;
  saisie: CreatePaymentFields['saisie'];
  /** The SOAP endpoint, e.g. https://www.payfip.gouv.fr/tpa/services/securite */
  soapUrl: string;
  /** The payment page the payer is sent to with ?idop=, e.g. https://www.payfip.gouv.fr/tpa/paiementws.web */
  paymentPageUrl: string;
  timeoutMs: number;
}

export interface PaymentDetail {
  idOp: string;
  resultrans: string;
  /** Echoed amount in cents, null when absent or malformed. */
  amountCents: number | null;
  refdet: string;
  numauto: string;
  dattrans: string;
  heurtrans: string;
  saisie: string;
  /** Every field as PayFiP returned it, kept for audit (bank data), the e-mail left out. */
  bankData: Record<string, string>;
}

export interface ClientDetail {
  numcli: string;
  libelles: string[];
}

export interface PayfipClient {
  readonly settings: PayfipSettings;
  /** Creates the operation; returns its idOp. The fields are checked first (nothing malformed is sent). */
  createPayment(fields: Omit<CreatePaymentFields, 'numcli' | 'saisie'>): Promise<string>;
  paymentDetail(idOp: string): Promise<PaymentDetail>;
  clientDetail(): Promise<ClientDetail>;
  /** The page the payer's browser goes to. */
  paymentPageFor(idOp: string): string;
}

/** Answers larger than this are not PayFiP's: reading stops there. */
const MAX_ANSWER_BYTES = 64 * 1024;
export const IDOP_RE = /^[A-Za-z0-9-]{1,64}$/;

async function readBounded(res: Response): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > MAX_ANSWER_BYTES) throw new PayfipProtocolError('réponse de PayFiP trop longue');
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw new PayfipProtocolError('réponse de PayFiP trop longue');
    }
    chunks.push(value);
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}

export function payfipClient(settings: PayfipSettings, fetchImpl: typeof fetch = fetch): PayfipClient {
  async function call<O extends Operation>(op: O, fields: RequestFields<O>): Promise<ResponseFields<O>> {
    const body = buildRequest(op, fields);
    let text: string;
    let status: number;
    try {
      const res = await fetchImpl(settings.soapUrl, {
        method: 'POST',
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""', accept: 'text/xml' },
        body,
        redirect: 'error',
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
      status = res.status;
      text = await readBounded(res);
    } catch (err) {
      if (err instanceof PayfipError) throw err;
      if (err instanceof TypeError && /decode|encoded/i.test(err.message)) throw new PayfipProtocolError('réponse de PayFiP mal encodée');
      const timeout = err instanceof DOMException && err.name === 'TimeoutError';
      throw new PayfipUnavailable(timeout ? `PayFiP n'a pas répondu en ${settings.timeoutMs / 1000} s` : `PayFiP est injoignable (${(err as Error).message})`);
    }
    // Faults come with HTTP 500: the body is read in both cases.
    if (status !== 200 && status !== 500) throw new PayfipUnavailable(`PayFiP a répondu HTTP ${status}`);
    let answer;
    try {
      answer = parseResponse(op, text);
    } catch (err) {
      if (err instanceof XmlError && status === 500) throw new PayfipUnavailable('PayFiP a répondu HTTP 500 sans message SOAP');
      if (err instanceof XmlError) throw new PayfipProtocolError(`réponse de PayFiP inattendue : ${err.message}`);
      throw err;
    }
    if (answer.kind === 'fault') throw new PayfipFault(answer.fault);
    if (status !== 200) throw new PayfipProtocolError('réponse sans erreur avec le statut HTTP 500');
    return answer.fields;
  }

  return {
    settings,

    async createPayment(f) {
      const all: CreatePaymentFields = { ...f, numcli: settings.numcli, saisie: settings.saisie };
      const problems = createProblems(all);
      if (problems.length > 0) throw new RangeError(`paiement non conforme au contrat PayFiP : ${problems.join(', ')}`);
      const answer = await call('creerPaiementSecurise', {
        exer: all.exer,
        mel: all.mel,
        montant: montantOf(all.amountCents),
        numcli: all.numcli,
        objet: all.objet,
        refdet: all.refdet,
        saisie: all.saisie,
        urlnotif: all.urlnotif,
        urlredirect: all.urlredirect,
      });
      if (!IDOP_RE.test(answer.idOp)) throw new PayfipProtocolError('idOp absent ou mal formé dans la réponse de PayFiP');
      return answer.idOp;
    },

    async paymentDetail(idOp) {
      if (!IDOP_RE.test(idOp)) throw new RangeError('idOp mal formé');
      const a = await call('recupererDetailPaiementSecurise', { idOp });
      // An answer about another operation is not an answer about this one.
      if (a.idOp !== '' && a.idOp !== idOp) throw new PayfipProtocolError('PayFiP a répondu pour un autre idOp');
      const bankData: Record<string, string> = { ...a };
      delete bankData.mel;
      return {
        idOp,
        resultrans: a.resultrans,
        amountCents: centsOfMontant(a.montant),
        refdet: a.refdet,
        numauto: a.numauto,
        dattrans: a.dattrans,
        heurtrans: a.heurtrans,
        saisie: a.saisie,
        bankData,
      };
    },

    async clientDetail() {
      const a = await call('recupererDetailClient', { numCli: settings.numcli });
      if (a.numcli !== settings.numcli) throw new PayfipProtocolError('PayFiP a répondu pour un autre NUMCLI');
      return { numcli: a.numcli, libelles: [a.libelleN1, a.libelleN2, a.libelleN3].filter((l) => l !== '') };
    },

    paymentPageFor(idOp) {
      const url = new URL(settings.paymentPageUrl);
      url.searchParams.set('idop', idOp);
      return url.toString();
    },
  };
}
