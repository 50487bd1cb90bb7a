import type { Credentials } from './seed.ts';

export const SESSION_COOKIE = 'pf_session';
const ANON_COOKIE = 'pf_anon';

function cookieFrom(res: Response, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    if (pair.slice(0, eq).trim() === name) {
      const value = pair.slice(eq + 1).trim();
      if (value) return value;
    }
  }
  return undefined;
}

/**
 * Logs in through the real form, as a browser does: GET /connexion (anonymous cookie + CSRF token
 * in the hidden `_csrf` input), then POST the form; the 303 reply sets the session cookie.
 * `ip` goes in X-Forwarded-For (the app trusts its proxy): the login route allows 10 attempts a
 * minute per address, so each account logs in from its own address.
 * Returns the Cookie header value to send with authenticated requests.
 */
export async function logIn(baseUrl: string, account: Credentials, ip: string): Promise<string> {
  const headers = { 'x-forwarded-for': ip };
  const page = await fetch(`${baseUrl}/connexion`, { headers, redirect: 'manual' });
  const html = await page.text();
  const anon = cookieFrom(page, ANON_COOKIE);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !anon || !csrf) throw new Error(`GET /connexion : ${page.status}, cookie ${anon ? 'présent' : 'absent'}, jeton CSRF ${csrf ? 'présent' : 'absent'}`);

  const res = await fetch(`${baseUrl}/connexion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { ...headers, cookie: `${ANON_COOKIE}=${anon}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: account.email, password: account.password, _csrf: csrf }).toString(),
  });
  await res.arrayBuffer();
  const session = cookieFrom(res, SESSION_COOKIE);
  if (res.status !== 303 || !session) throw new Error(`POST /connexion pour ${account.email} : ${res.status}${session ? '' : ', sans cookie de session'}`);
  return `${SESSION_COOKIE}=${session}`;
}

/** One session per account, each from its own (forwarded) address. */
export async function logInAll(baseUrl: string, accounts: Credentials[]): Promise<string[]> {
  const cookies: string[] = [];
  for (const [i, account] of accounts.entries()) {
    cookies.push(await logIn(baseUrl, account, `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`));
  }
  return cookies;
}
