import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { App } from '../../platform/http/app-type.ts';
import type { AppContext } from '../../platform/context.ts';
import { authRateLimit, endSessionCookie, startSessionCookie } from '../../platform/http/web.ts';
import { emailField, parseForm, requiredText } from '../../platform/http/forms.ts';
import { form, text } from '../../platform/http/input.ts';
import { requireUser, safeReturnPath } from '../../platform/http/guards.ts';
import type { IdentityService } from './identity.service.ts';
import { STATUS_LABELS } from './identity.domain.ts';
import { IDENTITY_NOTICES } from './identity.outcomes.ts';
import * as v from './identity.views.tsx';

// What a person is told next to each field (run by parseForm, so the form comes back with its values).
const loginSchema = z.object({
  email: emailField(),
  password: z.string({ error: 'Saisissez votre mot de passe' }).min(1, 'Saisissez votre mot de passe'),
  retour: z.string().optional(),
});
const codeSchema = z.object({ code: requiredText('Saisissez le code d\'activation reçu', 40) });
const activationSchema = z.object({
  code: requiredText('Saisissez le code d\'activation reçu', 40),
  email: z.string().optional(),
  password: z.string().default(''),
});
const signUpSchema = z.object({
  first_name: requiredText('Saisissez votre prénom', 80),
  last_name: requiredText('Saisissez votre nom', 80),
  email: emailField(),
  password: z.string().min(1, 'Choisissez un mot de passe'),
});
const forgotSchema = z.object({ email: emailField() });
const changePasswordSchema = z.object({ current_password: z.string().min(1, 'Saisissez votre mot de passe actuel'), password: z.string().default('') });

// Structural route schemas: shapes and bounds only (a field sent twice, or too long, is a 400).
const password = text(1024).optional();
const returnPath = text(2000).optional();
const token = text(200);
export const LoginBody = form({ email: text(1000).optional(), password, retour: returnPath });
const LoginQuery = z.object({ retour: returnPath, expiree: text(10).optional(), au_revoir: text(10).optional() });
const CodeBody = form({ code: text(200).optional() });
const CodeQuery = z.object({ code: text(200).optional() });
const ActivationBody = form({ code: text(200).optional(), email: text(1000).optional(), password });
const SignUpBody = form({ first_name: text(1000).optional(), last_name: text(1000).optional(), email: text(1000).optional(), password });
const ForgotBody = form({ email: text(1000).optional() });
const TokenQuery = z.object({ jeton: token.optional() });
const NewPasswordBody = form({ jeton: token.optional(), password });
const ChangePasswordBody = form({ current_password: password, password });
const ExtendBody = form({ retour: returnPath }).optional();

