import net from 'node:net';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import type { Engine } from '../../src/platform/db/database.ts';
import { createTestApp, type TestApp, type TestAppOptions } from './app.ts';
import { startTestSmtp, type TestSmtp } from './smtp.ts';

/**
 * Browser journeys: Debian's Chromium driven by playwright-core (no downloaded browser),
 * a real HTTP server of the app, and axe and a 320 px reflow check on every page a journey visits.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A free TCP port on the loopback, found by letting the system choose one. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  t: TestApp;
  smtp: TestSmtp;
  /** e.g. http://127.0.0.1:41234, also the app's PUBLIC_URL so that e-mailed links point here. */
  baseUrl: string;
  close(): Promise<void>;
}

/** The whole app listening on the loopback, sending its e-mails to an in-process SMTP server. */
export async function startServer(engine: Engine = 'sqlite', options: Omit<TestAppOptions, 'smtpUrl'> = {}): Promise<RunningApp> {
  const smtp = await startTestSmtp();
  // The port is chosen before the app is built: PUBLIC_URL must be known when links are written.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const t = await createTestApp(engine, { ...options, smtpUrl: smtp.url, env: { ...options.env, PUBLIC_URL: baseUrl } });
    try {
      await t.app.listen({ port, host: '127.0.0.1' });
    } catch (err) {
      await t.close();
      // Another process took the port in between: try another one.
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < 5) continue;
      await smtp.close();
      throw err;
    }
    return {
      t,
      smtp,
      baseUrl,
      async close() {
        await t.close();
        await smtp.close();
      },
    };
  }
}

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe (WCAG 2.1 A and AA) on the page as it is now; throws with a readable list of violations. */
export async function checkA11y(page: Page, label = page.url()): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  if (results.violations.length === 0) return;
  const lines = results.violations.flatMap((v) => [
    `- ${v.id} (${v.impact ?? 'impact inconnu'}) : ${v.help}`,
    `  ${v.helpUrl}`,
    ...v.nodes.map((n) => `    · ${n.target.join(' ')}${n.failureSummary ? ` — ${n.failureSummary.replace(/\s+/g, ' ')}` : ''}`),
  ]);
  throw new Error(`axe : ${results.violations.length} violation${results.violations.length > 1 ? 's' : ''} WCAG sur ${label}\n${lines.join('\n')}`);
}

/** RGAA 10.11: the narrowest screen a page must read on without scrolling sideways (CSS pixels). */
export const REFLOW_WIDTH = 320;

/**
 * Lays the page out at 320 CSS px and fails when the document is wider (one pixel of rounding
 * allowed), naming the page and the element that sticks out furthest, so the fix is obvious.
 * The viewport is restored afterwards: a journey goes on at its own width.
 */
export async function checkReflow(page: Page, label = page.url()): Promise<void> {
  const original = page.viewportSize();
  await page.setViewportSize({ width: REFLOW_WIDTH, height: original?.height ?? 640 });
  try {
    const found = await page.evaluate((limit) => {
      const width = document.documentElement.scrollWidth;
      if (width <= limit + 1) return null;
      // The deepest element whose right edge goes furthest: the culprit, not its containers.
      let widest: Element | null = null;
      let right = limit + 1;
      for (const el of Array.from(document.body.querySelectorAll('*'))) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        // Text that overflows its block (a long line in <pre>) widens the page beyond the block's own
        // box: count its scroll width, unless the element clips or scrolls it itself.
        const spills = getComputedStyle(el).overflowX === 'visible';
        const edge = box.left + window.scrollX + (spills ? Math.max(box.width, el.scrollWidth) : box.width);
        if (edge >= right) {
          right = edge;
          widest = el;
        }
      }
      // No named helper in here: tsx would wrap it in a « __name » call that the page does not know.
      if (!widest) return { width, widest: 'élément introuvable' };
      const classes = typeof widest.className === 'string' && widest.className.trim() ? `.${widest.className.trim().split(/\s+/).join('.')}` : '';
      const text = (widest.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 80);
      return { width, widest: `<${widest.tagName.toLowerCase()}${widest.id ? `#${widest.id}` : ''}${classes}> jusqu'à ${Math.round(right)} px${text ? ` « ${text} »` : ''}` };
    }, REFLOW_WIDTH);
    if (found) throw new Error(`Reflow : ${label} fait ${found.width} px de large à ${REFLOW_WIDTH} px (défilement horizontal). Élément le plus large : ${found.widest}`);
  } finally {
    if (original) await page.setViewportSize(original);
  }
}

