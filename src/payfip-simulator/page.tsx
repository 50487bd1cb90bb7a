import type { ComponentChildren } from 'preact';
import { render } from 'preact-render-to-string';

/**
 * The simulator's payment page: plain HTML, French, no script, one form. It says everywhere that
 * it is a simulation, so nobody mistakes it for the real PayFiP.
 */

const STYLE = `
body{font-family:system-ui,sans-serif;margin:0;color:#161616;background:#f6f6f6;line-height:1.5}
header{background:#000091;color:#fff;padding:.75rem 1rem}header p{margin:0;font-weight:700}
main{max-width:36rem;margin:0 auto;padding:1rem}
.simu{border-left:4px solid #b34000;background:#fff;padding:.5rem 1rem;margin:1rem 0}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;background:#fff;padding:1rem;margin:0 0 1rem}
dt{font-weight:700}dd{margin:0;overflow-wrap:anywhere}
fieldset{border:1px solid #666;background:#fff;margin:0 0 1rem;padding:.5rem 1rem 1rem}
legend{font-weight:700;padding:0 .25rem}
label{display:block;padding:.35rem 0}input[type=radio]{width:1.25rem;height:1.25rem;margin-right:.5rem;vertical-align:middle}
button{background:#000091;color:#fff;border:0;padding:.75rem 1.5rem;font-size:1rem;cursor:pointer}
:focus-visible{outline:3px solid #0a76f6;outline-offset:2px}
a{color:#000091}
`;

function Page({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <html lang="fr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} – Simulateur PayFiP`}</title>
        <style>{STYLE}</style>
      </head>
      <body>
        <header>
          <p>Simulateur PayFiP (aucun paiement réel)</p>
        </header>
        <main>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  );
}

export const euros = (cents: number) => `${(cents / 100).toFixed(2).replace('.', ',').replace(/\B(?=(\d{3})+(?!\d))/g, '\u202f')}\u00a0€`;

export interface PaymentPageProps {
  idOp: string;
  amountCents: number;
  objet: string;
  refdet: string;
  mel: string;
}

export function paymentPage(p: PaymentPageProps): string {
  return `<!doctype html>${render(
    <Page title="Paiement en ligne">
      <p class="simu">Ceci est un simulateur pour la démonstration et les tests. Choisissez ce que la banque répond : rien n'est prélevé.</p>
      <dl>
        <dt>Montant</dt>
        <dd>{euros(p.amountCents)}</dd>
        <dt>Objet</dt>
        <dd>{p.objet || '—'}</dd>
        <dt>Référence</dt>
        <dd>{p.refdet}</dd>
        <dt>Courriel</dt>
        <dd>{p.mel}</dd>
      </dl>
      <form method="post" action="/tpa/paiementws.web">
        <input type="hidden" name="idop" value={p.idOp} />
        <fieldset>
          <legend>Résultat du paiement</legend>
          <label>
            <input type="radio" name="resultat" value="P" checked /> Payer par carte bancaire (paiement accepté)
          </label>
          <label>
            <input type="radio" name="resultat" value="V" /> Payer par prélèvement (paiement accepté)
          </label>
          <label>
            <input type="radio" name="resultat" value="R" /> Paiement refusé par la banque
          </label>
          <label>
            <input type="radio" name="resultat" value="A" /> Abandonner le paiement
          </label>
        </fieldset>
        <fieldset>
          <legend>Avis de paiement envoyé au portail</legend>
          <label>
            <input type="radio" name="avis" value="normal" checked /> L'envoyer tout de suite
          </label>
          <label>
            <input type="radio" name="avis" value="perdu" /> Ne pas l'envoyer (avis perdu)
          </label>
          <label>
            <input type="radio" name="avis" value="retard" /> L'envoyer en retard
          </label>
          <label>
            <input type="radio" name="avis" value="double" /> L'envoyer deux fois
          </label>
        </fieldset>
        <button type="submit">Valider</button>
      </form>
    </Page>,
  )}`;
}

export function messagePage(title: string, text: string, link?: { href: string; label: string }): string {
  return `<!doctype html>${render(
    <Page title={title}>
      <p>{text}</p>
      {link && (
        <p>
          <a href={link.href}>{link.label}</a>
        </p>
      )}
    </Page>,
  )}`;
}
