import type { Config } from '../config.ts';
import type { Db, Engine } from './db/database.ts';
import type { Clock } from './clock/clock.ts';
import type { MailTransport } from './mail/outbox.ts';

/** Everything a request or a job needs, built once by main.ts or by the test helper. */
export interface AppContext {
  config: Config;
  db: Db;
  engine: Engine;
  clock: Clock;
  mailTransport: MailTransport;
}
