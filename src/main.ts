import { loadConfig, ConfigError } from './config.ts';
import { createContext } from './platform/bootstrap.ts';
import { buildApp } from './app.ts';
import { startOutboxWorker } from './platform/mail/outbox.ts';
import { startFilePurge, storedFilesOf } from './platform/files/stored-files.ts';
import { DemoSeedError, seedDemo } from './demo/seed.ts';
import { warmUpPasswordCheck } from './modules/identity/password-guessability.ts';

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
  const { ctx, close } = await createContext(config);
  if (config.demo) {
    const created = await seedDemo(ctx);
    if (created) console.log('Données de démonstration créées (voir le README pour les comptes).');
  }
  const app = await buildApp(ctx, { logger: { level: config.logLevel } });
  // Before listening: ranking the password dictionaries blocks for about a second.
  warmUpPasswordCheck();
  const worker = startOutboxWorker({ db: ctx.db, clock: ctx.clock, transport: ctx.mailTransport, from: config.mailFrom, secretKey: config.secretKey, retentionDays: config.mailRetentionDays, onError: (err) => app.log.warn({ err }, 'envoi de courriel en échec') });
  // Documents past their retention, unfinished uploads and files left by an anonymisation go every hour.
  const purge = startFilePurge(storedFilesOf(ctx), () => ctx.clock.now(), (err) => app.log.warn({ err }, 'purge des fichiers en échec'));
  await app.listen({ port: config.port, host: config.host });
  console.log(`Portail famille prêt sur ${config.publicUrl} (base ${ctx.engine === 'sqlite' ? 'SQLite embarquée' : 'PostgreSQL'})`);

  const shutdown = async () => {
    await app.close();
    purge.stop();
    await worker.stop();
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
