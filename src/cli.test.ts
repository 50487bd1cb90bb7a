import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The CLI as an administrator runs it: a separate process, configured by its environment only. */
function cli(args: string[], env: Record<string, string> = {}, dataDir: string): Promise<Run> {
  const base = { ...process.env };
  for (const key of ['DATABASE_URL', 'SMTP_URL', 'ADMIN_PASSWORD', 'SECRET_KEY', 'PUBLIC_URL', 'DEMO']) delete base[key];
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: { ...base, NODE_ENV: 'test', DATA_DIR: dataDir, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
    child.stdin?.end();
  });
}

describe('commandes d\'administration (npm run cli)', () => {
  let dir: string;
  let dataDir: string;
  const run = (args: string[], env: Record<string, string> = {}) => cli(args, env, dataDir);
  const ADMIN = ['create-admin', '--email', 'Claire.Martin@Mairie.fr', '--first-name', 'Claire', '--last-name', 'Martin'];
  const PASSWORD = 'Registre-Etat-Civil-2026!';

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-cli-'));
    dataDir = path.join(dir, 'donnees');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('help is in French; a mistake in the command says so and exits with 2', async () => {
    const [help, unknown, badOption] = await Promise.all([run(['help']), run(['sauvegarder']), run(['backup', '--sortie', 'x'])]);
    assert.equal(help.code, 0);
    for (const command of ['migrate', 'create-admin', 'invite', 'send-mail', 'purge-files', 'backup', 'demo']) assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
    assert.match(help.stdout, /commandes d'administration/);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Commande inconnue : sauvegarder/);
    assert.equal(badOption.code, 2);
    assert.match(badOption.stderr, /Option inconnue : --sortie/);
    assert.equal(fs.existsSync(dataDir), false, 'a wrong command must not create the database');
  });

  test('migrate creates the database, then finds it up to date', async () => {
    const first = await run(['migrate']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /Migrations appliquées : 001_foundation/);
    assert.ok(fs.existsSync(path.join(dataDir, 'portail.sqlite')));
    const again = await run(['migrate']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /déjà à jour/);
  });

  test('create-admin takes the password from ADMIN_PASSWORD and applies the password rules', async () => {
    const [noPassword, weak, missing] = await Promise.all([
      run(ADMIN),
      run(ADMIN, { ADMIN_PASSWORD: 'motdepasse' }),
      run(['create-admin', '--email', 'x@mairie.fr'], { ADMIN_PASSWORD: PASSWORD }),
    ]);
    assert.equal(noPassword.code, 2);
    assert.match(noPassword.stderr, /ADMIN_PASSWORD/);
    assert.equal(weak.code, 1);
    assert.match(weak.stderr, /trop facile à deviner/);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--first-name est obligatoire/);

    const created = await run(ADMIN, { ADMIN_PASSWORD: PASSWORD });
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, /Administrateur créé : Claire Martin <claire.martin@mairie.fr>/);
    assert.ok(!created.stdout.includes(PASSWORD) && !created.stderr.includes(PASSWORD));
    const twice = await run(ADMIN, { ADMIN_PASSWORD: PASSWORD });
    assert.equal(twice.code, 1);
    assert.match(twice.stderr, /existe déjà/);
  });

  test('backup writes a consistent SQLite copy that holds the admin, and never overwrites a file', async () => {
    const out = path.join(dir, 'sauvegardes', 'portail-2026-11-28.sqlite');
    const res = await run(['backup', '--out', out]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Sauvegarde écrite/);
    assert.equal(fs.statSync(out).mode & 0o777, 0o600);

    const copy = new SQLite(out, { readonly: true, fileMustExist: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      const admin = copy.prepare('select kind, status, roles, password_hash from users where email = ?').get('claire.martin@mairie.fr') as { kind: string; status: string; roles: string; password_hash: string } | undefined;
      assert.ok(admin, 'the admin is in the backup');
      assert.equal(admin.kind, 'agent');
      assert.equal(admin.status, 'active');
      assert.equal(admin.roles, 'admin');
      assert.match(admin.password_hash, /^\$argon2id\$/);
      assert.ok((copy.prepare('select count(*) as n from kysely_migration').get() as { n: number }).n >= 1);
    } finally {
      copy.close();
    }

    const overwrite = await run(['backup', '--out', out]);
    assert.equal(overwrite.code, 1);
    assert.match(overwrite.stderr, /existe déjà/);
  });

  test('on PostgreSQL, backup explains pg_dump and exits with 1 without writing anything', async () => {
    const out = path.join(dir, 'pg.dump');
    const res = await run(['backup', '--out', out], { DATABASE_URL: 'postgres://portail:secret@db.exemple.fr/portail' });
    assert.equal(res.code, 1);
    assert.match(res.stderr, /pg_dump/);
    assert.match(res.stderr, /pg_restore/);
    assert.ok(!res.stderr.includes('secret'), 'the database password is not printed');
    assert.equal(fs.existsSync(out), false);
  });

  test('invite without an e-mail writes the activation letter to print', async () => {
    const refused = await run(['invite', '--first-name', 'Marcel', '--last-name', 'Lenoir']);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--letter/);
    const letter = path.join(dir, 'lettres', 'lenoir.pdf');
    const res = await run(['invite', '--first-name', 'Marcel', '--last-name', 'Lenoir', '--letter', letter]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Lettre d'activation à imprimer et à poster/);
    assert.equal(fs.readFileSync(letter).subarray(0, 5).toString(), '%PDF-');
    const db = new SQLite(path.join(dataDir, 'portail.sqlite'), { readonly: true });
    try {
      const row = db.prepare("select u.status, c.channel from users u join activation_codes c on c.user_id = u.id where u.last_name = 'Lenoir'").get() as { status: string; channel: string };
      assert.deepEqual({ ...row }, { status: 'invited', channel: 'letter' });
    } finally {
      db.close();
    }
  });
});
