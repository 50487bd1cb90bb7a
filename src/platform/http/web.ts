import { arrivalStamp } from '../clock/arrival.ts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { render } from 'preact-render-to-string';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import compress from '@fastify/compress';
import rateLimit from '@fastify/rate-limit';
import type { AppContext } from '../context.ts';
import { hmac, randomToken, safeEqual, sha256 } from '../security/secrets.ts';
import { registerAssets } from '../ui/assets.ts';
import type { PageCtx } from '../ui/layout.tsx';
import { canActForHousehold, parseRoles, type Auth } from './auth-types.ts';
import * as sessions from './session.repository.ts';
import './actor.ts';
import { ErrorPage } from './error-pages.tsx';
import { hasZodFastifySchemaValidationErrors, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { csrfFieldOf, describeInvalidInput, hasNulByte } from './input.ts';
import { keptFields, registerResume, sessionCsrfToken } from './resume.ts';

export const SESSION_COOKIE = 'pf_session';

/**
 * Over HTTPS every cookie of the portal carries the `__Host-` prefix: the browser then accepts it
 * only if Secure, for the whole site and from this very host (no sub-domain can plant or shadow it).
 */
export const cookieName = (name: 'pf_session' | 'pf_anon' | 'pf_flash' | 'pf_resume', secure: boolean) => (secure ? `__Host-${name}` : name);

/** Sent with the logout answer: the browser forgets the pages it cached, the cookies and local storage. */
export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';

/** Powerful browser features the portal never uses stay off, whatever a page would ask. */
export const PERMISSIONS_POLICY = 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), bluetooth=(), midi=(), browsing-topics=()';

declare module 'fastify' {
  interface FastifyRequest {
    /** When this process received the request (µs since 1970, strictly increasing): src/platform/clock/arrival.ts. */
    receivedAt: number;
    auth: Auth | null;
    csrfToken: string;
    /** Set when the visitor's session just expired: the login page says so. */
    sessionExpired: boolean;
    pageCtx(): PageCtx;
  }
  interface FastifyReply {
    page(view: VNode, status?: number): FastifyReply;
    flash(message: string): FastifyReply;
    /** 303 See Other: the browser follows with a GET (post/redirect/get). */
    seeOther(url: string): FastifyReply;
  }
}

/** Auth routes get a tighter limit: 10 attempts a minute per address and route. */
export const authRateLimit = { rateLimit: { max: 10, timeWindow: 60_000 } };

/**
 * From this size a page goes out in brotli when the browser takes it, below it in gzip. Brotli's
 * set-up costs more than a whole gzip of a few kilobytes: on the home page (4.8 KB) brotli
 * quality 4 took 80–100 µs of CPU for 1,594 bytes, gzip 40–50 µs for 1,659; on a month
 * calendar (49 KB) both take about 260 µs and brotli is 11 % smaller (3 December 2026).
 */
const BROTLI_FROM = 16_384;

