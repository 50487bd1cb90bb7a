import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, ErrorSummary, NotificationBanner, PostForm, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { PASSWORD_HINT } from './identity.domain.ts';

interface FormPage {
  ctx: PageCtx;
  errors?: FieldErrors;
  values?: FormValues;
}

const hasErrors = (e?: FieldErrors) => !!e && Object.keys(e).length > 0;

export function LoginPage({ ctx, errors = {}, values = {}, expired, returnTo }: FormPage & { expired?: boolean; returnTo?: string }) {
  return (
    <Layout ctx={ctx} title="Se connecter" hasErrors={hasErrors(errors)}>
      <h1>Se connecter</h1>
      {expired && (
        <NotificationBanner kind="info" title="Session terminée">
          <p>Vous avez été déconnecté après un moment sans activité. Reconnectez-vous pour continuer.</p>
          {returnTo === '/reprise' && <p>Ce que vous venez d'envoyer est gardé 30 minutes : après la connexion, vous pourrez le vérifier puis le valider.</p>}
        </NotificationBanner>
      )}
      <ErrorSummary errors={errors} />
      <PostForm action="/connexion" csrf={ctx.csrf}>
        {returnTo && <input type="hidden" name="retour" value={returnTo} />}
        <TextField name="email" label="Adresse électronique" type="email" autocomplete="username" spellcheck={false} errors={errors} values={values} />
        <TextField name="password" label="Mot de passe" type="password" autocomplete="current-password" errors={errors} />
        <Button>Se connecter</Button>
      </PostForm>
      <p>
        <a href="/mot-de-passe-oublie">Mot de passe oublié ?</a>
      </p>
      <h2>Vous n'avez pas encore de compte ?</h2>
      <p>
        Si la mairie vous a envoyé un code d'activation par courriel ou par courrier : <a href="/activation">activer mon compte avec un code</a>.
      </p>
      <p>
        Sinon : <a href="/inscription">créer un compte</a>. La mairie le reliera ensuite à votre foyer.
      </p>
    </Layout>
  );
}

export function ActivationCodePage({ ctx, errors = {}, values = {} }: FormPage) {
  return (
    <Layout ctx={ctx} title="Activer mon compte" hasErrors={hasErrors(errors)}>
      <ErrorSummary errors={errors} />
      <PostForm action="/activation" csrf={ctx.csrf}>
        <TextField
          name="code"
          label="Saisissez votre code d'activation"
          labelAsHeading
          hint="Il figure dans le courriel ou la lettre de la mairie. Il ressemble à ABCDE-FGHJK."
          autocomplete="one-time-code"
          spellcheck={false}
          width="medium"
          errors={errors}
          values={values}
        />
        <Button>Continuer</Button>
      </PostForm>
      <p>Vous n'avez pas de code ou il a expiré ? Demandez-en un à l'accueil de la mairie ou au service enfance.</p>
    </Layout>
  );
}

export function ActivationPasswordPage({ ctx, errors = {}, values = {}, code, needsEmail, firstName }: FormPage & { code: string; needsEmail: boolean; firstName: string }) {
  return (
    <Layout ctx={ctx} title="Choisir votre mot de passe" hasErrors={hasErrors(errors)}>
      <ErrorSummary errors={errors} />
      <h1>Bonjour {firstName}, choisissez votre mot de passe</h1>
      <PostForm action="/activation/mot-de-passe" csrf={ctx.csrf}>
        <input type="hidden" name="code" value={code} />
        {needsEmail && (
          <TextField
            name="email"
            label="Adresse électronique"
            hint="Elle vous servira à vous connecter et à recevoir les informations de la mairie."
            type="email"
            autocomplete="email"
            spellcheck={false}
            errors={errors}
            values={values}
          />
        )}
        <TextField name="password" label="Mot de passe" hint={PASSWORD_HINT} type="password" autocomplete="new-password" errors={errors} />
        <Button>Activer mon compte</Button>
      </PostForm>
    </Layout>
  );
}

export function SignUpPage({ ctx, errors = {}, values = {} }: FormPage) {
  return (
    <Layout ctx={ctx} title="Créer un compte" hasErrors={hasErrors(errors)}>
      <ErrorSummary errors={errors} />
      <h1>Créer un compte</h1>
      <p>
        Si la mairie vous a envoyé un code d'activation, <a href="/activation">utilisez plutôt ce code</a> : votre foyer est déjà prêt.
      </p>
      <PostForm action="/inscription" csrf={ctx.csrf}>
        <TextField name="first_name" label="Prénom" autocomplete="given-name" errors={errors} values={values} width="medium" />
        <TextField name="last_name" label="Nom" autocomplete="family-name" errors={errors} values={values} width="medium" />
        <TextField name="email" label="Adresse électronique" hint="Nous vous enverrons un lien pour la confirmer." type="email" autocomplete="email" spellcheck={false} errors={errors} values={values} />
        <TextField name="password" label="Mot de passe" hint={PASSWORD_HINT} type="password" autocomplete="new-password" errors={errors} />
        <Button>Créer mon compte</Button>
      </PostForm>
    </Layout>
  );
}

export function MessagePage({ ctx, title, children }: { ctx: PageCtx; title: string; children: preact.ComponentChildren }) {
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {children}
    </Layout>
  );
}

