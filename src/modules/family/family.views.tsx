import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { NotificationBanner } from '../../platform/ui/components.tsx';

export function FamilyHomePage({ ctx, status }: { ctx: PageCtx; status: string }) {
  return (
    <Layout ctx={ctx} title="Mon espace famille">
      <h1>Bonjour {ctx.user?.name}</h1>
      {status === 'pending_link' && (
        <NotificationBanner kind="info" title="Compte en attente de rattachement">
          <p>Votre compte est créé. La mairie doit maintenant le relier à votre foyer ; vous recevrez un courriel quand ce sera fait.</p>
          <p>Pour aller plus vite, vous pouvez passer à l'accueil du service enfance avec un justificatif de domicile.</p>
        </NotificationBanner>
      )}
      <h2>Ce qui vous attend</h2>
      <p>Rien à faire pour le moment.</p>
      <p>
        <a href="/compte">Mon compte</a>
      </p>
    </Layout>
  );
}
