import crypto from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import { z } from 'zod';
import { centsOfMontant, isValidCallbackUrl, isValidMel, isValidNumcli, isValidRefdet, MAX_AMOUNT_CENTS, MIN_AMOUNT_CENTS, SAISIES } from '../platform/payfip/payfip.domain.ts';
import { XmlError } from '../platform/payfip/xml.ts';
import { functional, parseSoapRequest, soapFault, soapResponse, type ParsedRequest, type SimulatedFault } from './soap-server.ts';
import { messagePage, paymentPage } from './page.tsx';

/**
 * A PayFiP Régie web-service simulator: the SOAP endpoint (`/tpa/services/securite`) with the real
 * fields and faults, and the payment page (`/tpa/paiementws.web?idop=`) where a person chooses what
 * the bank answers. It then sends the notification to the operation's `urlnotif` (or drops it,
 * delays it, sends it twice, as chosen) and redirects to its `urlredirect` with `?idop=`.
 * The portal talks to it over HTTP exactly as to PayFiP. State is in memory: a restart forgets it,
 * like PayFiP's nightly purge does (an unknown idOp answers P1).
 */

export type NotificationMode = 'normal' | 'perdu' | 'retard' | 'double';
export type Outage = 'none' | 'fault' | 'down';

interface SimulatedOperation {
  idOp: string;
  request: Extract<ParsedRequest, { op: 'creerPaiementSecurise' }>['fields'];
  amountCents: number;
  createdAt: number;
  result: { resultrans: string; at: Date; numauto: string } | null;
}

export interface SimulatorOptions {
  port?: number;
  host?: string;
  /** The NUMCLI this simulated PayFiP knows, and the town's name it answers for it. */
  numcli?: string;
  libelle?: string;
  /** How late a delayed notification leaves. */
  notificationDelayMs?: number;
  /** An idOp can be used for this long (PayFiP: 15 minutes). */
  idOpValidityMs?: number;
  now?: () => number;
  /** Told of each notification sent (URL and HTTP status, or the error). */
  onNotification?: (n: SentNotification) => void;
}

export interface SentNotification {
  idOp: string;
  url: string;
  status: number | null;
  error?: string;
}

export interface PayfipSimulator {
  url: string;
  soapUrl: string;
  paymentPageUrl: string;
  app: FastifyInstance;
  /** Every notification sent so far. */
  sent: SentNotification[];
  /** Resolves when no notification is on its way (delayed ones included). */
  idle(): Promise<void>;
  close(): Promise<void>;
}

const pageQuery = z.object({ idop: z.string().max(64) });
const choiceBody = z.object({ idop: z.string().max(64), resultat: z.enum(['P', 'V', 'R', 'A']), avis: z.enum(['normal', 'perdu', 'retard', 'double']).default('normal') });
const outageBody = z.object({ mode: z.enum(['none', 'fault', 'down']) });

/** `dattrans` DDMMYYYY and `heurtrans` HHMM in Paris time, as PayFiP gives them. */
function parisStamp(at: Date): { dattrans: string; heurtrans: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((p) => [p.type, p.value]));
  return { dattrans: `${parts.day}${parts.month}${parts.year}`, heurtrans: `${parts.hour}${parts.minute}` };
}

function creationFault(f: SimulatedOperation['request'], numcli: string): SimulatedFault | null {
  if (!(SAISIES as readonly string[]).includes(f.saisie)) return functional('S1');
  if (!isValidNumcli(f.numcli)) return functional('T1');
  if (f.numcli !== numcli) return functional('T2');
  const cents = centsOfMontant(f.montant);
  if (cents === null) return functional('M1');
  if (cents < MIN_AMOUNT_CENTS) return functional('M3');
  if (cents > MAX_AMOUNT_CENTS) return functional('M5');
  if (f.mel === '') return functional('A1');
  if (!isValidMel(f.mel)) return functional('A2');
  if (!isValidCallbackUrl(f.urlnotif)) return functional('N1');
  if (!isValidCallbackUrl(f.urlredirect)) return functional('D1');
  if (!isValidRefdet(f.refdet)) return functional('R3');
  return null;
}

