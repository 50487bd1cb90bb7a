import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { hmac, randomToken, seal, sha256, unseal } from '../security/secrets.ts';
import { requireUser } from './guards.ts';
import * as repo from './resume.repository.ts';

/**
 * A form survives the end of a session (issue 9, item 8). A person who posts a form just after
 * their session expired (idle or absolute lifetime) is sent to the login page, then back to a page
 * showing what they had sent, to check and confirm with a fresh token; nothing is applied unseen.
 *
 * Only routes a module declares (`app.resumableForms.set(route, resumer)`) are kept, and only when:
 * - the form carries the CSRF token of the session that expired (a page this browser drew while
 *   logged in, never a forged post from another site);
 * - the session row still names its account (a logout deletes it: nothing is kept after a logout);
 * - the route's own schema accepts the body (malformed or oversized: 400, nothing kept).
 * The fields are sealed with a key derived from SECRET_KEY, without the CSRF token nor any password
 * field, kept 30 minutes at most, one per account; the browser holds a random handle in a cookie,
 * the database only its hash. After login, `/reprise` hands them back once, and only to the same
 * account: another account logging in on the same browser gets nothing.
 */

export const RESUME_MINUTES = 30;
/** The JSON of the kept fields, at most (the form parser already caps a body at 100 kB). */
export const MAX_SAVED_CHARS = 100_000;
export const RESUMED_NOTICE = 'Votre session avait expiré : vérifiez vos changements puis validez.';
export const RESUME_TOO_LATE = `Les changements envoyés pendant que vous étiez déconnecté ne sont gardés que ${RESUME_MINUTES} minutes : refaites-les.`;
const TOO_LONG = 'Le formulaire envoyé est trop long pour être gardé pendant la reconnexion. Reconnectez-vous et recommencez.';
const SEAL_PURPOSE = 'saved-form';

/** The posted fields as the form sent them: text or lists of text. */
export type SavedFields = Record<string, string | string[]>;

export interface FormResumer {
  /** The page of the form (from the fields, already accepted by the route's schema, and the path posted to), where « Revenir » leads. */
  back(fields: SavedFields, path: string): string;
  /** Draws the page that shows the kept fields to confirm (a fresh CSRF token); never applies them. */
  resume(req: FastifyRequest, reply: FastifyReply, saved: { fields: SavedFields; back: string }): Promise<unknown>;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Route pattern of a POST → how its form is taken back after a reconnection. */
    resumableForms: Map<string, FormResumer>;
  }
  interface FastifyRequest {
    /** The id (hash) of the session the browser's cookie named when that session had expired. */
    expiredSessionId: string | null;
    /** A resumable form posted after expiry: kept, never handled (set by the login guard). */
    resumeAfterLogin: boolean;
    resumeFields: SavedFields | null;
  }
}

/** The CSRF token of a session (web.ts), also of one that expired: proof the form came from a page it drew. */
export const sessionCsrfToken = (secretKey: string, sessionId: string) => hmac(secretKey, `csrf:s:${sessionId}`);

/** Text fields and lists of text, without the CSRF token nor anything that looks like a password. */
export function keptFields(body: unknown): SavedFields {
  const kept: SavedFields = {};
  if (!body || typeof body !== 'object') return kept;
  for (const [key, value] of Object.entries(body)) {
    if (key === '_csrf' || /password|mot_de_passe/i.test(key)) continue;
    if (typeof value === 'string') kept[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) kept[key] = value;
  }
  return kept;
}

export function registerResume(app: FastifyInstance, ctx: AppContext, cookie: { name: string; base: { path: string; httpOnly: boolean; sameSite: 'lax'; secure: boolean } }) {
  const { db, clock, config } = ctx;
  app.decorate('resumableForms', new Map<string, FormResumer>());
  app.decorateRequest('expiredSessionId', null);
  app.decorateRequest('resumeAfterLogin', false);
  app.decorateRequest('resumeFields', null);

  // After the route's validation (a malformed form is a 400 and nothing is kept), before its handler.
  app.addHook('preHandler', async (req, reply) => {
    if (!req.resumeAfterLogin) return;
    const entry = app.resumableForms.get(req.routeOptions.url ?? '');
    const owner = req.expiredSessionId ? await repo.sessionOwner(db, req.expiredSessionId) : null;
    if (!entry || !owner || !req.resumeFields) return reply.seeOther('/connexion?expiree=1');
    const json = JSON.stringify(req.resumeFields);
    if (json.length > MAX_SAVED_CHARS) throw Object.assign(new Error(TOO_LONG), { statusCode: 400, expose: true });
    const handle = randomToken();
    const now = clock.now();
    await repo.saveForm(db, {
      id: sha256(handle),
      userId: owner,
      route: req.routeOptions.url ?? '',
      returnPath: entry.back(req.resumeFields, req.url.split('?')[0]),
      sealedBody: seal(config.secretKey, SEAL_PURPOSE, json),
      now,
      expiresAt: new Date(now.getTime() + RESUME_MINUTES * 60_000),
    });
    reply.setCookie(cookie.name, handle, { ...cookie.base, maxAge: RESUME_MINUTES * 60 });
    return reply.seeOther('/connexion?expiree=1&retour=%2Freprise');
  });

  app.get('/reprise', { onRequest: requireUser }, async (req, reply) => {
    const handle = req.cookies[cookie.name];
    if (handle) reply.clearCookie(cookie.name, cookie.base);
    const row = handle ? await repo.takeForm(db, sha256(handle)) : undefined;
    // Someone else's form (another account on this browser) is never shown, nor mentioned.
    if (!row || row.user_id !== req.auth!.user.id) return reply.seeOther('/tableau');
    if (row.expires_at <= clock.now().toISOString()) return reply.flash(RESUME_TOO_LATE).seeOther(row.return_path);
    const entry = app.resumableForms.get(row.route);
    const plain = unseal(config.secretKey, SEAL_PURPOSE, row.sealed_body);
    if (!entry || !plain) return reply.seeOther(row.return_path);
    return entry.resume(req, reply, { fields: JSON.parse(plain) as SavedFields, back: row.return_path });
  });
}
