import { z } from 'zod';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The environment, parsed once. In production (NODE_ENV=production) every setting that
 * protects families must be given explicitly: the process refuses to start otherwise,
 * and demo data is never created.
 */
const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().optional(),
  DATA_DIR: z.string().default('./data'),
  SECRET_KEY: z.string().optional(),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('Portail famille <ne-pas-repondre@portail-famille.localhost>'),
  TOWN_NAME: z.string().default('Ville de Beauval'),
  TOWN_LOGO_URL: z.string().optional(),
  TOWN_PRIMARY_COLOR: z.string().regex(/^#[0-9a-fA-F]{6}$/).default('#1d4f91'),
  /** The counter families can go to, shown in the footer and on the help pages (each optional). */
  TOWN_ADDRESS: z.string().trim().max(200).optional(),
  TOWN_PHONE: z.string().trim().max(30).optional(),
  TOWN_COUNTER_HOURS: z.string().trim().max(300).optional(),
  ACTIVATION_CODE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(2).max(24 * 60).default(30),
  /** Absolute lifetime of a session, whatever the activity. */
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).max(7 * 24).default(12),
  /** Days a delivered e-mail keeps its text (for « Courriels envoyés »), then only its envelope stays. */
  MAIL_RETENTION_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /** Days during which the service enfance may still correct attendance (animators record today only). */
  ATTENDANCE_CORRECTION_DAYS: z.coerce.number().int().min(0).max(31).default(7),
  /** Days between two e-mail reminders of an unpaid invoice past its due date (the first goes the day after). */
  PAYMENT_REMINDER_DAYS: z.coerce.number().int().min(1).max(365).default(15),
  /** Where documents' encrypted files go: a folder in DATA_DIR, or the database (several instances on PostgreSQL). */
  DOCUMENT_STORAGE: z.enum(['directory', 'database']).default('directory'),
  /** Largest document a family may send, in megabytes. */
  DOCUMENT_MAX_MB: z.coerce.number().min(1).max(50).default(10),
  DEMO: z.enum(['0', '1']).optional(),
  LOG_LEVEL: z.string().default('info'),
  /** 1 when a reverse proxy that overwrites X-Forwarded-For stands in front (needed for per-address rate limits). */
  TRUST_PROXY: z.enum(['0', '1']).default('0'),
  /** PayFiP Régie web service (src/modules/payments/README.md). Outside production, the built-in simulator answers by default. */
  // The town's identifiers on certificates and in the PES V2 export (src/modules/certificates/README.md: demo defaults).
  TOWN_SIRET: z.string().regex(/^\d{14}$/, 'SIRET : 14 chiffres').default('21620999900017'),
  CERTIFICATE_SIGNATORY: z.string().trim().max(120).default('Le régisseur de recettes'),
  PES_ID_POST: z.string().regex(/^[0-9A-Z]{7}$/, 'code poste comptable : 7 caractères').default('0620000'),
  PES_COD_COL: z.string().regex(/^[0-9A-Z]{3}$/, 'code collectivité : 3 caractères').default('001'),
  PES_COD_BUD: z.string().regex(/^[0-9A-Z]{1,10}$/, 'code budget : 1 à 10 caractères').default('01'),
  PES_NATURE: z.string().regex(/^[0-9A-Z]{1,10}$/, 'nature (compte) : 1 à 10 caractères').default('7067'),
  PES_COD_PROD_LOC: z.string().regex(/^[0-9A-Z]{1,4}$/, 'code produit local : 1 à 4 caractères').default('ENF'),
  PAYFIP_NUMCLI: z.string().regex(/^\d{6}$/, 'NUMCLI : 6 chiffres').optional(),
  PAYFIP_SAISIE: z.enum(['T', 'X', 'W']).optional(),
  PAYFIP_URL: z.string().url().optional(),
  PAYFIP_PAYMENT_URL: z.string().url().optional(),
  PAYFIP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(60).default(15),
  /** Port of the built-in simulator that DEMO starts; default: PORT + 1000. */
  PAYFIP_SIMULATOR_PORT: z.coerce.number().int().min(1).max(65535).optional(),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  publicUrl: string;
  databaseUrl: string | undefined;
  dataDir: string;
  secretKey: string;
  smtpUrl: string | undefined;
  mailFrom: string;
  town: { name: string; logoUrl: string | undefined; primaryColor: string; contact: TownContact };
  activationCodeDays: number;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  mailRetentionDays: number;
  attendanceCorrectionDays: number;
  paymentReminderDays: number;
  documents: { storage: 'directory' | 'database'; maxBytes: number };
  demo: boolean;
  logLevel: string;
  trustProxy: boolean;
  /** Cookies marked Secure when the portal is served over HTTPS. */
  secureCookies: boolean;
  payfip: PayfipConfig;
  /** The town's identifiers on certificates and its codes for the PES V2 export to the accountant. */
  accounting: { siret: string; signatory: string; pes: { idPost: string; codCol: string; codBud: string; nature: string; codProdLoc: string } };
}

/** Where the portal asks PayFiP (or the simulator, outside production, when nothing is given). */
export interface PayfipConfig {
  numcli: string;
  saisie: 'T' | 'X' | 'W';
  soapUrl: string;
  paymentPageUrl: string;
  timeoutMs: number;
  /** Set when the URLs are the built-in simulator's defaults: main.ts starts it on this port in demo mode. */
  simulatorPort: number | null;
}

