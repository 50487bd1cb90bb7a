import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';
import { agentAuth, anAgent } from '../../../test/support/builders.ts';
import { aMessagingTown } from '../../../test/support/messaging.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** A multipart body as a browser sends the message form (fields, then files). */
function multipart(fields: [string, string][], files: { name: string; filename: string; bytes: Buffer }[]) {
  const boundary = '----portail-test-boundary';
  const parts: Buffer[] = [];
  for (const [k, v] of fields) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.name}"; filename="${f.filename}"\r\nContent-Type: application/pdf\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

for (const engine of testEngines()) {
  describe(`messages : pages des agents (${engine})`, () => {
    let t: TestApp;
    let w: Awaited<ReturnType<typeof aMessagingTown>>;
    let agent: TestClient;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      w = await aMessagingTown(t.ctx, await agentAuth(t.ctx, ['enfance']));
      const who = await anAgent(t.ctx, ['enfance']);
      agent = new TestClient(t.app);
      await agent.login(who.email, who.password);
    });
    after(() => t.close());

    const send = async (fields: [string, string][], files: { name: string; filename: string; bytes: Buffer }[] = []) => {
      const page = await agent.get(`/agent/messages/nouveau?service=${w.c.canteenId}&compter=1`);
      const key = /name="cle" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const body = multipart([['_csrf', agent.lastCsrf], ['cle', key], ['service', w.c.canteenId], ...fields], files);
      const post = () => t.app.inject({ method: 'POST', url: '/agent/messages', payload: body.payload, headers: { 'content-type': body.contentType, cookie: [...agent.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } });
      return { post, key };
    };

    test('the count works without JavaScript (a GET form) and the preview lists the households', async () => {
      const page = await agent.get(`/agent/messages/nouveau?service=${w.c.canteenId}&compter=1`);
      assert.equal(page.status, 200);
      assert.match(textOf(page.body), /Service : Restauration scolaire – École Jules-Ferry\. 2 foyers ?, 2 responsables/);
      const preview = await agent.get(`/agent/messages/destinataires?service=${w.c.canteenId}`);
      assert.match(textOf(preview.body), /Bernard.*Martin/s);
      assert.doesNotMatch(textOf(preview.body), /Durand/);
      const bad = await agent.get('/agent/messages/nouveau?etablissement=x&compter=1');
      assert.equal(bad.status, 400);
      assert.match(textOf(bad.body), /Un des critères choisis n'existe plus/);
    });

    test('sending with a PDF: once for a double click; the PDF is downloaded as an attachment', async () => {
      const { post } = await send([['objet', 'Menu de décembre'], ['texte', 'Voici le menu.\n\nDétails : https://exemple.fr/menu'], ['categorie', 'information'], ['envoi', 'maintenant']], [{ name: 'pieces', filename: 'Menu décembre.pdf', bytes: PDF }]);
      const [first, second] = [await post(), await post()];
      assert.equal(first.statusCode, 303);
      assert.equal(second.statusCode, 303);
      assert.equal(first.headers.location, second.headers.location);
      const page = await agent.get(String(first.headers.location));
      assert.match(textOf(page.body), /Menu de décembre.*2 foyers, 2 responsables/s);
      assert.match(page.body, /<a href="https:\/\/exemple.fr\/menu" rel="noopener noreferrer nofollow">/);
      const link = /href="(\/agent\/messages\/[^"]+\/pieces\/[^"]+)"/.exec(page.body)?.[1];
      assert.ok(link);
      const file = await agent.get(link);
      assert.equal(file.headers['content-type'], 'application/pdf');
      assert.equal(file.headers['x-content-type-options'], 'nosniff');
      assert.match(String(file.headers['content-disposition']), /^attachment; filename="Menu-decembre\.pdf"$/);
      assert.equal((await t.ctx.db.selectFrom('messages').select('id').where('subject', '=', 'Menu de décembre').execute()).length, 1);
    });

    test('a file that is not a PDF, a missing subject or a past time: the form again, nothing sent', async () => {
      const notPdf = await (await send([['objet', 'X'], ['texte', 'Y'], ['categorie', 'information'], ['envoi', 'maintenant']], [{ name: 'pieces', filename: 'menu.pdf', bytes: Buffer.from('<html>pas un pdf</html>') }])).post();
      assert.equal(notPdf.statusCode, 400);
      assert.match(textOf(notPdf.body), /Les pièces jointes doivent être des fichiers PDF/);
      const missing = await (await send([['objet', ''], ['texte', '<b>gras</b>'], ['categorie', 'information'], ['envoi', 'maintenant']])).post();
      assert.equal(missing.statusCode, 400);
      assert.match(textOf(missing.body), /Indiquez l'objet du message/);
      assert.match(missing.body, /&lt;b>gras&lt;\/b><\/textarea>/, 'the text is kept, escaped');
      const past = await (await send([['objet', 'X'], ['texte', 'Y'], ['categorie', 'rappel'], ['envoi', 'plus_tard'], ['jour', '2026-11-27'], ['heure', '08:30']])).post();
      assert.equal(past.statusCode, 400);
      assert.match(textOf(past.body), /L'heure d'envoi est passée/);
      assert.equal((await t.ctx.db.selectFrom('messages').select('id').where('subject', '=', 'X').execute()).length, 0);
    });

    test('only the enfance service and admins write messages', async () => {
      const cook = await anAgent(t.ctx, ['restauration']);
      const client = new TestClient(t.app);
      await client.login(cook.email, cook.password);
      assert.equal((await client.get('/agent/messages')).status, 403);
      const family = new TestClient(t.app);
      await family.login(w.a.email, w.a.password);
      assert.equal((await family.get('/agent/messages/nouveau')).status, 403);
      assert.equal((await new TestClient(t.app).get('/agent/messages')).status, 303);
    });
  });
}

for (const engine of testEngines()) {
  describe(`actualités et menus (${engine})`, () => {
    let t: TestApp;
    let w: Awaited<ReturnType<typeof aMessagingTown>>;

    before(async () => {
      t = await createTestApp(engine, { now: '2026-11-28T10:00:00Z' });
      w = await aMessagingTown(t.ctx, await agentAuth(t.ctx, ['enfance']));
    });
    after(() => t.close());

    test('the kitchen publishes a menu with dates: on the public home page and the family home while it lasts; then withdrawn', async () => {
      const cook = await anAgent(t.ctx, ['restauration']);
      const kitchen = new TestClient(t.app);
      await kitchen.login(cook.email, cook.password);
      await kitchen.get('/agent/actualites');
      const wrong = await kitchen.post('/agent/actualites', { type: 'menu', titre: 'Semaine du 30 novembre', texte: 'Lundi : <b>frites</b>', du: '2026-12-04', au: '2026-11-30' });
      assert.equal(wrong.status, 400);
      assert.match(textOf(wrong.body), /Le dernier jour doit suivre le premier/);
      const ok = await kitchen.post('/agent/actualites', { type: 'menu', titre: 'Semaine du 30 novembre', texte: 'Lundi : <b>frites</b>', du: '2026-11-28', au: '2026-12-04' });
      assert.equal(ok.status, 303);
      const second = await kitchen.post('/agent/actualites', { type: 'news', titre: 'Fête de l\'école', texte: 'En juin.', du: '2026-12-10', au: '2026-12-20' });
      assert.equal(second.status, 303, textOf(second.body));

      const visitor = new TestClient(t.app);
      const home = await visitor.get('/');
      assert.match(textOf(home.body), /Actualités et menus Menu : Semaine du 30 novembre Du samedi 28 novembre 2026 au vendredi 4 décembre 2026 Lundi : &lt;b>frites&lt;\/b>/);
      assert.doesNotMatch(home.body, /Fête de l.{1,6}école/, 'not yet');
      const parent = new TestClient(t.app);
      await parent.login(w.a.email, w.a.password);
      assert.match(textOf((await parent.get('/famille')).body), /Menu : Semaine du 30 novembre/);
      assert.equal((await parent.get('/agent/actualites')).status, 403);

      const list = (await kitchen.get('/agent/actualites')).body;
      const id = /action="\/agent\/actualites\/([0-9a-f-]{36})\/retirer"(?:(?!action=)[^])*?« Semaine du 30 novembre »/.exec(list)?.[1];
      assert.ok(id);
      assert.equal((await kitchen.post(`/agent/actualites/${id}/retirer`)).status, 303);
      t.clock.set('2026-12-12T10:00:00Z');
      const later = textOf((await visitor.get('/')).body);
      assert.match(later, /Fête de l.{1,6}école/);
      assert.doesNotMatch(later, /Semaine du 30 novembre/);
    });
  });
}
