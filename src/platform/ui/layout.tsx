import type { ComponentChildren } from 'preact';
import { CsrfField, NotificationBanner, TownContactDetails } from './components.tsx';
import type { TownContact } from '../../config.ts';
import { householdName } from '../format.ts';

export interface ViewUser {
  id: string;
  name: string;
  kind: 'guardian' | 'agent';
  roles: string[];
}

/** What every page needs to render its frame; built per request by the render helper. */
export interface PageCtx {
  town: { name: string; logoUrl: string; contact: TownContact };
  assets: { css: string; js: string };
  path: string;
  csrf: string;
  user: ViewUser | null;
  flash: string | null;
  /** Something the person should know before acting on this page (shown as information, not success). */
  notice?: string | null;
  sessionIdleSeconds: number;
  /** Assisted mode: an agent acting for a household at the counter. */
  acting: { householdLabel: string; agentName: string } | null;
}

interface NavItem {
  href: string;
  label: string;
  /** Where the item leads on a phone, when it differs (the bookings' week view): a CSS media query shows one link. */
  narrowHref?: string;
}

function navItems(user: ViewUser | null, acting: boolean): NavItem[] {
  if (!user) return [
    { href: '/', label: 'Accueil' },
    { href: '/connexion', label: 'Se connecter' },
    { href: '/inscription', label: 'Créer un compte' },
    { href: '/tarifs', label: 'Tarifs' },
  ];
  if (user.kind === 'guardian' || acting) return [
    { href: '/famille', label: 'Accueil' },
    { href: '/reservations', label: 'Réservations', narrowHref: '/reservations/semaine' },
    { href: '/demandes', label: 'Mes demandes' },
    { href: '/messages', label: 'Messages' },
    { href: '/documents', label: 'Mes documents' },
    { href: '/factures', label: 'Factures' },
    { href: '/attestations', label: 'Attestations' },
    { href: '/famille/foyer', label: 'Mon foyer' },
    { href: '/famille/historique', label: 'Historique' },
    { href: '/compte', label: 'Mon compte' },
  ];
  const items: NavItem[] = [{ href: '/agent', label: 'Tableau de bord' }];
  if (user.roles.includes('admin') || user.roles.includes('enfance')) {
    items.push({ href: '/agent/foyers', label: 'Familles' });
    items.push({ href: '/agent/demandes', label: 'Demandes' });
    items.push({ href: '/agent/inscriptions', label: 'Inscriptions' });
    items.push({ href: '/agent/modifications', label: 'À valider' });
    items.push({ href: '/agent/invitations', label: 'Invitations' });
    items.push({ href: '/agent/import', label: 'Import' });
    items.push({ href: '/agent/catalogue', label: 'Catalogue' });
    items.push({ href: '/agent/messages', label: 'Messages' });
    items.push({ href: '/agent/documents', label: 'Documents' });
  }
  if (user.roles.some((r) => r === 'admin' || r === 'enfance' || r === 'animateur')) items.push({ href: '/agent/pointage', label: 'Pointage' });
  if (user.roles.some((r) => r === 'admin' || r === 'restauration')) items.push({ href: '/agent/cuisine', label: 'Cuisine' });
  if (user.roles.some((r) => r === 'admin' || r === 'regie')) items.push({ href: '/agent/tarifs', label: 'Tarifs' });
  if (user.roles.some((r) => r === 'admin' || r === 'enfance' || r === 'restauration')) items.push({ href: '/agent/actualites', label: 'Actualités' });
  if (user.roles.some((r) => r === 'admin' || r === 'regie')) items.push({ href: '/agent/regie', label: 'Régie' });
  if (user.roles.includes('admin')) {
    items.push({ href: '/agent/agents', label: 'Agents' });
    items.push({ href: '/agent/courriels', label: 'Courriels envoyés' });
    items.push({ href: '/agent/notifications', label: 'Notifications' });
    items.push({ href: '/agent/journal', label: 'Journal' });
  }
  return items;
}

const isCurrent = (path: string, href: string) => (href === '/' || href === '/agent' || href === '/famille' ? path === href : path.startsWith(href));