/** Where and when families can reach the town's service enfance; a missing item is simply not shown. */
export interface TownContact {
  /** « Mairie de Beauval, 1 place de la Mairie, 12345 Beauval » */
  address: string | undefined;
  /** As typed; shown spaced by pairs. */
  phone: string | undefined;
  /** « du lundi au vendredi, de 8 h 30 à 12 h et de 13 h 30 à 17 h » */
  counterHours: string | undefined;
}

export class ConfigError extends Error {}

/** Where a key generated outside production is kept (never in the repository). */
export const SECRET_KEY_FILE = 'secret.key';

/**
 * Outside production without SECRET_KEY: a random key made on first start and kept in DATA_DIR,
 * readable by the owner only, so no instance ever runs with a key anyone can read in the source.
 */
function localSecretKey(dataDir: string): string {
  const file = path.join(dataDir, SECRET_KEY_FILE);
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const key = crypto.randomBytes(48).toString('base64url');
  try {
    // 'wx': two processes starting together keep the first key written.
    fs.writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
    return key;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8').trim();
    throw err;
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Configuration invalide :\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    const missing: string[] = [];
    if (!e.SECRET_KEY || e.SECRET_KEY.length < 32) missing.push('SECRET_KEY (au moins 32 caractères aléatoires)');
    if (!e.PUBLIC_URL || !e.PUBLIC_URL.startsWith('https://')) missing.push('PUBLIC_URL (adresse publique du portail, en https://)');
    if (!e.SMTP_URL) missing.push('SMTP_URL (serveur d\'envoi des courriels)');
    if (e.DEMO === '1') missing.push('DEMO=1 est interdit en production');
    if (!e.PAYFIP_NUMCLI) missing.push('PAYFIP_NUMCLI (numéro client PayFiP donné par la DGFiP, 6 chiffres)');
    if (!e.PAYFIP_SAISIE) missing.push('PAYFIP_SAISIE (T test, X activation, W production)');
    if (!e.PAYFIP_URL?.startsWith('https://')) missing.push('PAYFIP_URL (service web PayFiP, en https://, par exemple https://www.payfip.gouv.fr/tpa/services/securite)');
    if (!e.PAYFIP_PAYMENT_URL?.startsWith('https://')) missing.push('PAYFIP_PAYMENT_URL (page de paiement PayFiP, en https://, par exemple https://www.payfip.gouv.fr/tpa/paiementws.web)');
    if (missing.length > 0) {
      throw new ConfigError(`Le portail ne peut pas démarrer en production. Réglages manquants ou invalides :\n${missing.map((m) => `  - ${m}`).join('\n')}`);
    }
  }
  if (!e.PAYFIP_URL !== !e.PAYFIP_PAYMENT_URL) throw new ConfigError('Configuration invalide : PAYFIP_URL et PAYFIP_PAYMENT_URL se donnent ensemble (le service web et la page de paiement du même PayFiP).');
  const port = e.PORT;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    port,
    host: e.HOST,
    publicUrl,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir,
    secretKey: e.SECRET_KEY || localSecretKey(dataDir),
    smtpUrl: e.SMTP_URL || undefined,
    mailFrom: e.MAIL_FROM,
    town: {
      name: e.TOWN_NAME,
      logoUrl: e.TOWN_LOGO_URL,
      primaryColor: e.TOWN_PRIMARY_COLOR,
      contact: { address: e.TOWN_ADDRESS || undefined, phone: e.TOWN_PHONE || undefined, counterHours: e.TOWN_COUNTER_HOURS || undefined },
    },
    activationCodeDays: e.ACTIVATION_CODE_DAYS,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    mailRetentionDays: e.MAIL_RETENTION_DAYS,
    attendanceCorrectionDays: e.ATTENDANCE_CORRECTION_DAYS,
    paymentReminderDays: e.PAYMENT_REMINDER_DAYS,
    documents: { storage: e.DOCUMENT_STORAGE, maxBytes: Math.round(e.DOCUMENT_MAX_MB * 1024 * 1024) },
    demo: !production && e.DEMO !== '0',
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY === '1',
    secureCookies: publicUrl.startsWith('https://'),
    payfip: payfipConfig(e, port),
    accounting: { siret: e.TOWN_SIRET, signatory: e.CERTIFICATE_SIGNATORY, pes: { idPost: e.PES_ID_POST, codCol: e.PES_COD_COL, codBud: e.PES_COD_BUD, nature: e.PES_NATURE, codProdLoc: e.PES_COD_PROD_LOC } },
  };
}

/** The real PayFiP when its URLs are given; otherwise the built-in simulator on its own port (never in production: refused above). */
function payfipConfig(e: z.infer<typeof schema>, port: number): PayfipConfig {
  const simulatorPort = e.PAYFIP_SIMULATOR_PORT ?? (port + 1000 <= 65535 ? port + 1000 : 4000);
  const simulated = !e.PAYFIP_URL;
  const simulator = `http://localhost:${simulatorPort}`;
  return {
    numcli: e.PAYFIP_NUMCLI ?? '090909',
    saisie: e.PAYFIP_SAISIE ?? 'T',
    soapUrl: e.PAYFIP_URL ?? `${simulator}/tpa/services/securite`,
    paymentPageUrl: e.PAYFIP_PAYMENT_URL ?? `${simulator}/tpa/paiementws.web`,
    timeoutMs: e.PAYFIP_TIMEOUT_SECONDS * 1000,
    simulatorPort: simulated ? simulatorPort : null,
  };
}
