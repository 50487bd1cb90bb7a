import type { FastifyInstance, RouteOptions } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { FixedClock } from '../../src/platform/clock/clock.ts';
import { buildApp } from '../../src/app.ts';
import { createContext } from '../../src/platform/bootstrap.ts';
import { keepTransport, processOutbox, smtpTransport, type MailTransport } from '../../src/platform/mail/outbox.ts';
import { freshDatabase } from './database.ts';

/** Tests keep an explicit key: never a generated one in the working tree. */
export const TEST_SECRET_KEY = 'cle-de-test-uniquement-pour-les-tests-0123456789';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: FixedClock;
  engine: Engine;
  /** Runs the outbox worker once, as the background loop would. */
  flushMail(): Promise<number>;
  /**
   * Without a test SMTP server: what the worker handed over (secrets included), as a mailbox would
   * receive it. The outbox table never holds a code or a link token readable.
   */
  delivered: { to: string; subject: string; text: string }[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  smtpUrl?: string;
  now?: string;
  env?: Record<string, string>;
  poolSize?: number;
  /** SQLite in this file instead of memory (a test that opens the database from another process). */
  sqliteFile?: string;
  /** Told of every route as it is registered. */
  onRoute?: (route: RouteOptions) => void;
  /** Called once every module is registered, before app.ready(): e.g. to add a test-only route. */
  beforeReady?: (app: FastifyInstance) => void;
}

/** A complete app on a fresh database, with an injected clock; SMTP when a test server URL is given. */
export async function createTestApp(engine: Engine, options: TestAppOptions = {}): Promise<TestApp> {
  const config: Config = loadConfig({ NODE_ENV: 'test', DEMO: '0', PUBLIC_URL: 'http://localhost:3000', SECRET_KEY: TEST_SECRET_KEY, ...options.env });
  const handle = await freshDatabase(engine, { poolSize: options.poolSize ?? 4, sqliteFile: options.sqliteFile });
  const clock = new FixedClock(new Date(options.now ?? '2026-11-28T10:00:00Z'));
  const delivered: TestApp['delivered'] = [];
  const capture: MailTransport = { delivers: keepTransport.delivers, send: (m) => Promise.resolve(void delivered.push({ to: m.to, subject: m.subject, text: m.text })) };
  const transport: MailTransport = options.smtpUrl ? smtpTransport(options.smtpUrl) : capture;
  const { ctx } = await createContext(config, { clock, mailTransport: transport, handle });
  const app = await buildApp(ctx, { onRoute: options.onRoute });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    ctx,
    clock,
    engine,
    delivered,
    flushMail: () => processOutbox({ db: ctx.db, clock, transport, from: config.mailFrom, secretKey: config.secretKey, retentionDays: config.mailRetentionDays }),
    async close() {
      await app.close();
      transport.close?.();
      await handle.close();
    },
  };
}
