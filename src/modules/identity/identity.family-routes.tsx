import type { App } from '../../platform/http/app-type.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../platform/context.ts';
import { authRateLimit, endSessionCookie, loginRateLimit, startSessionCookie } from '../../platform/http/web.ts';
import { emailField, parseForm, requiredText } from '../../platform/http/forms.ts';
import { requireUser, safeReturnPath } from '../../platform/http/guards.ts';
import type { IdentityService } from './identity.service.ts';
import { STATUS_LABELS } from './identity.domain.ts';
import * as v from './identity.views.tsx';

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
const newPasswordSchema = z.object({ jeton: z.string().min(1), password: z.string().default('') });
const changePasswordSchema = z.object({ current_password: z.string().min(1, 'Saisissez votre mot de passe actuel'), password: z.string().default('') });

/** Public account pages: login, activation with a code, sign-up, password reset, and the account page. */
export function identityFamilyRoutes(app: App, ctx: AppContext, identity: IdentityService) {
  const home = (req: FastifyRequest) => (req.auth?.user.kind === 'agent' ? '/agent' : '/famille');

  app.get('/connexion', async (req, reply) => {
    if (req.auth) return reply.seeOther(home(req));
    const q = req.query as { retour?: string; expiree?: string };
    return reply.page(v.LoginPage({ ctx: req.pageCtx(), expired: req.sessionExpired || q.expiree === '1', returnTo: safeReturnPath(q.retour) }));
  });

  app.post('/connexion', { config: loginRateLimit }, async (req, reply) => {
    const form = parseForm(loginSchema, req.body);
    if (!form.ok) return reply.page(v.LoginPage({ ctx: req.pageCtx(), errors: form.errors, values: form.values, returnTo: safeReturnPath(form.values.retour) }), 400);
    const result = await identity.login(form.data.email, form.data.password);
    if (!result.ok) return reply.page(v.LoginPage({ ctx: req.pageCtx(), errors: result.errors, values: form.values, returnTo: safeReturnPath(form.data.retour) }), 401);
    startSessionCookie(reply, result.value, ctx.config.secureCookies);
    return reply.seeOther(safeReturnPath(form.data.retour) ?? '/tableau');
  });

  // After login, each kind of user lands on their own home.
  app.get('/tableau', { preHandler: requireUser }, async (req, reply) => reply.seeOther(home(req)));

  app.post('/deconnexion', async (req, reply) => {
    if (req.auth) await identity.logout(req.auth.sessionId);
    endSessionCookie(reply);
    return reply.flash('Vous êtes déconnecté.').seeOther('/connexion');
  });

  app.post('/session/prolonger', { preHandler: requireUser }, async (req, reply) => {
    await identity.extendSession(req.auth!.sessionId);
    if (req.headers.accept === 'application/json') return { ok: true };
    return reply.seeOther(safeReturnPath((req.body as { retour?: string }).retour) ?? home(req));
  });

  app.get('/activation', async (req, reply) => {
    const q = req.query as { code?: string };
    return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), values: { code: q.code } }));
  });

  app.post('/activation', { config: authRateLimit }, async (req, reply) => {
    const form = parseForm(codeSchema, req.body);
    if (!form.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    const check = await identity.checkActivationCode(form.data.code);
    if (!check.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: check.errors, values: form.values }), 400);
    return reply.page(v.ActivationPasswordPage({ ctx: req.pageCtx(), code: form.data.code, ...check.value }));
  });

  app.post('/activation/mot-de-passe', { config: authRateLimit }, async (req, reply) => {
    const form = parseForm(activationSchema, req.body);
    if (!form.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    const { code, password } = form.data;
    let email: string | undefined;
    if (form.data.email !== undefined) {
      const parsed = emailField().safeParse(form.data.email);
      if (!parsed.success) {
        const check = await identity.checkActivationCode(code);
        if (!check.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: check.errors, values: form.values }), 400);
        return reply.page(v.ActivationPasswordPage({ ctx: req.pageCtx(), code, ...check.value, errors: { email: parsed.error.issues[0].message }, values: form.values }), 400);
      }
      email = parsed.data;
    }
    const result = await identity.activate({ code, password, email });
    if (!result.ok) {
      if (result.errors.code) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: result.errors, values: form.values }), 400);
      const check = await identity.checkActivationCode(code);
      if (!check.ok) return reply.page(v.ActivationCodePage({ ctx: req.pageCtx(), errors: check.errors, values: form.values }), 400);
      return reply.page(v.ActivationPasswordPage({ ctx: req.pageCtx(), code, ...check.value, errors: result.errors, values: form.values }), 400);
    }
    startSessionCookie(reply, result.value, ctx.config.secureCookies);
    return reply.flash('Votre compte est activé. Bienvenue sur le portail famille.').seeOther('/tableau');
  });

  app.get('/inscription', async (req, reply) => reply.page(v.SignUpPage({ ctx: req.pageCtx() })));

  app.post('/inscription', { config: authRateLimit }, async (req, reply) => {
    const form = parseForm(signUpSchema, req.body);
    if (!form.ok) return reply.page(v.SignUpPage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    const result = await identity.signUp({ email: form.data.email, firstName: form.data.first_name, lastName: form.data.last_name, password: form.data.password });
    if (!result.ok) return reply.page(v.SignUpPage({ ctx: req.pageCtx(), errors: result.errors, values: form.values }), 400);
    return reply.page(
      v.MessagePage({
        ctx: req.pageCtx(),
        title: 'Vérifiez votre messagerie',
        children: (
          <>
            <p class="lead">Nous avons envoyé un lien à {form.data.email}.</p>
            <p>Ouvrez-le pour confirmer votre adresse. Ensuite, la mairie reliera votre compte à votre foyer ; vous recevrez un courriel quand ce sera fait.</p>
            <p>Rien reçu après quelques minutes ? Regardez dans les courriers indésirables.</p>
          </>
        ),
      }),
    );
  });

  app.get('/inscription/confirmer', async (req, reply) => {
    const token = (req.query as { jeton?: string }).jeton ?? '';
    const ok = token ? await identity.verifyEmail(token) : false;
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

  app.post('/mot-de-passe-oublie', { config: authRateLimit }, async (req, reply) => {
    const form = parseForm(forgotSchema, req.body);
    if (!form.ok) return reply.page(v.ForgotPasswordPage({ ctx: req.pageCtx(), errors: form.errors, values: form.values }), 400);
    await identity.requestPasswordReset(form.data.email);
    return reply.page(
      v.MessagePage({
        ctx: req.pageCtx(),
        title: 'Vérifiez votre messagerie',
        children: (
          <>
            <p class="lead">Si un compte existe avec l'adresse {form.data.email}, vous allez recevoir un lien pour choisir un nouveau mot de passe.</p>
            <p>Le lien est valable 2 heures. Votre compte n'est pas encore activé ? Utilisez le code d'activation reçu de la mairie.</p>
          </>
        ),
      }),
    );
  });

  app.get('/mot-de-passe/nouveau', async (req, reply) => {
    const token = (req.query as { jeton?: string }).jeton ?? '';
    if (!token || !(await identity.isResetTokenLive(token))) return reply.page(expiredLink(req), 400);
    return reply.page(v.NewPasswordPage({ ctx: req.pageCtx(), token }));
  });

  app.post('/mot-de-passe/nouveau', { config: authRateLimit }, async (req, reply) => {
    const form = parseForm(newPasswordSchema, req.body);
    if (!form.ok) return reply.page(expiredLink(req), 400);
    const result = await identity.resetPassword(form.data.jeton, form.data.password);
    if (!result.ok) {
      if (!(await identity.isResetTokenLive(form.data.jeton))) return reply.page(expiredLink(req), 400);
      return reply.page(v.NewPasswordPage({ ctx: req.pageCtx(), token: form.data.jeton, errors: result.errors }), 400);
    }
    if (req.auth) await identity.logout(req.auth.sessionId);
    endSessionCookie(reply);
    return reply.flash('Votre mot de passe a été changé. Connectez-vous avec le nouveau mot de passe.').seeOther('/connexion');
  });

  app.get('/compte', { preHandler: requireUser }, async (req, reply) => {
    const user = req.auth!.user;
    return reply.page(v.AccountPage({ ctx: req.pageCtx(), email: user.email, statusLabel: STATUS_LABELS[user.status] ?? user.status }));
  });

  app.post('/compte/mot-de-passe', { preHandler: requireUser, config: authRateLimit }, async (req, reply) => {
    const user = req.auth!.user;
    const page = (errors: Record<string, string>) => v.AccountPage({ ctx: req.pageCtx(), email: user.email, statusLabel: STATUS_LABELS[user.status] ?? user.status, errors });
    const form = parseForm(changePasswordSchema, req.body);
    if (!form.ok) return reply.page(page(form.errors), 400);
    const result = await identity.changePassword(req.auth!, form.data.current_password, form.data.password);
    if (!result.ok) return reply.page(page(result.errors), 400);
    return reply.flash('Votre mot de passe a été changé.').seeOther('/compte');
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
