import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';

// The portal only ever receives HTML forms: a POST without a body is an empty form, and a body in any
// other format (JSON, plain text) is a French 400 — never null, objects or numbers for a handler to trip on.
for (const engine of testEngines().slice(0, 1)) {
  describe(`what a POST body can be (${engine})`, () => {
    let t: TestApp;
    let visitor: TestClient;
    const seen: unknown[] = [];
    before(async () => {
      t = await createTestApp(engine, {
        beforeReady: (app) =>
          app.post('/essai/formulaire', (req, reply) => {
            seen.push(req.body);
            const body: unknown = req.body;
            return reply.send({ nom: body && typeof body === 'object' && 'nom' in body ? (body.nom ?? null) : null });
          }),
      });
      visitor = new TestClient(t.app);
      await visitor.get('/connexion');
    });
    after(() => t.close());

    const send = (payload: string | undefined, contentType?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/essai/formulaire',
        payload,
        headers: { cookie: [...visitor.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'x-csrf-token': visitor.lastCsrf, ...(contentType ? { 'content-type': contentType } : {}) },
      });

    test('a POST without a body reaches the handler as an empty form', async () => {
      const res = await send(undefined);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(seen.at(-1), {});
    });

    test('a URL-encoded form still arrives as strings', async () => {
      const res = await send('nom=L%C3%A9a', 'application/x-www-form-urlencoded');
      assert.equal(res.statusCode, 200);
      assert.deepEqual(JSON.parse(res.body), { nom: 'Léa' });
    });

    for (const [label, payload, type] of [
      ['JSON null', 'null', 'application/json'],
      ['a JSON object in a field', '{"nom":{"a":"b"}}', 'application/json'],
      ['plain text', 'nom=Léa', 'text/plain'],
      ['an unknown type', '<nom/>', 'application/xml'],
    ] as const) {
      test(`${label} is refused with a French 400 before the handler`, async () => {
        const before = seen.length;
        const res = await send(payload, type);
        assert.equal(res.statusCode, 400);
        assert.match(textOf(res.body), /pas été envoyées comme le fait un formulaire du portail/);
        assert.equal(seen.length, before);
      });
    }
  });
}
