import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { payfipClient, PayfipFault, PayfipUnavailable, type PayfipClient } from '../platform/payfip/payfip.client.ts';
import { buildRequest } from '../platform/payfip/soap.ts';
import { startPayfipSimulator, type PayfipSimulator } from './simulator.ts';

/** The simulator over real HTTP, driven by the portal's own client and by a receiver of its notifications. */
let sim: PayfipSimulator;
let client: PayfipClient;
let receiver: http.Server;
let receiverUrl = '';
const notifications: { path: string; body: string; contentType: string | undefined }[] = [];
let clock = Date.parse('2026-11-28T10:00:00Z');

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      notifications.push({ path: req.url ?? '', body, contentType: req.headers['content-type'] });
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  sim = await startPayfipSimulator({ numcli: '123456', libelle: 'Régie de Beauval', notificationDelayMs: 150, now: () => clock });
  client = payfipClient({ numcli: '123456', saisie: 'T', soapUrl: sim.soapUrl, paymentPageUrl: sim.paymentPageUrl, timeoutMs: 3000 });
});
after(async () => {
  await sim.close();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

let n = 0;
const create = (amountCents = 1250) => {
  n++;
  return client.createPayment({ exer: '2026', mel: 'parent@example.org', amountCents, objet: 'Factures novembre', refdet: `REFDET${String(n).padStart(6, '0')}`, urlnotif: `${receiverUrl}/notification/${n}`, urlredirect: `${receiverUrl}/retour/${n}` });
};
const choose = (idop: string, resultat: string, avis = 'normal') =>
  fetch(sim.paymentPageUrl, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ idop, resultat, avis }).toString() });
const faultCode = async (p: Promise<unknown>) => {
  try {
    await p;
    return null;
  } catch (err) {
    return err instanceof PayfipFault ? err.fault.code : (err as Error).constructor.name;
  }
};

test('recupererDetailClient answers for its NUMCLI, T2 for another', async () => {
  assert.deepEqual(await client.clientDetail(), { numcli: '123456', libelles: ['Régie de Beauval'] });
  const other = payfipClient({ ...client.settings, numcli: '654321' });
  assert.equal(await faultCode(other.clientDetail()), 'T2');
});

test('a card payment: P5 before the choice, the page, the redirect with idop, one notification, then the detail with the real fields', async () => {
  const idOp = await create(1250);
  assert.match(idOp, /^[0-9a-f-]{36}$/);
  assert.equal(await faultCode(client.paymentDetail(idOp)), 'P5');
  const page = await fetch(client.paymentPageFor(idOp));
  const html = await page.text();
  assert.equal(page.status, 200);
  assert.match(html, /<html lang="fr">/);
  assert.match(html, /12,50\u00a0€/);
  assert.match(html, /Payer par carte bancaire/);
  const before = notifications.length;
  const res = await choose(idOp, 'P');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), `${receiverUrl}/retour/${n}?idop=${idOp}`);
  await sim.idle();
  assert.deepEqual(notifications.slice(before), [{ path: `/notification/${n}`, body: `idop=${idOp}`, contentType: 'application/x-www-form-urlencoded' }]);
  const detail = await client.paymentDetail(idOp);
  assert.equal(detail.resultrans, 'P');
  assert.equal(detail.amountCents, 1250);
  assert.equal(detail.refdet, `REFDET${String(n).padStart(6, '0')}`);
  assert.match(detail.numauto, /^\d{12}-tip$/);
  assert.deepEqual([detail.dattrans, detail.heurtrans], ['28112026', '1100']);
  // Paid: the page cannot be used again.
  assert.equal((await fetch(client.paymentPageFor(idOp))).status, 409);
  assert.equal((await choose(idOp, 'R')).status, 409);
});

