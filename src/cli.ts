import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { loadConfig, ConfigError, type Config } from './config.ts';
import type { AppContext } from './platform/context.ts';

// Each command loads only what it needs (imports below are lazy): `help` and `backup` start fast.
const HELP = `Portail famille – commandes d'administration

Utilisation : npm run cli -- <commande> [options]

Commandes :
  migrate                          met la base de données à jour (migrations)
  create-admin --email <adresse> --first-name <prénom> --last-name <nom>
                                   crée un compte administrateur ; le mot de passe est lu
                                   dans ADMIN_PASSWORD ou demandé au clavier
  invite --first-name <prénom> --last-name <nom> [--email <adresse>] [--letter <fichier.pdf>]
                                   ouvre le compte d'un responsable légal : le code d'activation
                                   part par courriel, ou, sans adresse, est écrit dans la lettre PDF
  send-mail                        envoie une fois les courriels en attente
  reconcile-payments               demande à PayFiP le résultat des paiements en ligne
                                   encore en attente (avis de paiement perdu) et les règle
  send-reminders                   met en file les rappels des factures impayées après échéance
                                   (une fois, puis tous les PAYMENT_REMINDER_DAYS jours)
  purge-files                      supprime les documents dont la durée de conservation est
                                   passée et les envois de fichiers interrompus
  remind-requests                  rappelle aux familles les compléments demandés dont la
                                   date limite approche (une fois par complément)
  backup --out <fichier>           sauvegarde à chaud la base SQLite
                                   (PostgreSQL : affiche la commande pg_dump à utiliser)
  demo                             crée les données de démonstration (jamais en production)
  help                             affiche cette aide

La configuration vient des mêmes variables d'environnement que le serveur
(DATA_DIR, DATABASE_URL, SMTP_URL…, voir le README).`;

/** A mistake of the person typing the command: message, help hint, exit code 2. */
class UsageError extends Error {}
/** The command ran but could not do what was asked: message, exit code 1. */
class CommandError extends Error {}

type Options = Partial<Record<'email' | 'first-name' | 'last-name' | 'letter' | 'out', string>>;

function parse(argv: string[]): { command: string | undefined; options: Options; help: boolean } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        email: { type: 'string' },
        'first-name': { type: 'string' },
        'last-name': { type: 'string' },
        letter: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (positionals.length > 1) throw new UsageError(`Argument inattendu : ${positionals[1]}`);
    const { help, ...options } = values;
    return { command: positionals[0], options, help: !!help };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw new UsageError(`Option inconnue : ${(err as Error).message.match(/'([^']+)'/)?.[1] ?? ''}`);
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`Une valeur manque après une option : ${(err as Error).message.match(/'([^']+)'/)?.[1] ?? ''}`);
    throw new UsageError((err as Error).message);
  }
}

const required = (options: Options, name: keyof Options): string => {
  const value = options[name]?.trim();
  if (!value) throw new UsageError(`L'option --${name} est obligatoire.`);
  return value;
};

const firstError = (errors: Record<string, string>) => Object.values(errors)[0] ?? 'Erreur inconnue';

/** Reads a line on the terminal without echoing it (the password never shows on screen nor in the history). */
function askHidden(question: string): Promise<string> {
  const stdin = process.stdin;
  return new Promise((resolve, reject) => {
    process.stdout.write(question);
    let value = '';
    const done = (result: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stdout.write('\n');
      result();
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done(() => resolve(value));
        if (char === '\u0003') return done(() => reject(new CommandError('Abandon.')));
        if (char === '\u007f' || char === '\b') value = value.slice(0, -1);
        else if (char >= ' ') value += char;
      }
    };
    stdin.setRawMode(true);
    stdin.resume();
    stdin.on('data', onData);
  });
}

async function adminPassword(): Promise<string> {
  const { PASSWORD_HINT } = await import('./modules/identity/identity.domain.ts');
  const fromEnv = process.env.ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new UsageError('Donnez le mot de passe dans la variable ADMIN_PASSWORD, ou lancez la commande dans un terminal pour le saisir.');
  console.log(`Choisissez un mot de passe solide. ${PASSWORD_HINT}`);
  const first = await askHidden('Mot de passe : ');
  const second = await askHidden('Confirmez le mot de passe : ');
  if (first !== second) throw new CommandError('Les deux saisies sont différentes. Recommencez.');
  return first;
}

async function withContext<T>(config: Config, run: (ctx: AppContext) => Promise<T>): Promise<T> {
  const { createContext } = await import('./platform/bootstrap.ts');
  const { ctx, close } = await createContext(config);
  try {
    return await run(ctx);
  } finally {
    await close();
  }
}