/**
 * A visitor in a browser tab. Every navigation goes through `goto` or `follow`, which check the
 * page that loaded with axe; `assertEveryPageChecked` then proves that no page escaped the check.
 */
export class Visitor {
  private loads: string[] = [];
  private checks: string[] = [];
  private checker: BrowserContext | undefined;
  private checkerPage: Page | undefined;
  private checkerHtml = '';

  private constructor(
    private readonly browser: Browser,
    readonly context: BrowserContext,
    readonly page: Page,
    readonly baseUrl: string,
    private readonly javaScriptEnabled: boolean,
  ) {
    page.on('load', () => this.loads.push(page.url()));
  }

  static async open(browser: Browser, baseUrl: string, options: Parameters<Browser['newContext']>[0] = {}): Promise<Visitor> {
    const context = await browser.newContext({ locale: 'fr-FR', ...options });
    const page = await context.newPage();
    return new Visitor(browser, context, page, baseUrl, options.javaScriptEnabled !== false);
  }

  /** The path of the current page, without the origin. */
  path(): string {
    const url = new URL(this.page.url());
    return url.pathname + url.search;
  }

  /** Opens a path (or a full URL, e.g. a link from an e-mail), then checks the page with axe. */
  async goto(pathOrUrl: string): Promise<void> {
    const url = /^https?:/.test(pathOrUrl) ? pathOrUrl : `${this.baseUrl}${pathOrUrl}`;
    const res = await this.page.goto(url, { waitUntil: 'load' });
    if (!res) throw new Error(`Aucune réponse pour ${url}`);
    await this.check();
  }

  /** Does something that loads a new page (click a link, submit a form), waits for it, checks it with axe. */
  async follow(action: () => Promise<unknown>): Promise<void> {
    await Promise.all([this.page.waitForEvent('load'), action()]);
    await this.check();
  }

  /** Logs in through the login page, as a person would (every page checked on the way). */
  async logIn(email: string, password: string): Promise<void> {
    await this.goto('/connexion');
    await this.page.getByLabel('Adresse électronique', { exact: true }).fill(email);
    await this.page.getByLabel('Mot de passe', { exact: true }).fill(password);
    await this.follow(() => this.page.getByRole('button', { name: 'Se connecter', exact: true }).click());
  }

  /** Follows a link of the main menu, unfolding it first on a phone (where it folds behind « Menu »). */
  async menu(name: string): Promise<void> {
    const nav = this.page.getByRole('navigation', { name: 'Menu principal' });
    const toggle = nav.locator('summary');
    if (await toggle.isVisible()) await toggle.click();
    await this.follow(() => nav.getByRole('link', { name, exact: true }).click());
  }

  logOut(): Promise<void> {
    return this.follow(() => this.page.getByRole('button', { name: 'Se déconnecter', exact: true }).click());
  }

  async check(): Promise<void> {
    if (this.javaScriptEnabled) {
      await checkA11y(this.page);
      await checkReflow(this.page);
    } else await this.checkWithoutScripts();
    this.checks.push(this.page.url());
  }

  /**
   * axe runs asynchronously inside the page, which a page without JavaScript cannot do (its timers
   * never fire). The page as loaded, scripts left out, is then checked in a second tab of the same
   * origin with JavaScript on: the same DOM and the same style sheet, without the script's changes.
   */
  private async checkWithoutScripts(): Promise<void> {
    const html = (await this.page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '');
    const url = `${this.baseUrl}/__controle-axe-sans-script__`;
    if (!this.checker) {
      this.checker = await this.browser.newContext({ locale: 'fr-FR', viewport: this.page.viewportSize() });
      this.checkerPage = await this.checker.newPage();
      await this.checkerPage.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: this.checkerHtml }));
    }
    this.checkerHtml = html;
    await this.checkerPage!.goto(url, { waitUntil: 'load' });
    await checkA11y(this.checkerPage!, `${this.page.url()} (sans JavaScript)`);
    await checkReflow(this.checkerPage!, `${this.page.url()} (sans JavaScript)`);
  }

  assertEveryPageChecked(): void {
    if (this.loads.length !== this.checks.length) {
      throw new Error(`Pages chargées sans contrôle axe.\nChargées : ${this.loads.join(', ')}\nContrôlées : ${this.checks.join(', ')}`);
    }
  }

  /** How many pages were checked with axe. */
  get checkedCount(): number {
    return this.checks.length;
  }

  async close(): Promise<void> {
    await this.checker?.close();
    await this.context.close();
  }
}
