import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Engine } from '../src/platform/db/database.ts';
import { loadConfig } from '../src/config.ts';
import { createContext } from '../src/platform/bootstrap.ts';
import { buildApp } from '../src/app.ts';
import { processOutbox, smtpTransport } from '../src/platform/mail/outbox.ts';
import { processMessages } from '../src/modules/messaging/messaging.worker.ts';
import { agentAuth } from '../test/support/builders.ts';
import { startTestSmtp } from '../test/support/smtp.ts';
import { benchDatabase } from './lib/database.ts';
import { generateHouseholds, insertSessions } from './lib/seed.ts';
import { round } from './lib/load.ts';
import { info } from './lib/log.ts';

/**
 * The messaging scenario (issue 13), in process: a town of N households (one guardian, one in three
 * with a second), an agent's message to every guardian. Measured: the agent's POST from its arrival to
 * the redirect (the recipients snapshot and the queue, one transaction), the worker turning recipients
 * into outbox e-mails, and the outbox handing e-mails to an in-process SMTP server (a sample of
 * BENCH_MESSAGING_SMTP e-mails, or all with BENCH_MESSAGING_SMTP=all).
 */
export async function messagingRun(engine: Engine, households: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portail-bench-messages-'));
  const handle = await benchDatabase(engine, path.join(dataDir, 'portail.sqlite'));
  const smtp = await startTestSmtp();
  try {
    const config = loadConfig({ NODE_ENV: 'test', DEMO: '0', DATA_DIR: dataDir, PUBLIC_URL: 'http://localhost:3000', ...(engine === 'postgres' ? { DATABASE_URL: process.env.TEST_DATABASE_URL } : {}) });
    const { ctx } = await createContext(config, { handle, mailTransport: smtpTransport(smtp.url) });
    info(`${engine} / messages : ${households} foyers générés…`);
    await generateHouseholds(ctx, households);
    const agent = await agentAuth(ctx, ['enfance']);
    const [session] = await insertSessions(ctx, [agent.user.id]);
    const app = await buildApp(ctx);
    await app.ready();

    const boundary = '----bench';
    const fields: [string, string][] = [['_csrf', session.csrf], ['cle', '01900000-0000-7000-8000-000000000001'], ['objet', 'Fermeture exceptionnelle'], ['texte', 'L\'accueil du soir ferme à 17 h vendredi.'], ['categorie', 'information'], ['envoi', 'maintenant']];
    const payload = `${fields.map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}--${boundary}--\r\n`;
    info(`${engine} / messages : envoi à tous les responsables…`);
    const clickStart = performance.now();
    const res = await app.inject({ method: 'POST', url: '/agent/messages', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: session.cookie } });
    const queueMs = performance.now() - clickStart;
    if (res.statusCode !== 303) throw new Error(`envoi refusé (${res.statusCode}) : ${res.body.slice(0, 300)}`);
    const message = await ctx.db.selectFrom('messages').select(['id', 'recipients_count', 'households_count']).executeTakeFirstOrThrow();

    const workerStart = performance.now();
    let recipients = 0;
    for (let n; (n = await processMessages({ db: ctx.db, clock: ctx.clock, publicUrl: config.publicUrl, townName: config.town.name, secretKey: config.secretKey })) > 0; ) recipients += n;
    const workerMs = performance.now() - workerStart;

    const outboxTotal = Number((await ctx.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'pending').executeTakeFirstOrThrow()).n);
    const sample = process.env.BENCH_MESSAGING_SMTP === 'all' ? outboxTotal : Math.min(outboxTotal, Number(process.env.BENCH_MESSAGING_SMTP ?? 2000));
    info(`${engine} / messages : ${sample} courriels remis au serveur SMTP…`);
    const smtpStart = performance.now();
    let sent = 0;
    while (sent < sample) {
      const n = await processOutbox({ db: ctx.db, clock: ctx.clock, transport: ctx.mailTransport, from: config.mailFrom, secretKey: config.secretKey }, Math.min(20, sample - sent));
      if (n === 0) break;
      sent += n;
    }
    const smtpMs = performance.now() - smtpStart;
    await app.close();
    ctx.mailTransport.close?.();
    return {
      households: message.households_count,
      guardians: message.recipients_count,
      queueFromClickMs: round(queueMs, 1),
      worker: { recipients, ms: round(workerMs, 0), recipientsPerSec: round(recipients / (workerMs / 1000), 0) },
      smtp: { mails: sent, received: smtp.mails.length, ms: round(smtpMs, 0), mailsPerSec: round(sent / (smtpMs / 1000), 1), projectedAllSeconds: round(outboxTotal / (sent / (smtpMs / 1000)), 0) },
    };
  } finally {
    await smtp.close();
    await handle.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