export function Layout(props: { ctx: PageCtx; title: string; hasErrors?: boolean; children: ComponentChildren; wide?: boolean }) {
  const { ctx } = props;
  const fullTitle = `${props.hasErrors ? 'Erreur : ' : ''}${props.title} – Portail famille – ${ctx.town.name}`;
  const items = navItems(ctx.user, !!ctx.acting);
  return (
    <html lang="fr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        <link rel="stylesheet" href={ctx.assets.css} />
        <link rel="icon" href="data:," />
        <script type="module" src={ctx.assets.js} />
      </head>
      <body>
        <a href="#contenu" class="skip-link">
          Aller au contenu
        </a>
        {ctx.acting && (
          <div class="acting-banner" role="region" aria-label="Mode accueil">
            <div class="container acting-banner__inner">
              <p>
                <strong>Mode accueil</strong> : {ctx.acting.agentName} agit pour le foyer {householdName(ctx.acting.householdLabel)}. Chaque action est enregistrée.
              </p>
              <form method="post" action="/agent/accueil/quitter">
                <CsrfField token={ctx.csrf} />
                <button type="submit" class="btn btn--secondary">
                  Quitter le mode accueil
                </button>
              </form>
            </div>
          </div>
        )}
        <header class="header">
          <div class="container header__inner">
            <a href={ctx.user ? (ctx.user.kind === 'agent' && !ctx.acting ? '/agent' : '/famille') : '/'} class="header__brand">
              <img src={ctx.town.logoUrl} alt="" class="header__logo" width="40" height="40" />
              <span>
                <span class="header__town">{ctx.town.name}</span>
                <span class="header__service">Portail famille{ctx.user?.kind === 'agent' && !ctx.acting ? ' – espace agents' : ''}</span>
              </span>
            </a>
            {ctx.user && (
              <div class="header__account">
                <span class="header__user">{ctx.user.name}</span>
                <form method="post" action="/deconnexion">
                  <CsrfField token={ctx.csrf} />
                  <button type="submit" class="btn btn--link">
                    Se déconnecter
                  </button>
                </form>
              </div>
            )}
          </div>
          <nav class="nav" aria-label="Menu principal">
            {/* On a phone the menu folds behind « Menu » (one keyboard stop instead of up to eighteen); from a
                tablet's width the CSS shows the list without the toggle. <details> needs no script. */}
            <details class="nav__menu" data-module="nav-menu">
              <summary class="container nav__toggle">Menu</summary>
              <ul class="container nav__list">
                {items.map((i) => (
                  <li>
                    <a href={i.href} class={`nav__link${i.narrowHref ? ' only-wide' : ''}`} aria-current={isCurrent(ctx.path, i.href) ? 'page' : undefined}>
                      {i.label}
                    </a>
                    {i.narrowHref && (
                      <a href={i.narrowHref} class="nav__link only-narrow" aria-current={isCurrent(ctx.path, i.href) ? 'page' : undefined}>
                        {i.label}
                      </a>
                    )}
                  </li>
                ))}
              </ul>
            </details>
          </nav>
        </header>
        <main id="contenu" class={`container main${props.wide ? ' main--wide' : ''}`} tabIndex={-1}>
          {ctx.flash && (
            <NotificationBanner kind="success">
              <p>{ctx.flash}</p>
            </NotificationBanner>
          )}
          {ctx.notice && (
            <NotificationBanner kind="info">
              <p>{ctx.notice}</p>
            </NotificationBanner>
          )}
          {props.children}
        </main>
        {ctx.user && <SessionTimeout ctx={ctx} />}
        <footer class="footer">
          <div class="container">
            <ul class="footer__links">
              <li>
                <a href="/accessibilite">Accessibilité : partiellement conforme</a>
              </li>
              <li>
                <a href="/mentions-legales">Mentions légales</a>
              </li>
              <li>
                <a href="/donnees-personnelles">Données personnelles</a>
              </li>
              <li>
                <a href="/plan-du-site">Plan du site</a>
              </li>
              <li>
                <a href="/attestations/verifier">Vérifier une attestation</a>
              </li>
            </ul>
            <p class="footer__meta">
              {ctx.town.name} – Portail famille. Vous pouvez aussi faire toutes vos démarches à l'accueil de la mairie.
            </p>
            <TownContactDetails contact={ctx.town.contact} class="footer__contact" />
          </div>
        </footer>
      </body>
    </html>
  );
}

/**
 * RGAA 13.1: the session ends after inactivity, and the user can extend it.
 * Without JavaScript the notice is static and the button still works; the script shows it
 * shortly before the end and extends the session without reloading.
 */
function SessionTimeout({ ctx }: { ctx: PageCtx }) {
  const minutes = Math.round(ctx.sessionIdleSeconds / 60);
  return (
    <div class="container session-timeout" data-module="session-timeout" data-timeout-seconds={String(ctx.sessionIdleSeconds)}>
      <form method="post" action="/session/prolonger" class="session-timeout__form">
        <CsrfField token={ctx.csrf} />
        <input type="hidden" name="retour" value={ctx.path} />
        <p class="session-timeout__text" data-role="message">
          Pour votre sécurité, vous serez déconnecté après {minutes} minutes sans activité.
        </p>
        <button type="submit" class="btn btn--secondary">
          Rester connecté
        </button>
      </form>
    </div>
  );
}
