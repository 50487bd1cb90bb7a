import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { payfipClient, PayfipFault, PayfipProtocolError, PayfipUnavailable, type PayfipSettings } from './payfip.client.ts';
import { checkPayfipAtStart } from './payfip.startup.ts';
import { SERVICE_NS } from './soap.ts';

/**
 * The client over real HTTP against a scripted server: each test sets the answer (status, body,
 * delay) and reads what the client sent. The simulator's own tests cover the full protocol.
 */
let server: http.Server;
let base = '';
let next: { status: number; body: string; delayMs?: number } = { status: 200, body: '' };
const received: { body: string; contentType: string | undefined; soapaction: string | undefined }[] = [];

before(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ body, contentType: req.headers['content-type'], soapaction: req.headers.soapaction as string | undefined });
      const answer = next;
      setTimeout(() => {
        res.writeHead(answer.status, { 'content-type': 'text/xml; charset=utf-8' });
        res.end(answer.body);
      }, answer.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

const settings = (over: Partial<PayfipSettings> = {}): PayfipSettings => ({ numcli: '090909', saisie: 'T', soapUrl: `${base}/tpa/services/securite`, paymentPageUrl: `${base}/tpa/paiementws.web`, timeoutMs: 2000, ...over });
const envelope = (body: string) => `<?xml version="1.0"?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>${body}</S:Body></S:Envelope>`;
const response = (op: string, fields: string) => envelope(`<ns2:${op}Response xmlns:ns2="${SERVICE_NS}"><return>${fields}</return></ns2:${op}Response>`);
const fault = (code: string) => envelope(`<S:Fault><faultcode>S:Server</faultcode><faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur</faultstring><detail><ns2:FonctionnelleErreur xmlns:ns2="${SERVICE_NS}"><code>${code}</code><descriptif>Le format du paramètre REFDET n'est pas conforme</descriptif><libelle></libelle><message></message><severite>2</severite></ns2:FonctionnelleErreur></detail></S:Fault>`);
const payment = { exer: '2026', mel: 'parent@example.org', amountCents: 1250, objet: 'Factures novembre', refdet: 'ABCDEF123456', urlnotif: 'http://localhost:3000/n', urlredirect: 'http://localhost:3000/r' };

test('creerPaiementSecurise: posts the envelope as text/xml and returns the idOp', async () => {
  next = { status: 200, body: response('creerPaiementSecurise', '<idOp>cc0cb210-1cd4-11ea-8cca-0213ad91a103</idOp>') };
  const client = payfipClient(settings());
  assert.equal(await client.createPayment(payment), 'cc0cb210-1cd4-11ea-8cca-0213ad91a103');
  const sent = received.at(-1)!;
  assert.match(sent.contentType ?? '', /^text\/xml; charset=utf-8/);
  assert.equal(sent.soapaction, '""');
  assert.match(sent.body, /<montant>1250<\/montant><numcli>090909<\/numcli><objet>Factures novembre<\/objet><refdet>ABCDEF123456<\/refdet><saisie>T<\/saisie>/);
  assert.equal(client.paymentPageFor('cc0cb210-1cd4-11ea-8cca-0213ad91a103'), `${base}/tpa/paiementws.web?idop=cc0cb210-1cd4-11ea-8cca-0213ad91a103`);
});

test('a request PayFiP would refuse is never sent', async () => {
  const count = received.length;
  await assert.rejects(payfipClient(settings()).createPayment({ ...payment, refdet: 'ABCD' }), RangeError);
  await assert.rejects(payfipClient(settings()).createPayment({ ...payment, amountCents: 12.5 }), RangeError);
  assert.equal(received.length, count);
});

test('a fault on HTTP 500 is a PayfipFault with its code; other failures are typed', async () => {
  const client = payfipClient(settings());
  next = { status: 500, body: fault('R3') };
  await assert.rejects(client.createPayment(payment), (err: unknown) => err instanceof PayfipFault && err.fault.code === 'R3' && err.fault.kind === 'FonctionnelleErreur');
  next = { status: 503, body: '<html>Maintenance</html>' };
  await assert.rejects(client.paymentDetail('abc-123'), PayfipUnavailable);
  next = { status: 500, body: 'Internal Server Error' };
  await assert.rejects(client.paymentDetail('abc-123'), PayfipUnavailable);
  next = { status: 200, body: '<html>Bienvenue</html>' };
  await assert.rejects(client.paymentDetail('abc-123'), PayfipProtocolError);
  next = { status: 200, body: response('creerPaiementSecurise', '<idOp>id op avec espaces</idOp>') };
  await assert.rejects(client.createPayment(payment), PayfipProtocolError);
  next = { status: 200, body: response('recupererDetailPaiementSecurise', '<idOp>autre-idop</idOp><resultrans>P</resultrans>') };
  await assert.rejects(client.paymentDetail('abc-123'), PayfipProtocolError);
  next = { status: 200, body: response('recupererDetailPaiementSecurise', `<idOp>abc</idOp><objet>${'x'.repeat(70_000)}</objet>`) };
  await assert.rejects(client.paymentDetail('abc'), PayfipProtocolError);
});

test('recupererDetailPaiementSecurise: the result, the amount in cents, bank data without the e-mail', async () => {
  next = { status: 200, body: response('recupererDetailPaiementSecurise', '<dattrans>12122019</dattrans><exer>20</exer><heurtrans>1311</heurtrans><idOp>abc-123</idOp><mel>parent@example.org</mel><montant>1250</montant><numauto>112233445566-tip</numauto><numcli>090909</numcli><objet>x</objet><refdet>ABCDEF123456</refdet><resultrans>V</resultrans><saisie>T</saisie>') };
  const detail = await payfipClient(settings()).paymentDetail('abc-123');
  assert.equal(detail.resultrans, 'V');
  assert.equal(detail.amountCents, 1250);
  assert.equal(detail.numauto, '112233445566-tip');
  assert.equal('mel' in detail.bankData, false);
  assert.equal(detail.bankData.dattrans, '12122019');
});

test('timeouts and an unreachable PayFiP are PayfipUnavailable; the start-up check reports and does not throw', async () => {
  next = { status: 200, body: response('recupererDetailClient', '<libelleN1>Ville de Beauval</libelleN1><numcli>090909</numcli>'), delayMs: 500 };
  await assert.rejects(payfipClient(settings({ timeoutMs: 100 })).clientDetail(), (err: unknown) => err instanceof PayfipUnavailable && /n'a pas répondu/.test(err.message));
  const ok = await checkPayfipAtStart(payfipClient(settings()));
  assert.deepEqual([ok.ok, /Ville de Beauval/.test(ok.message)], [true, true]);
  const closed = await checkPayfipAtStart(payfipClient(settings({ soapUrl: 'http://127.0.0.1:9/tpa/services/securite' })));
  assert.equal(closed.ok, false);
  assert.match(closed.message, /^ATTENTION : PayFiP ne répond pas comme prévu.*injoignable.*Le portail fonctionne/);
  next = { status: 500, body: fault('T2') };
  const refused = await checkPayfipAtStart(payfipClient(settings()));
  assert.match(refused.message, /le NUMCLI 090909 est refusé \(T2/);
});
