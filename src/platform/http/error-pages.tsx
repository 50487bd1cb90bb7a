import { Layout, type PageCtx } from '../ui/layout.tsx';

const TITLES: Record<number, string> = {
  400: 'La demande n\'a pas pu être comprise',
  403: 'Accès refusé',
  404: 'Page introuvable',
  409: 'Action impossible',
  413: 'Fichier trop volumineux',
  429: 'Trop de tentatives',
};

/** French error pages that never show technical details. */
export function ErrorPage({ ctx, status, message }: { ctx: PageCtx; status: number; message?: string }) {
  const title = TITLES[status] ?? (status >= 500 ? 'Désolé, le service rencontre un problème' : 'Une erreur est survenue');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {message && <p class="lead">{message}</p>}
      {status === 404 && (
        <>
          <p>Si vous avez saisi l'adresse, vérifiez qu'elle est correcte.</p>
          <p>Si vous avez collé l'adresse, vérifiez que vous l'avez copiée entièrement.</p>
        </>
      )}
      {status >= 500 && <p>Réessayez dans quelques minutes. Ce que vous avez déjà enregistré n'est pas perdu.</p>}
      <p>
        <a href="/">Retourner à l'accueil du portail</a> ou consultez le <a href="/plan-du-site">plan du site</a>. Vous pouvez aussi vous adresser à l'accueil de la mairie.
      </p>
    </Layout>
  );
}