export async function registerWeb(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const { config, clock, db } = ctx;
  const idleMs = config.sessionIdleMinutes * 60_000;
  const maxAgeMs = config.sessionMaxHours * 3600_000;
  const cookieBase = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: config.secureCookies };
  const SESSION = cookieName('pf_session', config.secureCookies);
  const ANON_COOKIE = cookieName('pf_anon', config.secureCookies);
  const FLASH_COOKIE = cookieName('pf_flash', config.secureCookies);
  registerResume(app, ctx, { name: cookieName('pf_resume', config.secureCookies), base: cookieBase });

  // Every route declares its body, query and params as zod schemas (fastify-type-provider-zod):
  // anything malformed is refused with a 400 page in French before the handler runs.
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(cookie, { secret: config.secretKey });
  // The portal speaks HTML forms only: URL-encoded (and multipart for the import, registered in its
  // scope). Fastify's default JSON and text parsers would hand handlers null, objects, numbers or a
  // bare string where a form only ever has strings: such a body is refused as a bad request.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, _payload, done) => done(badRequest(NOT_A_FORM), undefined));
  await app.register(formbody, { bodyLimit: 100_000 });
  // Brotli's default quality (11) costs more CPU than a small page is worth: quality 4 keeps most of the gain.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  // Security headers, worked out once by helmet: @fastify/helmet rebuilds helmet's whole
  // configuration on every request, 5 % of the server's time on an opening day.
  const securityHeaders = helmetHeaders({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'script-src': ["'self'"],
        'style-src': ["'self'"],
        'img-src': ["'self'", 'data:'],
        'font-src': ["'self'"],
        'connect-src': ["'self'"],
        'form-action': ["'self'"],
        'frame-ancestors': ["'none'"],
        'base-uri': ["'none'"],
        'object-src': ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'same-origin' },
  });
  securityHeaders['permissions-policy'] = PERMISSIONS_POLICY;
  app.decorateRequest('receivedAt', 0);
  app.addHook('onRequest', (req, reply, done) => {
    // First of all hooks: when the request came in, before any database work (waiting-list ranks).
    req.receivedAt = arrivalStamp();
    reply.headers(securityHeaders);
    done();
  });
  await app.register(rateLimit, {
    global: false,
    hook: 'preHandler',
    errorResponseBuilder: (_req, context) => {
      const err = new Error(`Trop de tentatives. Réessayez dans ${Math.ceil(context.ttl / 1000)} secondes.`) as Error & { statusCode: number };
      err.statusCode = 429;
      return err;
    },
  });

  const assets = registerAssets(app, config.town);
  const logoUrl = config.town.logoUrl ?? assets.logo;

  app.decorateRequest('auth', null);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('sessionExpired', false);
  app.decorateRequest('family', null);
  app.decorateRequest('pageCtx', function (this: FastifyRequest): PageCtx {
    const user = this.auth?.user;
    return {
      town: { name: config.town.name, logoUrl, contact: config.town.contact },
      assets,
      path: this.url.split('?')[0],
      csrf: this.csrfToken,
      user: user ? { id: user.id, name: `${user.firstName} ${user.lastName}`, kind: user.kind, roles: user.roles } : null,
      flash: readFlash(this),
      sessionIdleSeconds: config.sessionIdleMinutes * 60,
      acting: this.auth?.actingLabel && user ? { householdLabel: this.auth.actingLabel, agentName: `${user.firstName} ${user.lastName}` } : null,
    };
  });

  app.decorateReply('page', function (this: FastifyReply, view: VNode, status = 200) {
    const html = `<!doctype html>${render(view)}`;
    this.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').header('vary', 'accept-encoding');
    // Pages are compressed here in one synchronous call: for a few kilobytes it is several times
    // cheaper than the streaming compression of @fastify/compress (which then leaves them alone).
    const accepted = String(this.request.headers['accept-encoding'] ?? '');
    if (html.length < 1024) return this.send(html);
    const gzip = /\bgzip\b/.test(accepted);
    if (/\bbr\b/.test(accepted) && (html.length >= BROTLI_FROM || !gzip)) {
      return this.header('content-encoding', 'br').send(zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: html.length } }));
    }
    if (gzip) return this.header('content-encoding', 'gzip').send(zlib.gzipSync(html, { level: 6 }));
    return this.send(html);
  });
  app.decorateReply('flash', function (this: FastifyReply, message: string) {
    return this.setCookie(FLASH_COOKIE, message, { ...cookieBase, signed: true, maxAge: 60 });
  });
  app.decorateReply('seeOther', function (this: FastifyReply, url: string) {
    return this.redirect(url, 303);
  });

  function readFlash(req: FastifyRequest): string | null {
    const raw = req.cookies[FLASH_COOKIE];
    if (!raw) return null;
    const unsigned = req.unsignCookie(raw);
    // Shown once: the reply clears it.
    (req as FastifyRequest & { flashRead?: boolean }).flashRead = true;
    return unsigned.valid ? unsigned.value : null;
  }

  // Sessions: the cookie holds a random token; the database holds only its hash.
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/assets/') || req.url === '/healthz') return;
    const token = req.cookies[SESSION];
    if (token) {
      const id = sha256(token);
      const now = clock.now();
      // Idle expiry and absolute lifetime, both decided by the database row.
      const row = await sessions.findActiveSession(db, id, now, new Date(now.getTime() - maxAgeMs));
      if (row) {
        // Roles are those of the database at this request, never those of the login.
        const roles = parseRoles(row.roles);
        const user = { id: row.id, email: row.email, firstName: row.first_name, lastName: row.last_name, kind: row.kind, status: row.status, roles };
        // Counter mode needs a role that may act for a family, checked at every request too.
        const acting = row.acting_household_id && canActForHousehold(user);
        req.auth = {
          sessionId: id,
          actingHouseholdId: acting ? row.acting_household_id : null,
          actingLabel: acting && row.acting_name ? `${row.acting_name} (${row.acting_reference})` : null,
          guardianOf: row.guardian_household_id && row.guardian_person_id ? { householdId: row.guardian_household_id, personId: row.guardian_person_id } : null,
          user,
        };
        // Sliding expiry, written at most every 30 s to keep reads cheap.
        if (now.getTime() - Date.parse(row.last_seen_at) > 30_000) await sessions.touchSession(db, id, now, new Date(now.getTime() + idleMs));
      } else {
        req.sessionExpired = true;
        req.expiredSessionId = id;
        reply.clearCookie(SESSION, cookieBase);
      }
    }
    // CSRF token bound to the session, or to an anonymous random cookie before login.
    let anchor = req.auth ? `s:${req.auth.sessionId}` : undefined;
    if (!anchor) {
      let anon = req.cookies[ANON_COOKIE];
      if (!anon || anon.length < 20) {
        anon = randomToken();
        reply.setCookie(ANON_COOKIE, anon, cookieBase);
      }
      anchor = `a:${anon}`;
    }
    req.csrfToken = hmac(config.secretKey, `csrf:${anchor}`);
  });

  // Before the route's own validation, so a forged request is refused as such whatever it carries.
  // (The CSV import parses its multipart body with its own bounded parser, before this hook.)
  app.addHook('preValidation', (req, _reply, done) => {
    // A POST without a body (no Content-Type) is an empty form, never `undefined` for a handler to trip on.
    if (req.body === undefined && req.method !== 'GET' && req.method !== 'HEAD') req.body = {};
    // A NUL byte is refused by PostgreSQL in text and is never typed by a person.
    if (hasNulByte(req.body) || hasNulByte(req.query) || hasNulByte(req.params)) return done(badRequest('Un caractère non autorisé a été envoyé. Vérifiez le texte saisi et recommencez.'));
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return done();
    // A call from another server (PayFiP's notification) has no session nor form: its route
    // trusts nothing it carries and says so with `config: { serverToServer: true }`.
    if ((req.routeOptions.config as { serverToServer?: boolean } | undefined)?.serverToServer === true) return done();
    const header = req.headers['x-csrf-token'];
    const sent = csrfFieldOf(req.body) ?? (typeof header === 'string' ? header : '');
    // A form posted just after the session expired (resume.ts): it carries the token of that
    // session, and will only be shown again to confirm, never applied as sent.
    if (req.resumeAfterLogin) {
      if (!req.expiredSessionId || !safeEqual(sent, sessionCsrfToken(config.secretKey, req.expiredSessionId))) return done(pageExpired());
      req.resumeFields = keptFields(req.body);
      return done();
    }
    if (!safeEqual(sent, req.csrfToken)) {
      return done(pageExpired());
    }
    done();
  });


  // A callback, not an async function: every response passes here, and a promise each costs more than the check.
  app.addHook('onSend', (req, reply, payload, done) => {
    if ((req as FastifyRequest & { flashRead?: boolean }).flashRead) reply.clearCookie(FLASH_COOKIE, cookieBase);
    done(null, payload);
  });

  app.setNotFoundHandler((req, reply) => {
    reply.page(ErrorPage({ ctx: req.pageCtx(), status: 404 }), 404);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; expose?: boolean }, req, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      // A malformed id in the address is answered as an unknown one.
      if ((error as { validationContext?: string }).validationContext === 'params') return reply.page(ErrorPage({ ctx: req.pageCtx(), status: 404 }), 404);
      const message = describeInvalidInput(error.validation);
      if (req.headers.accept === 'application/json') return reply.code(400).send({ error: message });
      return reply.page(ErrorPage({ ctx: req.pageCtx(), status: 400, message }), 400);
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) req.log.error({ err: error }, 'request failed');
    // Only messages we wrote ourselves are shown; anything else stays generic.
    const known = status === 403 || status === 404 || status === 409 || status === 429 || error.expose === true;
    const message = known ? error.message : status === 400 ? 'Le formulaire envoyé est incomplet ou mal formé. Rechargez la page et recommencez.' : undefined;
    if (req.headers.accept === 'application/json') return reply.code(status).send({ error: message ?? 'Erreur' });
    return reply.page(ErrorPage({ ctx: req.pageCtx(), status, message }), status);
  });
}

const pageExpired = () => Object.assign(new Error('Cette page a expiré. Revenez en arrière, rechargez la page et recommencez.'), { statusCode: 403 });

const NOT_A_FORM = 'Les données n\'ont pas été envoyées comme le fait un formulaire du portail. Rechargez la page et recommencez.';

/** A 400 whose French message is shown as is. */
export function badRequest(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 400, expose: true });
}

/** The headers helmet sets for these options: they do not depend on the request. */
function helmetHeaders(options: HelmetOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => {});
  return headers;
}

export function startSessionCookie(reply: FastifyReply, token: string, secure: boolean) {
  reply.setCookie(cookieName('pf_session', secure), token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

/** Logout: the cookie goes, and the browser is asked to forget everything the portal left in it. */
export function endSessionCookie(reply: FastifyReply, secure: boolean, clearSiteData = false) {
  reply.clearCookie(cookieName('pf_session', secure), { path: '/', httpOnly: true, sameSite: 'lax', secure });
  if (clearSiteData) reply.header('clear-site-data', CLEAR_SITE_DATA);
}