const commands: Record<string, (config: Config, options: Options) => Promise<void>> = {
  async migrate(config) {
    const { openDatabase } = await import('./platform/db/database.ts');
    const { migrateToLatest } = await import('./platform/db/migrate.ts');
    const handle = openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
    try {
      const applied = await migrateToLatest(handle.db);
      console.log(applied.length ? `Migrations appliquées : ${applied.join(', ')}.` : 'La base de données est déjà à jour.');
    } finally {
      await handle.close();
    }
  },

  async 'create-admin'(config, options) {
    const { emailField } = await import('./platform/http/forms.ts');
    const { identityService } = await import('./modules/identity/identity.service.ts');
    const parsedEmail = emailField().safeParse(required(options, 'email'));
    if (!parsedEmail.success) throw new UsageError(`${parsedEmail.error.issues[0].message} (--email ${options.email})`);
    const email = parsedEmail.data;
    const firstName = required(options, 'first-name');
    const lastName = required(options, 'last-name');
    const password = await adminPassword();
    await withContext(config, async (ctx) => {
      const result = await identityService(ctx).createAdmin({ email, firstName, lastName, password });
      if (!result.ok) throw new CommandError(firstError(result.errors));
      console.log(`Administrateur créé : ${firstName} ${lastName} <${email}>. Connexion sur ${config.publicUrl}/connexion`);
    });
  },

  async invite(config, options) {
    const { emailField } = await import('./platform/http/forms.ts');
    const { identityService } = await import('./modules/identity/identity.service.ts');
    const { activationLetters } = await import('./modules/identity/identity.letter.ts');
    const { formatDateLong } = await import('./platform/format.ts');
    const rawEmail = options.email?.trim() || undefined;
    const firstName = required(options, 'first-name');
    const lastName = required(options, 'last-name');
    const letter = options.letter ? path.resolve(options.letter) : undefined;
    if (!rawEmail && !letter) throw new UsageError('Sans adresse électronique, indiquez où écrire la lettre d\'activation : --letter lettre.pdf');
    const parsedEmail = rawEmail === undefined ? undefined : emailField().safeParse(rawEmail);
    if (parsedEmail && !parsedEmail.success) throw new UsageError(`${parsedEmail.error.issues[0].message} (--email ${rawEmail})`);
    const email = parsedEmail?.data;
    if (letter && fs.existsSync(letter)) throw new CommandError(`Le fichier ${letter} existe déjà.`);
    await withContext(config, async (ctx) => {
      const result = await identityService(ctx).invite(null, { email, firstName, lastName });
      if (!result.ok) throw new CommandError(firstError(result.errors));
      const { code, expiresAt } = result.value;
      const until = `valable jusqu'au ${formatDateLong(expiresAt)}`;
      if (email) {
        console.log(`Compte créé pour ${firstName} ${lastName}. Le code d'activation (${until}) part par courriel à ${email}.`);
        console.log(ctx.mailTransport.delivers ? 'Le serveur l\'envoie dans les secondes qui suivent (ou : npm run cli -- send-mail).' : 'SMTP_URL n\'est pas réglé : le courriel est conservé dans « Courriels envoyés » sans partir.');
      }
      if (letter) {
        const pdf = await activationLetters(config.town.name, config.publicUrl, [{ firstName, lastName, code, expiresAt }], ctx.clock.now());
        fs.mkdirSync(path.dirname(letter), { recursive: true });
        // The letter holds a personal code: readable by its owner only.
        fs.writeFileSync(letter, pdf, { mode: 0o600 });
        if (email) console.log(`Copie papier de la lettre d'activation : ${letter}`);
        else console.log(`Compte créé pour ${firstName} ${lastName}. Lettre d'activation à imprimer et à poster : ${letter} (code ${until}).`);
      }
    });
  },

  async 'reconcile-payments'(config) {
    const { paymentsOf } = await import('./app.ts');
    await withContext(config, async (ctx) => {
      const { checked, settled } = await paymentsOf(ctx, (message) => console.error(message)).reconcile();
      console.log(checked === 0 ? 'Aucun paiement en ligne en attente.' : `Paiements en ligne en attente : ${checked} ; réglés maintenant : ${settled}.`);
    });
  },
  async 'remind-requests'(config) {
    const { requestTypeHandlers } = await import('./app.ts');
    const { requestsService } = await import('./modules/requests/requests.service.ts');
    await withContext(config, async (ctx) => {
      const n = await requestsService(ctx, requestTypeHandlers()).sendComplementReminders();
      console.log(n === 0 ? 'Aucun rappel à envoyer.' : n === 1 ? '1 rappel envoyé.' : `${n} rappels envoyés.`);
    });
  },
  async 'send-reminders'(config) {
    const { sendPaymentReminders } = await import('./modules/invoicing/invoicing.reminders-service.ts');
    await withContext(config, async (ctx) => {
      const { invoices } = await sendPaymentReminders(ctx);
      console.log(invoices === 0 ? 'Aucun nouveau rappel de facture impayée.' : `Rappels de factures impayées envoyés : ${invoices} (jamais deux fois pour la même période).`);
    });
  },
  async 'purge-files'(config) {
    const { storedFilesOf } = await import('./platform/files/stored-files.ts');
    await withContext(config, async (ctx) => {
      const removed = await storedFilesOf(ctx).purge(ctx.clock.now());
      console.log(removed === 0 ? 'Aucun fichier à supprimer.' : removed === 1 ? '1 fichier supprimé.' : `${removed} fichiers supprimés.`);
    });
  },

  async 'send-mail'(config) {
    const { processOutbox } = await import('./platform/mail/outbox.ts');
    const { countUnsent } = await import('./platform/mail/outbox.repository.ts');
    await withContext(config, async (ctx) => {
      if (!ctx.mailTransport.delivers) console.log('SMTP_URL n\'est pas réglé : les courriels sont conservés dans « Courriels envoyés », pas envoyés.');
      const worker = { db: ctx.db, clock: ctx.clock, transport: ctx.mailTransport, from: config.mailFrom, secretKey: config.secretKey, retentionDays: config.mailRetentionDays, onError: (err: unknown) => console.error(`Échec d'envoi : ${err instanceof Error ? err.message : String(err)}`) };
      // Messages written to many families first become outbox e-mails (all their batches).
      const { processMessages } = await import('./modules/messaging/messaging.worker.ts');
      while ((await processMessages({ db: ctx.db, clock: ctx.clock, publicUrl: config.publicUrl, townName: config.town.name, secretKey: config.secretKey })) > 0);
      // Until nothing is due: a message that fails is put off (backoff), so this ends.
      let handled = 0;
      for (let pass = 0; pass < 1000; pass++) {
        const n = await processOutbox(worker);
        handled += n;
        if (n === 0) break;
      }
      const unsent = await countUnsent(ctx.db);
      console.log(`${handled} courriel(s) traité(s). En attente d'un nouvel essai : ${unsent.pending}. En échec (à renvoyer depuis « Courriels envoyés ») : ${unsent.failed}.`);
    });
  },

  async backup(config, options) {
    const out = required(options, 'out');
    const { isPostgresUrl } = await import('./platform/db/database.ts');
    const { backupSqlite, BackupError, PG_DUMP_COMMAND, PG_RESTORE_COMMAND } = await import('./platform/db/backup.ts');
    if (isPostgresUrl(config.databaseUrl)) {
      console.error('La base est PostgreSQL : sauvegardez-la avec pg_dump, par exemple :');
      console.error(`  ${PG_DUMP_COMMAND}`);
      console.error('Restauration :');
      console.error(`  ${PG_RESTORE_COMMAND}`);
      throw new CommandError('Aucune sauvegarde faite par cette commande.');
    }
    try {
      const result = await backupSqlite(config.dataDir, out);
      console.log(`Sauvegarde écrite : ${result.file} (${Math.ceil(result.bytes / 1024)} Kio).`);
    } catch (err) {
      if (err instanceof BackupError) throw new CommandError(err.message);
      throw err;
    }
  },

  async demo(config) {
    if (config.env === 'production') throw new CommandError('Les données de démonstration ne sont jamais créées en production.');
    const { DemoSeedError, seedDemo } = await import('./demo/seed.ts');
    await withContext(config, async (ctx) => {
      const created = await seedDemo(ctx).catch((err: unknown) => {
        throw err instanceof DemoSeedError ? new CommandError(err.message) : err;
      });
      console.log(created ? 'Données de démonstration créées (comptes : voir le README).' : 'Les données de démonstration existent déjà.');
    });
  },
};

export async function runCli(argv: string[]): Promise<number> {
  try {
    const { command, options, help } = parse(argv);
    if (help || !command || command === 'help') {
      console.log(HELP);
      return command || help ? 0 : 2;
    }
    const run = commands[command];
    if (!run) throw new UsageError(`Commande inconnue : ${command}`);
    const config = loadConfig();
    await run(config, options);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`${err.message}\nAide : npm run cli -- help`);
      return 2;
    }
    if (err instanceof CommandError || err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    console.error(err);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
