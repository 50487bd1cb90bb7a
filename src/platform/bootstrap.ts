import type { Config } from '../config.ts';
import type { AppContext } from './context.ts';
import { openDatabase, type DatabaseHandle } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { systemClock, type Clock } from './clock/clock.ts';
import { keepTransport, smtpTransport, type MailTransport } from './mail/outbox.ts';

/** Opens the database, runs the migrations and assembles the context shared by the server, the CLI and the benchmarks. */
export async function createContext(config: Config, overrides: { clock?: Clock; mailTransport?: MailTransport; handle?: DatabaseHandle } = {}) {
  const handle = overrides.handle ?? openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  await migrateToLatest(handle.db);
  const ctx: AppContext = {
    config,
    db: handle.db,
    engine: handle.engine,
    clock: overrides.clock ?? systemClock,
    mailTransport: overrides.mailTransport ?? (config.smtpUrl ? smtpTransport(config.smtpUrl) : keepTransport),
  };
  // The SMTP pool's connections would keep a finished CLI command (or a stopped server) alive.
  const close = async () => {
    ctx.mailTransport.close?.();
    await handle.close();
  };
  return { ctx, close };
}
