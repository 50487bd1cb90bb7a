/**
 * A demo step that failed. The message says which step and why, and what to do: the start stops
 * rather than leaving a demo whose README accounts do not work.
 */
export class DemoSeedError extends Error {
  constructor(step: string, reason: string) {
    super(
      `Données de démonstration : l'étape « ${step} » a échoué (${reason}). Le portail ne démarre pas. ` +
        'Corrigez la cause, supprimez le dossier data/ (ou videz la base PostgreSQL), puis relancez.',
    );
    this.name = 'DemoSeedError';
  }
}

/** What a service answers: `{ ok: true, value }`, `{ ok: true, …fields }` or `{ ok: false, … }` (errors, error or code). */
type Outcome = { ok: boolean };
type Value<R> = R extends { ok: true; value: infer V } ? V : Extract<R, { ok: true }>;

/** The value of a successful outcome; a failed one stops the seed with the step's name and the reason given. */
export function must<R extends Outcome>(step: string, result: R): Value<R> {
  if (!result.ok) throw new DemoSeedError(step, reasonOf(result));
  return ('value' in result ? result.value : result) as Value<R>;
}

function reasonOf(result: object): string {
  const r = result as { errors?: Record<string, string>; error?: string; code?: string; message?: string };
  if (r.errors) return Object.values(r.errors).join(' ; ');
  return r.error ?? r.message ?? r.code ?? JSON.stringify(result);
}