export async function startPayfipSimulator(options: SimulatorOptions = {}): Promise<PayfipSimulator> {
  const numcli = options.numcli ?? '090909';
  const now = options.now ?? Date.now;
  const validity = options.idOpValidityMs ?? 15 * 60_000;
  const operations = new Map<string, SimulatedOperation>();
  const sent: SentNotification[] = [];
  const pending = new Set<Promise<void>>();
  let outage: Outage = 'none';

  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  await app.register(formbody, { bodyLimit: 8 * 1024 });
  app.addContentTypeParser(['text/xml', 'application/soap+xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const sendSoap = (reply: import('fastify').FastifyReply, status: number, xml: string) => reply.code(status).type('text/xml; charset=utf-8').send(xml);

  app.post('/tpa/services/securite', (req, reply) => {
    if (outage === 'down') return reply.code(503).type('text/html; charset=utf-8').send('<html><body>Service momentanément indisponible</body></html>');
    if (outage === 'fault') return sendSoap(reply, 500, soapFault({ kind: 'TechIndisponibiliteErreur', code: 'I1', descriptif: 'Le service est momentanément indisponible' }));
    let request: ParsedRequest;
    try {
      request = parseSoapRequest(typeof req.body === 'string' ? req.body : '');
    } catch (err) {
      if (!(err instanceof XmlError)) throw err;
      return sendSoap(reply, 500, soapFault({ kind: 'TechProtocolaireErreur', code: 'X1', descriptif: `Requête SOAP invalide : ${err.message}` }));
    }
    switch (request.op) {
      case 'creerPaiementSecurise': {
        const fault = creationFault(request.fields, numcli);
        if (fault) return sendSoap(reply, 500, soapFault(fault));
        const idOp = crypto.randomUUID();
        operations.set(idOp, { idOp, request: request.fields, amountCents: centsOfMontant(request.fields.montant)!, createdAt: now(), result: null });
        return sendSoap(reply, 200, soapResponse('creerPaiementSecurise', { idOp }));
      }
      case 'recupererDetailPaiementSecurise': {
        const op = operations.get(request.fields.idOp);
        if (!op) return sendSoap(reply, 500, soapFault(functional('P1')));
        if (!op.result) return sendSoap(reply, 500, soapFault(functional('P5')));
        const { exer, mel, montant, numcli: n, objet, refdet, saisie } = op.request;
        return sendSoap(reply, 200, soapResponse('recupererDetailPaiementSecurise', { ...parisStamp(op.result.at), exer, idOp: op.idOp, mel, montant, numauto: op.result.numauto, numcli: n, objet, refdet, resultrans: op.result.resultrans, saisie }));
      }
      case 'recupererDetailClient':
        if (request.fields.numCli !== numcli) return sendSoap(reply, 500, soapFault(functional('T2')));
        return sendSoap(reply, 200, soapResponse('recupererDetailClient', { libelleN1: options.libelle ?? 'Régie périscolaire (simulateur)', libelleN2: '', libelleN3: '', numcli }));
    }
  });

  /** The operation of a page, or the page explaining why it cannot be paid. */
  function usable(idOp: string): { op: SimulatedOperation } | { page: string; status: number } {
    const op = operations.get(idOp);
    if (!op) return { status: 404, page: messagePage('Opération inconnue', 'Cette opération de paiement est inconnue. Revenez sur le portail et recommencez le paiement.') };
    const back = { href: `${op.request.urlredirect}${op.request.urlredirect.includes('?') ? '&' : '?'}idop=${encodeURIComponent(op.idOp)}`, label: 'Revenir sur le portail' };
    // Only an abandon leaves the operation open: the payer may come back and pay (protocols.md §1.5).
    if (op.result && op.result.resultrans !== 'A') return { status: 409, page: messagePage('Paiement déjà traité', 'Ce paiement a déjà été traité.', back) };
    if (now() - op.createdAt > validity) return { status: 410, page: messagePage('Opération expirée', 'Cette opération de paiement a expiré (15 minutes). Revenez sur le portail et recommencez le paiement.', back) };
    return { op };
  }

  app.get('/tpa/paiementws.web', (req, reply) => {
    const q = pageQuery.safeParse(req.query);
    const found = q.success ? usable(q.data.idop) : { status: 400, page: messagePage('Adresse incomplète', 'Il manque le numéro d\'opération dans l\'adresse.') };
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store');
    if ('page' in found) return reply.code(found.status).send(found.page);
    const { op } = found;
    return reply.send(paymentPage({ idOp: op.idOp, amountCents: op.amountCents, objet: op.request.objet, refdet: op.request.refdet, mel: op.request.mel }));
  });

  app.post('/tpa/paiementws.web', (req, reply) => {
    const body = choiceBody.safeParse(req.body);
    reply.type('text/html; charset=utf-8');
    if (!body.success) return reply.code(400).send(messagePage('Choix incomplet', 'Choisissez un résultat de paiement, puis validez.'));
    const found = usable(body.data.idop);
    if ('page' in found) return reply.code(found.status).send(found.page);
    const { op } = found;
    const paid = body.data.resultat === 'P' || body.data.resultat === 'V';
    op.result = { resultrans: body.data.resultat, at: new Date(now()), numauto: paid ? `${crypto.randomInt(100_000, 999_999)}${crypto.randomInt(100_000, 999_999)}-tip` : '' };
    notify(op, body.data.avis);
    const target = new URL(op.request.urlredirect);
    target.searchParams.set('idop', op.idOp);
    return reply.code(303).header('location', target.toString()).send();
  });

  /** For tests and demonstrations: make the SOAP endpoint answer a fault, or HTTP 503, until told otherwise. */
  app.post('/simulateur/panne', (req, reply) => {
    const body = outageBody.safeParse(req.body);
    if (!body.success) return reply.code(400).send({ error: 'mode : none, fault ou down' });
    outage = body.data.mode;
    return reply.send({ outage });
  });

  function notify(op: SimulatedOperation, mode: NotificationMode) {
    if (mode === 'perdu') return;
    const once = async () => {
      const record: SentNotification = { idOp: op.idOp, url: op.request.urlnotif, status: null };
      try {
        const res = await fetch(op.request.urlnotif, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ idop: op.idOp }).toString(), signal: AbortSignal.timeout(10_000), redirect: 'manual' });
        record.status = res.status;
        await res.arrayBuffer();
      } catch (err) {
        record.error = (err as Error).message;
      }
      sent.push(record);
      options.onNotification?.(record);
    };
    const delay = mode === 'retard' ? (options.notificationDelayMs ?? 5000) : 0;
    const run = (async () => {
      await new Promise((resolve) => setTimeout(resolve, delay));
      await (mode === 'double' ? Promise.all([once(), once()]) : once());
    })();
    pending.add(run);
    void run.finally(() => pending.delete(run));
  }

  const address = await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  const url = address.replace('[::1]', 'localhost');
  return {
    url,
    soapUrl: `${url}/tpa/services/securite`,
    paymentPageUrl: `${url}/tpa/paiementws.web`,
    app,
    sent,
    async idle() {
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async close() {
      await app.close();
    },
  };
}
