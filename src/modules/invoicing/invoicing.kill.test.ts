import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { testEngines } from '../../../test/support/engines.ts';
import { createTestApp, type TestApp } from '../../../test/support/app.ts';
import { agentAuth } from '../../../test/support/builders.ts';
import { aControlledRun, testPricing } from '../../../test/support/invoicing.ts';
import { invoicingService } from './invoicing.service.ts';

const child = path.resolve(import.meta.dirname, '../../../test/support/invoicing-kill-child.ts');

/** Runs the child that kills itself in the middle of the issue; resolves with its output and signal. */
function issueAndDie(env: Record<string, string>): Promise<{ out: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (_code, signal) => resolve({ out, signal }));
  });
}

for (const engine of testEngines()) {
  describe(`émission interrompue par l'arrêt brutal du processus : rien n'est émis (${engine})`, () => {
    let t: TestApp;
    let dir: string;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'facturation-'));
      t = await createTestApp(engine, { now: '2026-11-02T08:00:00Z', sqliteFile: path.join(dir, 'portail.db') });
    });
    after(async () => {
      await t.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test('processus tué au milieu de la transaction, puis émission complète', async () => {
      const regie = await agentAuth(t.ctx, ['regie']);
      const enfance = await agentAuth(t.ctx, ['admin', 'enfance']);
      const svc = invoicingService(t.ctx, testPricing());
      const a = await aControlledRun(t, svc, regie, enfance, 3, 'Régie coupure');
      const where: Record<string, string> =
        engine === 'sqlite' ? { KILL_SQLITE_FILE: path.join(dir, 'portail.db') } : { KILL_PG_SCHEMA: (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0].s };
      const died = await issueAndDie({ ...where, KILL_RUN_ID: a.runId, KILL_USER_ID: regie.user.id });
      assert.equal(died.signal, 'SIGKILL');
      assert.match(died.out, /invoices-in-transaction 3/);
      assert.equal((await t.ctx.db.selectFrom('invoices').selectAll().execute()).length, 0);
      assert.equal((await t.ctx.db.selectFrom('invoice_runs').select('status').where('id', '=', a.runId).executeTakeFirstOrThrow()).status, 'controlled');
      assert.equal((await t.ctx.db.selectFrom('counters').selectAll().where('name', '=', 'invoice-2026').execute()).length, 0);
      assert.deepEqual(await svc.issue(regie, a.runId), { ok: true, value: { invoices: 3 } });
      assert.deepEqual((await t.ctx.db.selectFrom('invoices').select('number').orderBy('seq').execute()).map((r) => r.number), ['F-2026-000001', 'F-2026-000002', 'F-2026-000003']);
    });
  });
}