test('direct debit, refusal, abandon: resultrans V, R, A; an abandoned operation can still be paid while valid', async () => {
  for (const [choice, expected] of [['V', 'V'], ['R', 'R'], ['A', 'A']]) {
    const idOp = await create();
    await choose(idOp, choice);
    const detail = await client.paymentDetail(idOp);
    assert.equal(detail.resultrans, expected);
    assert.equal(detail.numauto === '', choice !== 'V');
    if (choice === 'A') {
      assert.equal((await fetch(client.paymentPageFor(idOp))).status, 200);
      await choose(idOp, 'P');
      assert.equal((await client.paymentDetail(idOp)).resultrans, 'P');
    }
  }
  await sim.idle();
});

test('notifications dropped, delayed or sent twice, as chosen on the page', async () => {
  const lost = await create();
  const delayed = await create();
  const twice = await create();
  const before = notifications.length;
  await choose(lost, 'P', 'perdu');
  await choose(delayed, 'P', 'retard');
  await choose(twice, 'P', 'double');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(notifications.slice(before).map((x) => x.body), [`idop=${twice}`, `idop=${twice}`], 'the delayed one has not left yet');
  await sim.idle();
  assert.deepEqual(notifications.slice(before).map((x) => x.body).sort(), [`idop=${delayed}`, `idop=${twice}`, `idop=${twice}`].sort());
  assert.equal((await client.paymentDetail(lost)).resultrans, 'P', 'a lost notification does not change the result');
});

test('creation faults with their codes; unknown idOp P1; expired operation after 15 minutes', async () => {
  const raw = async (fields: Record<string, string>) => {
    const base = { exer: '2026', mel: 'parent@example.org', montant: '1000', numcli: '123456', objet: 'x', refdet: 'ABCDEF123', saisie: 'T', urlnotif: `${receiverUrl}/n`, urlredirect: `${receiverUrl}/r` };
    const res = await fetch(sim.soapUrl, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: buildRequest('creerPaiementSecurise', { ...base, ...fields }) });
    const text = await res.text();
    return [res.status, /<code>([^<]*)<\/code>/.exec(text)?.[1] ?? 'ok'];
  };
  const cases: [Record<string, string>, string][] = [
    [{ refdet: 'ABCD' }, 'R3'],
    [{ mel: 'parent' }, 'A2'],
    [{ mel: '' }, 'A1'],
    [{ montant: '10.00' }, 'M1'],
    [{ montant: '99' }, 'M3'],
    [{ numcli: '12' }, 'T1'],
    [{ numcli: '999999' }, 'T2'],
    [{ saisie: 'Q' }, 'S1'],
    [{ urlnotif: 'ftp://x' }, 'N1'],
    [{ urlredirect: '' }, 'D1'],
    [{}, 'ok'],
  ];
  for (const [fields, code] of cases) assert.deepEqual(await raw(fields), code === 'ok' ? [200, 'ok'] : [500, code], code);
  assert.equal(await faultCode(client.paymentDetail('00000000-0000-0000-0000-000000000000')), 'P1');
  const garbage = await fetch(sim.soapUrl, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: '<!DOCTYPE x><x/>' });
  assert.equal(garbage.status, 500);
  assert.match(await garbage.text(), /TechProtocolaireErreur/);
  const idOp = await create();
  clock += 16 * 60_000;
  assert.equal((await fetch(client.paymentPageFor(idOp))).status, 410);
  assert.equal((await choose(idOp, 'P')).status, 410);
  assert.equal(await faultCode(client.paymentDetail(idOp)), 'P5');
  assert.equal((await fetch(`${sim.paymentPageUrl}?idop=inconnu`)).status, 404);
});

test('an outage: a TechIndisponibiliteErreur fault, or HTTP 503, until lifted', async () => {
  const outage = (mode: string) => fetch(`${sim.url}/simulateur/panne`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `mode=${mode}` });
  await outage('fault');
  await assert.rejects(create(), (err: unknown) => err instanceof PayfipFault && err.fault.kind === 'TechIndisponibiliteErreur');
  await outage('down');
  await assert.rejects(create(), PayfipUnavailable);
  await outage('none');
  assert.match(await create(), /^[0-9a-f-]{36}$/);
});
