import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { TestClient, textOf } from '../../../test/support/client.ts';

for (const engine of testEngines()) {
  describe(`coordonnées de l'accueil de la mairie (${engine})`, () => {
    let t: TestApp;
    let bare: TestApp;

    before(async () => {
      t = await createTestApp(engine, {
        env: { TOWN_ADDRESS: 'Mairie de Beauval, 1 place de la Mairie, 12345 Beauval', TOWN_PHONE: '0123456789', TOWN_COUNTER_HOURS: 'du lundi au vendredi, de 8 h 30 à 12 h' },
      });
      bare = await createTestApp(engine);
    });
    after(async () => {
      await t.close();
      await bare.close();
    });

    test('the footer, the home page and the accessibility page give the counter\'s address, phone (spaced) and hours', async () => {
      const visitor = new TestClient(t.app);
      for (const path of ['/', '/accessibilite', '/mentions-legales', '/connexion']) {
        const page = await visitor.get(path);
        const text = textOf(page.body).replace(/\u00a0/g, ' ');
        assert.match(text, /Adresse de l'accueil Mairie de Beauval, 1 place de la Mairie, 12345 Beauval/, path);
        assert.match(text, /Téléphone 01 23 45 67 89/, path);
        assert.match(page.body, /href="tel:0123456789"/, path);
        assert.match(text, /Horaires d'ouverture du lundi au vendredi, de 8 h 30 à 12 h/, path);
      }
      // Home and accessibility pages say it in their text as well as in the footer.
      for (const path of ['/', '/accessibilite']) assert.equal(((await visitor.get(path)).body.match(/Adresse de l'accueil/g) ?? []).length, 2, path);
    });

    test('without the settings, nothing half-empty is shown', async () => {
      const page = await new TestClient(bare.app).get('/');
      assert.doesNotMatch(page.body, /Adresse de l'accueil|Téléphone|Horaires d'ouverture/);
    });
  });
}
