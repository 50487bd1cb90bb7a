import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activationCodeState, checkPassword, passwordEntropyBits } from './identity.domain.ts';
import { newActivationCode, normaliseActivationCode } from '../../platform/security/secrets.ts';

test('password rules follow the CNIL 80-bit recommendation', () => {
  const cases: [string, boolean][] = [
    ['', false],
    ['motdepasse', false],
    ['Motdepasse1', false], // 11 characters, three classes: ≈ 65 bits
    ['Motdepasse1!', false], // 12 characters, four classes: ≈ 78 bits → still short
    ['Motdepasse12!', false], // long enough, but a common word and digits
    ['cheval correct pile agrafe', true], // passphrase, 26 characters
    ['aaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['x'.repeat(129), false],
  ];
  for (const [password, expected] of cases) {
    const bits = passwordEntropyBits(password);
    const ok = checkPassword(password).ok;
    assert.equal(ok, expected, `${JSON.stringify(password)} (${bits} bits)`);
  }
});

test('a password may not contain the name or e-mail of its owner', () => {
  const r = checkPassword('Dupontel-2026-Secret!', { email: 'jean@exemple.fr', names: ['Jean', 'Dupontel'] });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, 'password_personal');
  assert.equal(checkPassword('Velo-Rouge-Matin-2026', { email: 'jean@exemple.fr', names: ['Jean', 'Dupontel'] }).ok, true);
});

test('common, leaked and keyboard passwords are refused even when long enough; the project\'s own passwords pass', async () => {
  const refused: [string, string][] = [
    ['Password1234!', 'password_common'],
    ['P@ssw0rd2026!', 'password_common'],
    ['azertyuiopqsdfghjklm', 'password_pattern'],
    ['motdepassemotdepasse', 'password_pattern'],
    ['Azerty123456!', 'password_common'],
  ];
  for (const [password, code] of refused) {
    const r = checkPassword(password);
    assert.equal(r.ok ? 'accepted' : r.code, code, password);
  }
  // The README's demo accounts, the test accounts, and the passphrases the tests type.
  const { DEMO_ACCOUNTS } = await import('../../demo/seed.ts');
  const { TEST_PASSWORD } = await import('../../../test/support/builders.ts');
  const fs = await import('node:fs');
  const readme = fs.readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const fromReadme = [...readme.matchAll(/\| `[^`@]+@[^`]+` \| `([^`]+)` \|/g)].map((m) => m[1]);
  assert.ok(fromReadme.length >= 5);
  for (const account of Object.values(DEMO_ACCOUNTS)) assert.ok(checkPassword(account.password).ok, account.password);
  for (const password of [...fromReadme, TEST_PASSWORD, 'Demo-Famille-12-2026!', 'Soleil-Levant-2026', 'Velo-Rouge-Matin-2026', 'Nouveau-Secret-2026!', 'Registre-Etat-Civil-2026!']) {
    const r = checkPassword(password);
    assert.ok(r.ok, `${password}: ${r.ok ? '' : r.code}`);
  }
});

test('checking a password costs milliseconds, whatever is typed', () => {
  checkPassword('Essai-Portail-2026!'); // dictionaries ranked once
  for (const password of ['aB3!'.repeat(32), 'e3'.repeat(64), 'P@$$w0rd'.repeat(16), 'x1!Y'.repeat(32)]) {
    const started = performance.now();
    checkPassword(password);
    assert.ok(performance.now() - started < 1000, password);
  }
});

test('activation code states: valid until expiry, then expired; used and revoked win', () => {
  const now = new Date('2026-11-28T10:00:00Z');
  const base = { expires_at: '2026-11-28T10:00:01Z', used_at: null, revoked_at: null };
  assert.equal(activationCodeState(base, now), 'valid');
  assert.equal(activationCodeState({ ...base, expires_at: '2026-11-28T10:00:00Z' }, now), 'expired');
  assert.equal(activationCodeState({ ...base, used_at: '2026-11-27T10:00:00Z' }, now), 'used');
  assert.equal(activationCodeState({ ...base, revoked_at: '2026-11-27T10:00:00Z' }, now), 'revoked');
});

test('activation codes are random, readable and typed loosely', () => {
  const codes = new Set(Array.from({ length: 2000 }, () => newActivationCode()));
  assert.equal(codes.size, 2000);
  for (const code of codes) assert.match(code, /^[A-HJ-NP-Z2-9]{5}-[A-HJ-NP-Z2-9]{5}$/);
  assert.equal(normaliseActivationCode(' abcde fghjk '), 'ABCDE-FGHJK');
  assert.equal(normaliseActivationCode('abcdefghjk'), 'ABCDE-FGHJK');
});
