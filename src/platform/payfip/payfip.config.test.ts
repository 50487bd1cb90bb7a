import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../config.ts';

const production = { NODE_ENV: 'production', SECRET_KEY: 'k'.repeat(40), PUBLIC_URL: 'https://portail.ville.fr', SMTP_URL: 'smtp://mail.ville.fr' };
const realPayfip = { PAYFIP_NUMCLI: '123456', PAYFIP_SAISIE: 'W', PAYFIP_URL: 'https://www.payfip.gouv.fr/tpa/services/securite', PAYFIP_PAYMENT_URL: 'https://www.payfip.gouv.fr/tpa/paiementws.web' };

test('production refuses to start without each PayFiP setting, in https', () => {
  assert.throws(() => loadConfig(production), (err: unknown) => err instanceof ConfigError && ['PAYFIP_NUMCLI', 'PAYFIP_SAISIE', 'PAYFIP_URL', 'PAYFIP_PAYMENT_URL'].every((k) => err.message.includes(k)));
  assert.throws(() => loadConfig({ ...production, ...realPayfip, PAYFIP_URL: 'http://www.payfip.gouv.fr/tpa/services/securite' }), /PAYFIP_URL/);
  assert.throws(() => loadConfig({ ...production, ...realPayfip, PAYFIP_NUMCLI: '12345' }), /NUMCLI : 6 chiffres/);
  const config = loadConfig({ ...production, ...realPayfip, PAYFIP_TIMEOUT_SECONDS: '20' });
  assert.deepEqual(config.payfip, { numcli: '123456', saisie: 'W', soapUrl: realPayfip.PAYFIP_URL, paymentPageUrl: realPayfip.PAYFIP_PAYMENT_URL, timeoutMs: 20_000, simulatorPort: null });
});

test('outside production, the built-in simulator by default, on PORT + 1000; the two URLs go together', () => {
  const config = loadConfig({ NODE_ENV: 'development', SECRET_KEY: 'k'.repeat(40), PORT: '3100' });
  assert.deepEqual(config.payfip, { numcli: '090909', saisie: 'T', soapUrl: 'http://localhost:4100/tpa/services/securite', paymentPageUrl: 'http://localhost:4100/tpa/paiementws.web', timeoutMs: 15_000, simulatorPort: 4100 });
  assert.equal(loadConfig({ NODE_ENV: 'development', SECRET_KEY: 'k'.repeat(40), PAYFIP_SIMULATOR_PORT: '4999' }).payfip.simulatorPort, 4999);
  assert.throws(() => loadConfig({ NODE_ENV: 'development', SECRET_KEY: 'k'.repeat(40), PAYFIP_URL: 'http://localhost:4000/tpa/services/securite' }), /se donnent ensemble/);
  assert.equal(loadConfig({ NODE_ENV: 'development', SECRET_KEY: 'k'.repeat(40), PAYFIP_URL: 'http://localhost:4000/a', PAYFIP_PAYMENT_URL: 'http://localhost:4000/b' }).payfip.simulatorPort, null);
});