/** Public account pages: login, activation with a code, sign-up, password reset, and the account page. */
export function identityFamilyRoutes(app: App, ctx: AppContext, identity: IdentityService) {
  const secure = ctx.config.secureCookies;
  const home = (req: FastifyRequest) => (req.auth?.user.kind === 'agent' ? '/agent' : '/famille');

  app.get('/connexion', { schema: { querystring: LoginQuery } }, async (req, reply) => {
    if (req.auth) return reply.seeOther(home(req));
    const q = req.query;
    // After a logout the browser was asked to clear the site's data (cookies included): the notice comes in the address.
    const ctxPage = req.pageCtx();
    const notice = q.au_revoir === 'partout' ? IDENTITY_NOTICES.logged_out_everywhere : q.au_revoir === '1' ? IDENTITY_NOTICES.logged_out : null;
    const pageCtx = notice && !ctxPage.flash ? { ...ctxPage, flash: notice } : ctxPage;
    return reply.page(v.LoginPage({ ctx: pageCtx, expired: req.sessionExpired || q.expiree === '1', returnTo: safeReturnPath(q.retour) }));
  });

  // Throttled in the service, from counters in the database (failures per account, per address, per both).
  app.post('/connexion', { schema: { body: LoginBody } }, async (req, reply) => {
    const f = parseForm(loginSchema, req.body);
    if (!f.ok) return reply.page(v.LoginPage({ ctx: req.pageCtx(), errors: f.errors, values: f.values, returnTo: safeReturnPath(f.values.retour) }), 400);
    const result = await identity.login(f.data.email, f.data.password, req.ip);
    if (!result.ok) return reply.page(v.LoginPage({ ctx: req.pageCtx(), errors: result.errors, values: f.values, returnTo: safeReturnPath(f.data.retour) }), 401);
    startSessionCookie(reply, result.value, secure);
    return reply.seeOther(safeReturnPath(f.data.retour) ?? '/tableau');
  });

  // After login, each kind of user lands on their own home.
  app.get('/tableau', { onRequest: requireUser }, async (req, reply) => reply.seeOther(home(req)));

  app.post('/deconnexion', { schema: { body: form({}).optional() } }, async (req, reply) => {
    if (req.auth) await identity.logout(req.auth.sessionId);
    endSessionCookie(reply, secure, true);
    return reply.seeOther('/connexion?au_revoir=1');
  });

  app.post('/compte/deconnexion-partout', { onRequest: requireUser, schema: { body: form({}).optional() } }, async (req, reply) => {
    await identity.logoutEverywhere(req.auth!);
    endSessionCookie(reply, secure, true);
    return reply.seeOther('/connexion?au_revoir=partout');
  });

  app.post('/session/prolonger', { onRequest: requireUser, schema: { body: ExtendBody } }, async (req, reply) => {
    await identity.extendSession(req.auth!.sessionId);
    if (req.headers.accept === 'application/json') return { ok: true };
    return reply.seeOther(safeReturnPath(req.body?.retour) ?? home(req));
  });

  app.get('/activation', { schema: { querystring: CodeQuery } }, async (req, reply) => reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), values: { code: req.query.code } })));

  app.post('/activation', { config: authRateLimit, schema: { body: CodeBody } }, async (req, reply) => {
    const f = parseForm(codeSchema, req.body);
    if (!f.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: f.errors, values: f.values }), 400);
    const check = await identity.checkActivationCode(f.data.code);
    if (!check.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: check.errors, values: f.values }), 400);
    return reply.page(v.ActivationPasswordPage({ ctx: req.pageCtx(), code: f.data.code, ...check.value }));
  });

  app.post('/activation/mot-de-passe', { config: authRateLimit, schema: { body: ActivationBody } }, async (req, reply) => {
    const f = parseForm(activationSchema, req.body);
    if (!f.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: f.errors, values: f.values }), 400);
    const { code, password } = f.data;
    let email: string | undefined;
    if (f.data.email !== undefined) {
      const parsed = emailField().safeParse(f.data.email);
      if (!parsed.success) {
        const check = await identity.checkActivationCode(code);
        if (!check.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: check.errors, values: f.values }), 400);
        return reply.page(v.ActivationPasswordPage({ ctx: req.pageCtx(), code, ...check.value, errors: { email: parsed.error.issues[0].message }, values: f.values }), 400);
      }
      email = parsed.data;
    }
    const result = await identity.activate({ code, password, email });
    if (!result.ok) {
      if (result.errors.code) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: result.errors, values: f.values }), 400);
      const check = await identity.checkActivationCode(code);
      if (!check.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: check.errors, values: f.values }), 400);
      return reply.page(v.ActivationPasswordPage({ ctx: req.pageCtx(), code, ...check.value, errors: result.errors, values: f.values }), 400);
    }
    startSessionCookie(reply, result.value, secure);
    return reply.flash(IDENTITY_NOTICES.activated).seeOther('/tableau');
  });

  app.get('/inscription', async (req, reply) => reply.page(v.SignUpPage({ ctx: req.pageCtx() })));

  app.post('/inscription', { config: authRateLimit, schema: { body: SignUpBody } }, async (req, reply) => {
    const f = parseForm(signUpSchema, req.body);
    if (!f.ok) return reply.page(v.SignUpPage({ ctx: req.pageCtx(), errors: f.errors, values: f.values }), 400);
    const result = await identity.signUp({ email: f.data.email, firstName: f.data.first_name, lastName: f.data.last_name, password: f.data.password });
    if (!result.ok) return reply.page(v.SignUpPage({ ctx: req.pageCtx(), errors: result.errors, values: f.values }), 400);
    return reply.page(
      v.MessagePage({
        ctx: req.pageCtx(),
        title: 'Vérifiez votre messagerie',
        children: (
          <>
            <p class="lead">Nous avons envoyé un lien à {f.data.email}.</p>
            <p>Ouvrez-le pour confirmer votre adresse. Ensuite, la mairie reliera votre compte à votre foyer ; vous recevrez un courriel quand ce sera fait.</p>
            <p>Rien reçu après quelques minutes ? Regardez dans les courriers indésirables.</p>
          </>
        ),
      }),
    );
  });

  app.get('/inscription/confirmer', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const jeton = req.query.jeton ?? '';
    const ok = jeton ? await identity.verifyEmail(jeton) : false;
    return reply.page(
      v.MessagePage({
        ctx: req.pageCtx(),
        title: ok ? 'Adresse confirmée' : 'Lien expiré ou déjà utilisé',
        children: ok ? (
          <>
            <p class="lead">Merci, votre adresse électronique est confirmée.</p>
            <p>
              Votre compte est en attente de rattachement : la mairie va le relier à votre foyer. Vous pouvez déjà <a href="/connexion">vous connecter</a>.
            </p>
          </>
        ) : (
          <p>
            Ce lien ne fonctionne plus. Si votre adresse est déjà confirmée, <a href="/connexion">connectez-vous</a>. Sinon, adressez-vous à la mairie.
          </p>
        ),
      }),
      ok ? 200 : 400,
    );
  });

  app.get('/mot-de-passe-oublie', async (req, reply) => reply.page(v.ForgotPasswordPage({ ctx: req.pageCtx() })));

  app.post('/mot-de-passe-oublie', { config: authRateLimit, schema: { body: ForgotBody } }, async (req, reply) => {
    const f = parseForm(forgotSchema, req.body);
    if (!f.ok) return reply.page(v.ForgotPasswordPage({ ctx: req.pageCtx(), errors: f.errors, values: f.values }), 400);
    await identity.requestPasswordReset(f.data.email);
    return reply.page(
      v.MessagePage({
        ctx: req.pageCtx(),
        title: 'Vérifiez votre messagerie',
        children: (
          <>
            <p class="lead">Si un compte existe avec l'adresse {f.data.email}, vous allez recevoir un lien pour choisir un nouveau mot de passe.</p>
            <p>Le lien est valable 2 heures. Votre compte n'est pas encore activé ? Utilisez le code d'activation reçu de la mairie.</p>
          </>
        ),
      }),
    );
  });

  app.get('/mot-de-passe/nouveau', { schema: { querystring: TokenQuery } }, async (req, reply) => {
    const jeton = req.query.jeton ?? '';
    if (!jeton || !(await identity.isResetTokenLive(jeton))) return reply.page(expiredLink(req), 400);
    return reply.page(v.NewPasswordPage({ ctx: req.pageCtx(), token: jeton }));
  });

  app.post('/mot-de-passe/nouveau', { config: authRateLimit, schema: { body: NewPasswordBody } }, async (req, reply) => {
    const jeton = req.body.jeton ?? '';
    if (!jeton) return reply.page(expiredLink(req), 400);
    const result = await identity.resetPassword(jeton, req.body.password ?? '');
    if (!result.ok) {
      if (!(await identity.isResetTokenLive(jeton))) return reply.page(expiredLink(req), 400);
      return reply.page(v.NewPasswordPage({ ctx: req.pageCtx(), token: jeton, errors: result.errors }), 400);
    }
    if (req.auth) await identity.logout(req.auth.sessionId);
    endSessionCookie(reply, secure);
    return reply.flash(IDENTITY_NOTICES.password_reset).seeOther('/connexion');
  });

  app.get('/compte', { onRequest: requireUser }, async (req, reply) => {
    const user = req.auth!.user;
    return reply.page(v.AccountPage({ ctx: req.pageCtx(), email: user.email, statusLabel: STATUS_LABELS[user.status] ?? user.status }));
  });

  app.post('/compte/mot-de-passe', { onRequest: requireUser, config: authRateLimit, schema: { body: ChangePasswordBody } }, async (req, reply) => {
    const user = req.auth!.user;
    const page = (errors: Record<string, string>) => v.AccountPage({ ctx: req.pageCtx(), email: user.email, statusLabel: STATUS_LABELS[user.status] ?? user.status, errors });
    const f = parseForm(changePasswordSchema, req.body);
    if (!f.ok) return reply.page(page(f.errors), 400);
    const result = await identity.changePassword(req.auth!, f.data.current_password, f.data.password);
    if (!result.ok) return reply.page(page(result.errors), 400);
    return reply.flash(IDENTITY_NOTICES.password_changed).seeOther('/compte');
  });

  function expiredLink(req: FastifyRequest) {
    return v.MessagePage({
      ctx: req.pageCtx(),
      title: 'Lien expiré ou déjà utilisé',
      children: (
        <p>
          Ce lien ne fonctionne plus. <a href="/mot-de-passe-oublie">Demandez un nouveau lien</a>.
        </p>
      ),
    });
  }
}
