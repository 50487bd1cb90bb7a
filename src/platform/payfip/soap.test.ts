import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, parseResponse, SERVICE_NS } from './soap.ts';
import { escapeXml, parseXml, XmlError, XML_LIMITS } from './xml.ts';

// Answers as JAX-WS writes them (protocols.md §1.2): prefixed envelope and wrapper, unqualified return and fields.
const envelope = (body: string) => `<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body>${body}</S:Body></S:Envelope>`;
const detailOk = envelope(
  `<ns2:recupererDetailPaiementSecuriseResponse xmlns:ns2="${SERVICE_NS}"><return><dattrans>12122019</dattrans><exer>20</exer><heurtrans>1311</heurtrans><idOp>cc0cb210-1cd4-11ea-8cca-0213ad91a103</idOp><mel>parent@example.org</mel><montant>1000</montant><numauto>112233445566-tip</numauto><numcli>090909</numcli><objet>Facture &amp; cantine</objet><refdet>F2025090001234</refdet><resultrans>P</resultrans><saisie>T</saisie></return></ns2:recupererDetailPaiementSecuriseResponse>`,
);
const fault = (kind: string, code: string) =>
  envelope(
    `<S:Fault xmlns:ns4="http://www.w3.org/2003/05/soap-envelope"><faultcode>S:Server</faultcode><faultstring>fr.gouv.finances.cp.tpa.webservice.exceptions.${kind}</faultstring><detail><ns2:${kind} xmlns:ns2="${SERVICE_NS}"><code>${code}</code><descriptif>Résultat de la transaction non connu</descriptif><libelle>Transaction en cours</libelle><message></message><severite>2</severite></ns2:${kind}></detail></S:Fault>`,
  );

test('a creation request: the fields in the XSD order, unqualified, escaped, in the service namespace', () => {
  const xml = buildRequest('creerPaiementSecurise', { exer: '2026', mel: 'a&b@example.org', montant: '1000', numcli: '090909', objet: 'Factures', refdet: 'ABCDEF123', saisie: 'T', urlnotif: 'https://p.fr/n?a=1&b=2', urlredirect: 'https://p.fr/r' });
  assert.match(xml, new RegExp(`<pai:creerPaiementSecurise><arg0><exer>2026</exer><mel>a&amp;b@example.org</mel><montant>1000</montant><numcli>090909</numcli><objet>Factures</objet><refdet>ABCDEF123</refdet><saisie>T</saisie><urlnotif>https://p.fr/n\\?a=1&amp;b=2</urlnotif><urlredirect>https://p.fr/r</urlredirect></arg0></pai:creerPaiementSecurise>`));
  assert.ok(xml.includes(`xmlns:pai="${SERVICE_NS}"`));
  assert.match(buildRequest('recupererDetailClient', { numCli: '090909' }), /<pai:recupererDetailClient><arg0><numCli>090909<\/numCli><\/arg0><\/pai:recupererDetailClient>/);
  // What we build, we read back the same way PayFiP would.
  const root = parseXml(xml);
  assert.equal(root.name, 'Envelope');
});

test('a detail answer is read field by field; a fault gives its kind and code', () => {
  const ok = parseResponse('recupererDetailPaiementSecurise', detailOk);
  assert.equal(ok.kind, 'ok');
  if (ok.kind === 'ok') {
    assert.equal(ok.fields.resultrans, 'P');
    assert.equal(ok.fields.objet, 'Facture & cantine');
    assert.equal(ok.fields.numauto, '112233445566-tip');
  }
  const f = parseResponse('recupererDetailPaiementSecurise', fault('FonctionnelleErreur', 'P5'));
  assert.deepEqual(f.kind === 'fault' && [f.fault.kind, f.fault.code, f.fault.descriptif], ['FonctionnelleErreur', 'P5', 'Résultat de la transaction non connu']);
  const tech = parseResponse('creerPaiementSecurise', fault('TechIndisponibiliteErreur', 'I1'));
  assert.deepEqual(tech.kind === 'fault' && tech.fault.kind, 'TechIndisponibiliteErreur');
  const bare = parseResponse('creerPaiementSecurise', envelope('<S:Fault><faultcode>S:Server</faultcode><faultstring>boom</faultstring></S:Fault>'));
  assert.deepEqual(bare.kind === 'fault' && [bare.fault.kind, bare.fault.faultstring], ['other', 'boom']);
  // Missing optional fields read as empty.
  const empty = parseResponse('creerPaiementSecurise', envelope(`<ns2:creerPaiementSecuriseResponse xmlns:ns2="${SERVICE_NS}"><return/></ns2:creerPaiementSecuriseResponse>`));
  assert.deepEqual(empty.kind === 'ok' && empty.fields, { idOp: '' });
});

test('anything the contract does not describe is refused', () => {
  const refused = [
    '',
    'pas du XML',
    '<html><body>Service indisponible</body></html>',
    envelope(`<ns2:creerPaiementSecuriseResponse><return><idOp>x</idOp></return></ns2:creerPaiementSecuriseResponse>`).replace('creerPaiementSecuriseResponse', 'autreResponse').replace('creerPaiementSecuriseResponse', 'autreResponse'),
    envelope(`<ns2:creerPaiementSecuriseResponse><return><idOp>x</idOp><pirate>1</pirate></return></ns2:creerPaiementSecuriseResponse>`),
    envelope(`<ns2:creerPaiementSecuriseResponse><return><idOp>x</idOp><idOp>y</idOp></return></ns2:creerPaiementSecuriseResponse>`),
    envelope(`<ns2:creerPaiementSecuriseResponse><return><idOp><b>x</b></idOp></return></ns2:creerPaiementSecuriseResponse>`),
    envelope(`<ns2:creerPaiementSecuriseResponse><idOp>x</idOp></ns2:creerPaiementSecuriseResponse>`),
    envelope(''),
    `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${envelope('<a>&e;</a>')}`,
    envelope('<a><![CDATA[x]]></a>'),
    envelope('<a>&unknown;</a>'),
    envelope('<a>&#0;</a>'),
    envelope('<a>x</b>'),
    envelope('<a b="1" b="2"/>'),
    `${envelope('')}<suite/>`,
    envelope(`<ns2:creerPaiementSecuriseResponse><return><idOp>${'x'.repeat(600)}</idOp></return></ns2:creerPaiementSecuriseResponse>`),
    envelope('<a>'.repeat(XML_LIMITS.maxDepth + 1) + '</a>'.repeat(XML_LIMITS.maxDepth + 1)),
    envelope('<a/>'.repeat(XML_LIMITS.maxElements + 1)),
    envelope(`<x>${'y'.repeat(XML_LIMITS.maxChars)}</x>`),
  ];
  for (const xml of refused) assert.throws(() => parseResponse('creerPaiementSecurise', xml), XmlError, xml.slice(0, 120));
});

test('escaping: the five special characters, and characters XML cannot carry are refused', () => {
  assert.equal(escapeXml(`<a href="x">l'été & co</a>`), '&lt;a href=&quot;x&quot;&gt;l&apos;été &amp; co&lt;/a&gt;');
  assert.throws(() => escapeXml('a\u0000b'), XmlError);
  assert.throws(() => escapeXml('a\u0001b'), XmlError);
  assert.equal(parseXml(`<a>${escapeXml('<&>"\'é')}</a>`).text, '<&>"\'é');
});
