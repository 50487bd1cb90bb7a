import { loadConfig, ConfigError } from './config.ts';
import { createContext } from './platform/bootstrap.ts';
import { buildApp, paymentsOf, requestTypeHandlers } from './app.ts';
import { requestsService } from './modules/requests/requests.service.ts';
import { purgeStaleDrafts } from './modules/requests/requests.drafts-job.ts';
import { startOutboxWorker } from './platform/mail/outbox.ts';
import { startMessagingWorker } from './modules/messaging/messaging.worker.ts';
import { startNotificationsWorker } from './notifications.ts';
import { sendPaymentReminders } from './modules/invoicing/invoicing.reminders-service.ts';
import { startFilePurge, storedFilesOf } from './platform/files/stored-files.ts';
import { DemoSeedError, seedDemo } from './demo/seed.ts';
import { warmUpPasswordCheck } from './modules/identity/password-guessability.ts';
import { payfipClient } from './platform/payfip/payfip.client.ts';
import { checkPayfipAtStart } from './platform/payfip/payfip.startup.ts';
import { startPayfipSimulator } from './payfip-simulator/simulator.ts';

/** Process entry: configuration → database → migrations → (demo data) → app → listen, with the e-mail worker. */
async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
  // Outside production without PAYFIP_URL, the built-in PayFiP simulator answers on its own port
  // (the portal still talks to it over HTTP, as to PayFiP).
  const simulator = config.payfip.simulatorPort === null ? null : await startPayfipSimulator({ port: config.payfip.simulatorPort, host: 'localhost', numcli: config.payfip.numcli });
  if (simulator) console.log(`Simulateur PayFiP sur ${simulator.url} (aucun paiement réel).`);
  const { ctx, close } = await createContext(config);
  if (config.demo) {
    const created = await seedDemo(ctx);
    if (created) console.log('Données de démonstration créées (voir le README pour les comptes).');
  }
  const app = await buildApp(ctx, { logger: { level: config.logLevel } });
  // Before listening: ranking the password dictionaries blocks for about a second.
  warmUpPasswordCheck();
  const worker = startOutboxWorker({ db: ctx.db, clock: ctx.clock, transport: ctx.mailTransport, from: config.mailFrom, secretKey: config.secretKey, retentionDays: config.mailRetentionDays, onError: (err) => app.log.warn({ err }, 'envoi de courriel en échec') });
  // Payments whose notification never came (lost, or the process stopped meanwhile) are settled by
  // asking PayFiP, every minute; a run never overlaps the previous one.
  const payments = paymentsOf(ctx, (message) => app.log.warn(message));
  let reconciling = false;
  const reconciler = setInterval(() => {
    if (reconciling) return;
    reconciling = true;
    payments.reconcile().then(({ settled }) => settled > 0 && app.log.info(`Rapprochement avec PayFiP : paiements en ligne réglés : ${settled}`), (err: unknown) => app.log.warn({ err }, 'rapprochement PayFiP en échec')).finally(() => (reconciling = false));
  }, 60_000);
  // Unpaid invoices past their due date get their reminder through the outbox, checked every hour
  // (idempotent: the outbox's dedupe key holds one reminder per invoice and interval).
  let reminding = false;
  const paymentReminders = setInterval(() => {
    if (reminding) return;
    reminding = true;
    sendPaymentReminders(ctx).then(({ invoices }) => invoices > 0 && app.log.info(`Rappels de factures impayées vérifiés : ${invoices}`), (err: unknown) => app.log.warn({ err }, 'rappels de factures en échec')).finally(() => (reminding = false));
  }, 60 * 60_000);
  // Messages to many families become outbox e-mails in batches, beside the outbox's own loop.
  const messages = startMessagingWorker({ db: ctx.db, clock: ctx.clock, publicUrl: config.publicUrl, townName: config.town.name, secretKey: config.secretKey, onError: (err) => app.log.warn({ err }, 'préparation des courriels d\'un message en échec') });
  // Automatic notifications no click sets off (booking deadline reminders, documents about to expire).
  const notifications = startNotificationsWorker(ctx, (err) => app.log.warn({ err }, 'notifications automatiques en échec'));
  // Documents past their retention, unfinished uploads and files left by an anonymisation go every hour.
  const purge = startFilePurge(storedFilesOf(ctx), () => ctx.clock.now(), (err) => app.log.warn({ err }, 'purge des fichiers en échec'));
  // Families waiting to send a complement are reminded before its due date, once (idempotent), every hour.
  const requests = requestsService(ctx, requestTypeHandlers());
  // Drafts untouched for 90 days go in the same round.
  const remind = () =>
    requests
      .sendComplementReminders()
      .then((n) => n > 0 && app.log.info(`Rappels de complément envoyés : ${n}`))
      .then(() => purgeStaleDrafts(ctx))
      .then((n) => n > 0 && app.log.info(`Brouillons de plus de 90 jours supprimés : ${n}`), (err: unknown) => app.log.warn({ err }, 'rappels de complément ou purge des brouillons en échec'));
  void remind();
  const complementReminders = setInterval(() => void remind(), 3_600_000);
  await app.listen({ port: config.port, host: config.host });
  // Never blocks the start: an unreachable PayFiP is a warning (src/modules/payments/README.md).
  void checkPayfipAtStart(payfipClient(config.payfip)).then((check) => (check.ok ? app.log.info(check.message) : app.log.warn(check.message)));
  console.log(`Portail famille prêt sur ${config.publicUrl} (base ${ctx.engine === 'sqlite' ? 'SQLite embarquée' : 'PostgreSQL'})`);

  const shutdown = async () => {
    clearInterval(reconciler);
    clearInterval(paymentReminders);
    clearInterval(complementReminders);
    await app.close();
    await messages.stop();
    await notifications.stop();
    purge.stop();
    await worker.stop();
    await simulator?.close();
    await close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

main().catch((err) => {
  // A demo step that failed says which one and what to do; a stack trace would only hide it.
  console.error(err instanceof DemoSeedError ? err.message : err);
  process.exit(1);
});
