import type { FastifyInstance } from 'fastify';

export interface Page {
  status: number;
  body: string;
  location?: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A browser-like client over app.inject: keeps cookies, and fills the CSRF token of the last page
 * it saw, as a real form would.
 */
export class TestClient {
  cookies = new Map<string, string>();
  lastCsrf = '';

  // Each client is its own visitor, with its own address for the rate limits.
  private static next = 1;
  constructor(private app: FastifyInstance, private ip = `10.1.${Math.floor(TestClient.next / 250)}.${(TestClient.next++ % 250) + 1}`) {}

  private cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private absorb(res: { statusCode: number; body: string; headers: Record<string, string | string[] | number | undefined> }): Page {
    const set = res.headers['set-cookie'];
    for (const line of Array.isArray(set) ? set : set ? [String(set)] : []) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /expires=Thu, 01 Jan 1970/i.test(a) || /max-age=0/i.test(a.trim()));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const csrf = /name="_csrf" value="([^"]+)"/.exec(res.body);
    if (csrf) this.lastCsrf = csrf[1];
    return { status: res.statusCode, body: res.body, location: res.headers.location as string | undefined, headers: res.headers as Page['headers'] };
  }

  async get(url: string): Promise<Page> {
    const res = await this.app.inject({ method: 'GET', url, headers: { cookie: this.cookieHeader() }, remoteAddress: this.ip });
    return this.absorb(res);
  }

  /** Posts a form; the CSRF token of the last page is added unless `_csrf` is given. */
  async post(url: string, form: Record<string, string | string[]> = {}): Promise<Page> {
    const params = new URLSearchParams();
    if (!('_csrf' in form)) params.append('_csrf', this.lastCsrf);
    for (const [k, v] of Object.entries(form)) for (const item of Array.isArray(v) ? v : [v]) params.append(k, item);
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: params.toString(),
      headers: { cookie: this.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      remoteAddress: this.ip,
    });
    return this.absorb(res);
  }

  /** GET a form page, then POST it (fresh CSRF token). */
  async submit(pageUrl: string, action: string, form: Record<string, string | string[]>): Promise<Page> {
    await this.get(pageUrl);
    return this.post(action, form);
  }

  async login(email: string, password: string): Promise<Page> {
    const page = await this.submit('/connexion', '/connexion', { email, password });
    if (page.status !== 303) throw new Error(`Connexion refusée pour ${email} (${page.status})`);
    return page;
  }
}

/** Text of a page without tags, to assert on what a person reads. */
export const textOf = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');
