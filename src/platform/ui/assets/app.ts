/**
 * Progressive enhancement only: every page works without this script.
 * Modules attach to elements carrying data-module (the GOV.UK Frontend pattern).
 */

import { initAttendanceRoll } from './attendance.ts';

function initErrorSummary(el: HTMLElement): void {
  // The summary takes the focus so screen readers announce it after a failed submission.
  el.focus();
  el.addEventListener('click', (event) => {
    const link = (event.target as HTMLElement).closest('a');
    const id = link?.getAttribute('href')?.slice(1);
    const field = id ? document.getElementById(id) : null;
    if (!field) return;
    event.preventDefault();
    field.scrollIntoView();
    field.focus();
  });
}

function initSessionTimeout(el: HTMLElement): void {
  const timeout = Number(el.dataset.timeoutSeconds) * 1000;
  const warnBefore = Math.min(120_000, timeout / 2);
  const form = el.querySelector('form');
  const message = el.querySelector<HTMLElement>('[data-role="message"]');
  const button = form?.querySelector('button');
  if (!form || !message || !button) return;
  const original = message.textContent ?? '';
  let warnTimer = 0;
  let endTimer = 0;
  const arm = () => {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    el.classList.remove('session-timeout--warning');
    message.removeAttribute('role');
    message.textContent = original;
    warnTimer = window.setTimeout(() => {
      el.classList.add('session-timeout--warning');
      message.setAttribute('role', 'alert');
      message.textContent = 'Votre session va bientôt expirer. Choisissez « Rester connecté » pour continuer sans perdre ce que vous avez saisi.';
      button.focus();
    }, timeout - warnBefore);
    endTimer = window.setTimeout(() => {
      message.textContent = 'Votre session a expiré. Reconnectez-vous pour continuer.';
    }, timeout);
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    fetch(form.action, { method: 'POST', body: new URLSearchParams(new FormData(form) as unknown as Record<string, string>), headers: { accept: 'application/json' } })
      .then((r) => {
        if (r.ok) arm();
        else window.location.href = '/connexion';
      })
      .catch(() => form.submit());
  });
  arm();
}

// The wide menu is unfolded by CSS (::details-content); a browser older than that keeps it folded unless opened here.
function initNavMenu(el: HTMLElement): void {
  if (!(el instanceof HTMLDetailsElement) || CSS.supports('selector(::details-content)')) return;
  const wide = window.matchMedia('(min-width: 40.0625em)');
  const sync = () => {
    el.open = wide.matches;
  };
  sync();
  wide.addEventListener('change', sync);
}

const modules: Record<string, (el: HTMLElement) => void> = {
  'error-summary': initErrorSummary,
  'session-timeout': initSessionTimeout,
  'attendance-roll': initAttendanceRoll,
  'nav-menu': initNavMenu,
};

document.querySelectorAll<HTMLElement>('[data-module]').forEach((el) => {
  const init = modules[el.dataset.module ?? ''];
  if (init) init(el);
});