export function ForgotPasswordPage({ ctx, errors = {}, values = {} }: FormPage) {
  return (
    <Layout ctx={ctx} title="Mot de passe oublié" hasErrors={hasErrors(errors)}>
      <ErrorSummary errors={errors} />
      <h1>Mot de passe oublié</h1>
      <p>Saisissez l'adresse de votre compte : nous vous enverrons un lien pour choisir un nouveau mot de passe.</p>
      <PostForm action="/mot-de-passe-oublie" csrf={ctx.csrf}>
        <TextField name="email" label="Adresse électronique" type="email" autocomplete="email" spellcheck={false} errors={errors} values={values} />
        <Button>Recevoir un lien</Button>
      </PostForm>
    </Layout>
  );
}

export function NewPasswordPage({ ctx, errors = {}, token }: FormPage & { token: string }) {
  return (
    <Layout ctx={ctx} title="Nouveau mot de passe" hasErrors={hasErrors(errors)}>
      <ErrorSummary errors={errors} />
      <h1>Choisissez un nouveau mot de passe</h1>
      <PostForm action="/mot-de-passe/nouveau" csrf={ctx.csrf}>
        <input type="hidden" name="jeton" value={token} />
        <TextField name="password" label="Nouveau mot de passe" hint={PASSWORD_HINT} type="password" autocomplete="new-password" errors={errors} />
        <Button>Enregistrer le mot de passe</Button>
      </PostForm>
    </Layout>
  );
}

export function AccountPage({ ctx, errors = {}, email, statusLabel }: FormPage & { email: string | null; statusLabel: string }) {
  return (
    <Layout ctx={ctx} title="Mon compte" hasErrors={hasErrors(errors)}>
      <ErrorSummary errors={errors} />
      <h1>Mon compte</h1>
      <dl class="summary-list">
        <div class="summary-list__row">
          <dt class="summary-list__key">Adresse de connexion</dt>
          <dd class="summary-list__value">{email ?? '—'}</dd>
        </div>
        <div class="summary-list__row">
          <dt class="summary-list__key">État du compte</dt>
          <dd class="summary-list__value">{statusLabel}</dd>
        </div>
      </dl>
      <h2>Changer de mot de passe</h2>
      <PostForm action="/compte/mot-de-passe" csrf={ctx.csrf}>
        <TextField name="current_password" label="Mot de passe actuel" type="password" autocomplete="current-password" errors={errors} />
        <TextField name="password" label="Nouveau mot de passe" hint={PASSWORD_HINT} type="password" autocomplete="new-password" errors={errors} />
        <p>Vos autres sessions (sur un autre téléphone ou ordinateur) seront fermées, et un courriel vous confirmera le changement.</p>
        <Button>Changer le mot de passe</Button>
      </PostForm>
      <h2>Se déconnecter partout</h2>
      <PostForm action="/compte/deconnexion-partout" csrf={ctx.csrf}>
        <p>Un appareil perdu, ou une session restée ouverte sur un ordinateur partagé ? Fermez toutes vos sessions, celle-ci comprise.</p>
        <Button variant="secondary">Se déconnecter partout</Button>
      </PostForm>
    </Layout>
  );
}
