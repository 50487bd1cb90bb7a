/**
 * The day's attendance list, one tap per child: the same forms as without JavaScript, posted with
 * fetch so the page neither reloads nor jumps. The row shows the saved state, the count follows,
 * a live region announces it, and the focus stays on the button tapped. A lost connection is shown
 * on the row and retried a few times; if it still fails the row says so and the tap can be repeated —
 * never lost silently.
 */

interface MarkAnswer {
  ok: boolean;
  outcome: string;
  label?: string;
  tone?: string;
  countText?: string;
  message?: string;
  error?: string;
}

const RETRY_DELAYS_MS = [1000, 2000, 4000];

export function initAttendanceRoll(root: HTMLElement): void {
  const live = root.querySelector<HTMLElement>('[data-role="live"]');
  const count = root.querySelector<HTMLElement>('[data-role="count"]');
  /** Per form: a tap in flight, and the latest tap made meanwhile (sent next: the last tap wins). */
  const busy = new WeakMap<HTMLFormElement, boolean>();
  const queued = new WeakMap<HTMLFormElement, { body: URLSearchParams; button: HTMLButtonElement }>();

  const announce = (text: string) => {
    if (!live) return;
    // Emptied first so the same sentence twice is announced twice.
    live.textContent = '';
    window.setTimeout(() => (live.textContent = text), 50);
  };

  const rowParts = (form: HTMLFormElement) => {
    const row = form.closest<HTMLElement>('li') ?? form;
    return { row, state: row.querySelector<HTMLElement>('[data-role="state"]'), error: row.querySelector<HTMLElement>('[data-role="error"]') };
  };

  const showError = (form: HTMLFormElement, text: string) => {
    const { row, error } = rowParts(form);
    row.classList.add('roll__item--error');
    if (error) {
      error.hidden = false;
      error.textContent = text;
    }
  };

  const clearError = (form: HTMLFormElement) => {
    const { row, error } = rowParts(form);
    row.classList.remove('roll__item--error');
    if (error) {
      error.hidden = true;
      error.textContent = '';
    }
  };

  const send = (form: HTMLFormElement, body: URLSearchParams, button: HTMLButtonElement, attempt: number): void => {
    busy.set(form, true);
    const { row } = rowParts(form);
    row.setAttribute('aria-busy', 'true');
    const who = form.dataset.attendance ?? '';
    const done = () => {
      row.removeAttribute('aria-busy');
      busy.set(form, false);
      const next = queued.get(form);
      if (next) {
        queued.delete(form);
        send(form, next.body, next.button, 0);
      }
    };
    fetch(form.action, { method: 'POST', body, headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(async (response) => {
        const answer = (await response.json().catch(() => ({ ok: false, outcome: 'error' }))) as MarkAnswer;
        if (response.ok && answer.ok) {
          clearError(form);
          const { state } = rowParts(form);
          if (state) {
            const tag = document.createElement('strong');
            tag.className = `tag tag--${answer.tone ?? 'grey'}`;
            tag.textContent = answer.label ?? '';
            state.replaceChildren(tag);
          }
          if (count && answer.countText) count.textContent = answer.countText;
          announce(`${who} : ${(answer.label ?? '').toLowerCase()}. ${answer.countText ?? ''}`);
        } else if (response.status === 401 || response.redirected) {
          // Session over: the plain form leads to the login page and back.
          form.dataset.plain = 'true';
          form.requestSubmit(button);
          return;
        } else {
          const text = answer.message ?? answer.error ?? 'Le pointage n\'a pas été enregistré. Rechargez la page.';
          showError(form, text);
          announce(`${who} : ${text}`);
        }
        done();
      })
      .catch(() => {
        if (attempt < RETRY_DELAYS_MS.length) {
          showError(form, 'Connexion perdue : nouvel essai en cours…');
          window.setTimeout(() => send(form, body, button, attempt + 1), RETRY_DELAYS_MS[attempt]);
          return;
        }
        const text = 'Non enregistré : la connexion est perdue. Touchez de nouveau le bouton quand le réseau revient.';
        showError(form, text);
        announce(`${who} : ${text}`);
        done();
      });
  };

  root.addEventListener('submit', (event) => {
    const form = event.target as HTMLFormElement;
    const button = event.submitter;
    if (!form.matches('form[data-attendance]') || !(button instanceof HTMLButtonElement) || !button.name || form.dataset.plain === 'true') return;
    event.preventDefault();
    const body = new URLSearchParams();
    new FormData(form).forEach((value, key) => {
      if (typeof value === 'string') body.append(key, value);
    });
    body.append(button.name, button.value);
    // The focus stays where the animator tapped: nothing reloads, nothing moves.
    button.focus();
    if (busy.get(form)) queued.set(form, { body, button });
    else send(form, body, button, 0);
  });
}
