import type { FastifyInstance, RouteOptions } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Engine } from '../../src/platform/db/database.ts';
import type { AppContext } from '../../src/platform/context.ts';
import { FixedClock } from '../../src/platform/clock/clock.ts';
import { buildApp } from '../../src/app.ts';
import { createContext } from '../../src/platform/bootstrap.ts';
import { keepTransport, processOutbox, smtpTransport, type MailTransport } from '../../src/platform/mail/outbox.ts';
import { freshDatabase } from './database.ts';

export interface TestApp {
  app: FastifyInstance;
  ctx: AppContext;
  clock: FixedClock;
  engine: Engine;
  /** Runs the outbox worker once, as the background loop would. */
  flushMail(): Promise<number>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  smtpUrl?: string;
  now?: string;
  env?: Record<string, string>;
  poolSize?: number;
  /** Told of every route as it is registered. */
  onRoute?: (route: RouteOptions) => void;
  /** Called once every module is registered, before app.ready(): e.g. to add a test-only route. */
  beforeReady?: (app: FastifyInstance) => void;
}

/** A complete app on a fresh database, with an injected clock; SMTP when a test server URL is given. */
export async function createTestApp(engine: Engine, options: TestAppOptions = {}): Promise<TestApp> {
  const config: Config = loadConfig({ NODE_ENV: 'test', DEMO: '0', PUBLIC_URL: 'http://localhost:3000', ...options.env });
  const handle = await freshDatabase(engine, { poolSize: options.poolSize ?? 4 });
  const clock = new FixedClock(new Date(options.now ?? '2026-11-28T10:00:00Z'));
  const transport: MailTransport = options.smtpUrl ? smtpTransport(options.smtpUrl) : keepTransport;
  const { ctx } = await createContext(config, { clock, mailTransport: transport, handle });
  const app = await buildApp(ctx, { onRoute: options.onRoute });
  options.beforeReady?.(app);
  await app.ready();
  return {
    app,
    ctx,
    clock,
    engine,
    flushMail: () => processOutbox({ db: ctx.db, clock, transport, from: config.mailFrom }),
    async close() {
      await app.close();
      await handle.close();
    },
  };
}
