import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { ButtonLink, TownContactDetails } from '../../platform/ui/components.tsx';
import { NewsList, type NewsItem } from '../messaging/messaging.components.tsx';

export function HomePage({ ctx, news }: { ctx: PageCtx; news: NewsItem[] }) {
  return (
    <Layout ctx={ctx} title="Accueil">
      <h1>Portail famille de la {ctx.town.name.replace(/^Ville de /, 'ville de ')}</h1>
      <p class="lead">Inscrivez vos enfants à la cantine, à l'accueil du matin et du soir et au centre de loisirs, réservez les jours, payez vos factures, à toute heure.</p>
      <div class="button-group">
        <ButtonLink href="/connexion" variant="primary">
          Se connecter
        </ButtonLink>
        <a href="/activation">J'ai reçu un code d'activation</a>
      </div>
      <NewsList items={news} />
      <h2>Première visite ?</h2>
      <ul>
        <li>
          La mairie vous a envoyé un <strong>code d'activation</strong> par courriel ou par courrier : <a href="/activation">activez votre compte</a>, votre foyer est déjà prêt.
        </li>
        <li>
          Vous n'avez pas reçu de code : <a href="/inscription">créez un compte</a>, puis la mairie le reliera à votre foyer.
        </li>
      </ul>
      <h2>Vous préférez venir en mairie ?</h2>
      <p>L'accueil du service enfance continue de recevoir les familles et peut faire toutes ces démarches avec vous, sur rendez-vous ou aux heures d'ouverture.</p>
      <TownContactDetails contact={ctx.town.contact} />
      <p>
        <a href="/accessibilite">Accessibilité : partiellement conforme</a>
      </p>
    </Layout>
  );
}

/** Déclaration d'accessibilité in the format required by décret n° 2019-768 (structure of reference/protocols.md §5.2). */
export function AccessibilityPage({ ctx, updated }: { ctx: PageCtx; updated: string }) {
  const town = ctx.town.name;
  return (
    <Layout ctx={ctx} title="Accessibilité">
      <h1>Déclaration d'accessibilité</h1>
      <p>
        {town} s'engage à rendre ses sites internet, intranet, extranet et ses progiciels accessibles conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005.
      </p>
      <p>
        À cette fin, elle met en œuvre la stratégie et les actions suivantes : <a href="#schema">schéma pluriannuel de mise en accessibilité</a> et <a href="#plan">plan d'actions de l'année</a>.
      </p>
      <p>Cette déclaration d'accessibilité s'applique au portail famille de {town}.</p>
      <h2>État de conformité</h2>
      <p>
        Le portail famille de {town} est <strong>partiellement conforme</strong> avec le référentiel général d'amélioration de l'accessibilité (RGAA), version 4.1.2, en raison des non-conformités et des
        dérogations énumérées ci-dessous.
      </p>
      <h3>Résultats des tests</h3>
      <p>
        Aucun audit complet n'a encore été réalisé. Les pages sont vérifiées en interne à chaque version : tests automatiques (axe-core, règles WCAG 2.1 A et AA) sur tous les parcours, et
        vérifications manuelles au clavier, avec un lecteur d'écran, à 320 pixels de large et avec un zoom de 200 %. Un audit de conformité complet est prévu (voir le plan d'actions).
      </p>
      <h2>Contenus non accessibles</h2>
      <h3>Non-conformités</h3>
      <ul>
        <li>Certains documents PDF (lettres, attestations) ne sont pas encore entièrement balisés ; leur contenu est aussi disponible sur une page du portail ou à l'accueil de la mairie.</li>
      </ul>
      <h3>Dérogations pour charge disproportionnée</h3>
      <p>Aucune.</p>
      <h3>Contenus non soumis à l'obligation d'accessibilité</h3>
      <ul>
        <li>La page de paiement par carte PayFiP, fournie par la Direction générale des Finances publiques.</li>
      </ul>
      <h2>Établissement de cette déclaration d'accessibilité</h2>
      <p>Cette déclaration a été établie le {updated}.</p>
      <h3>Technologies utilisées pour la réalisation du portail</h3>
      <ul>
        <li>HTML5</li>
        <li>CSS</li>
        <li>JavaScript (facultatif : toutes les démarches fonctionnent sans)</li>
        <li>WAI-ARIA</li>
      </ul>
      <h3>Environnement de test</h3>
      <p>Les vérifications ont été faites avec Chromium et axe-core ; la référence pour l'audit à venir est NVDA avec Firefox, VoiceOver avec Safari et TalkBack avec Chrome.</p>
      <h3>Pages du portail ayant fait l'objet de la vérification</h3>
      <ul>
        <li>
          <a href="/">Accueil</a>, <a href="/connexion">connexion</a>, <a href="/activation">activation du compte</a>, <a href="/inscription">création de compte</a>,{' '}
          <a href="/mot-de-passe-oublie">mot de passe oublié</a>, <a href="/plan-du-site">plan du site</a>, <a href="/mentions-legales">mentions légales</a>
        </li>
        <li>Espace agents : invitations, agents, courriels envoyés, journal</li>
      </ul>
      <h2>Retour d'information et contact</h2>
      <p>
        Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le service enfance de la mairie pour être orienté vers une alternative accessible ou obtenir le
        contenu sous une autre forme : à l'accueil de la mairie, par téléphone ou par courrier. Nous répondons sous une semaine.
      </p>
      <TownContactDetails contact={ctx.town.contact} />
      <h2>Voies de recours</h2>
      <p>
        Si vous constatez un défaut d'accessibilité vous empêchant d'accéder à un contenu ou à une fonctionnalité du portail, que vous nous le signalez et que vous ne parvenez pas à obtenir une
        réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits. Plusieurs moyens sont à votre disposition :
      </p>
      <ul>
        <li>écrire un message au Défenseur des droits (formulaire en ligne : https://www.defenseurdesdroits.fr/nous-contacter-355) ;</li>
        <li>contacter le délégué du Défenseur des droits dans votre région (https://www.defenseurdesdroits.fr/carte-des-delegues) ;</li>
        <li>envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.</li>
      </ul>
      <h2 id="schema">Schéma pluriannuel de mise en accessibilité</h2>
      <p>Sur trois ans, la ville rend accessibles tous les services en ligne destinés aux familles, forme les agents qui publient des contenus et fait auditer chaque service avant sa mise en ligne.</p>
      <h2 id="plan">Plan d'actions de l'année</h2>
      <ul>
        <li>Audit complet RGAA 4.1.2 du portail famille par un prestataire indépendant.</li>
        <li>Balisage complet des documents PDF produits par le portail.</li>
        <li>Tests avec des familles utilisant un lecteur d'écran ou un agrandisseur.</li>
      </ul>
    </Layout>
  );
}

export function LegalPage({ ctx }: { ctx: PageCtx }) {
  return (
    <Layout ctx={ctx} title="Mentions légales">
      <h1>Mentions légales</h1>
      <h2>Éditeur</h2>
      <p>{ctx.town.name}, hôtel de ville. Directeur de la publication : le maire.</p>
      <h2>Hébergement</h2>
      <p>Le portail est hébergé en France, sur des serveurs choisis par la commune. L'adresse de l'hébergeur est disponible à l'accueil de la mairie.</p>
      <h2>Accessibilité</h2>
      <p>
        Voir la <a href="/accessibilite">déclaration d'accessibilité</a>.
      </p>
      <h2>Données personnelles</h2>
      <p>
        Voir la page <a href="/donnees-personnelles">données personnelles</a>.
      </p>
    </Layout>
  );
}

export function PrivacyPage({ ctx }: { ctx: PageCtx }) {
  return (
    <Layout ctx={ctx} title="Données personnelles">
      <h1>Données personnelles</h1>
      <p>
        Le responsable du traitement est {ctx.town.name}. Le portail famille sert à gérer l'inscription et l'accueil de vos enfants dans les services de la commune (restauration scolaire, accueil
        périscolaire, centre de loisirs), à facturer ces services et à vous informer. Ce traitement relève de l'exécution d'une mission de service public.
      </p>
      <h2>Quelles données ?</h2>
      <ul>
        <li>L'identité et les coordonnées des responsables légaux et des personnes autorisées à chercher les enfants.</li>
        <li>L'identité des enfants, leur scolarité, leurs réservations et leurs présences.</li>
        <li>Les informations de santé utiles à l'accueil (allergies, projet d'accueil individualisé, régime) : elles ne sont vues que par les agents qui en ont besoin, et chaque consultation est enregistrée.</li>
        <li>Le quotient familial et les factures et paiements.</li>
      </ul>
      <p>
        Les messages de la mairie que vous recevez : à qui ils ont été envoyés, à quelle adresse, et quand vous les avez lus sur le portail ; les courriels que vous avez choisi de ne plus recevoir.
      </p>
      <h2>Qui les voit ?</h2>
      <ul>
        <li>Les agents du service enfance et les administrateurs du portail : les dossiers des familles, les demandes et les messages.</li>
        <li>La régie : les factures et les paiements.</li>
        <li>Les animateurs et la cuisine : la liste des enfants attendus et, pour ceux qui en ont besoin, les informations de santé utiles à l'accueil.</li>
        <li>Aucune donnée n'est vendue ni transmise à des tiers, sauf obligation légale (trésor public pour les paiements).</li>
      </ul>
      <h2>Combien de temps ?</h2>
      <p>
        Les données sont gardées le temps de l'accueil de vos enfants, puis archivées selon les durées légales (10 ans pour les pièces comptables) avant d'être anonymisées. Le texte des courriels
        envoyés est effacé du serveur après quelques jours ; seule reste la trace de l'envoi (destinataire, objet, date).
      </p>
      <p>
        Vous pouvez consulter vos données depuis « Mon compte » et choisir les courriels que vous recevez depuis « Messages ».
      </p>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les faire corriger, et, dans certains cas, vous opposer à leur traitement ou les faire effacer. Adressez-vous au service enfance ou au délégué à la
        protection des données de la commune. Vous pouvez aussi saisir la CNIL.
      </p>
      <h2>Cookies</h2>
      <p>Le portail utilise seulement les cookies nécessaires à son fonctionnement (connexion et sécurité des formulaires). Aucun cookie de mesure d'audience ni de publicité.</p>
    </Layout>
  );
}

export function SiteMapPage({ ctx }: { ctx: PageCtx }) {
  return (
    <Layout ctx={ctx} title="Plan du site">
      <h1>Plan du site</h1>
      <ul>
        <li>
          <a href="/">Accueil</a>
        </li>
        <li>
          Mon compte
          <ul>
            <li>
              <a href="/connexion">Se connecter</a>
            </li>
            <li>
              <a href="/activation">Activer mon compte avec un code</a>
            </li>
            <li>
              <a href="/inscription">Créer un compte</a>
            </li>
            <li>
              <a href="/mot-de-passe-oublie">Mot de passe oublié</a>
            </li>
            <li>
              <a href="/compte">Mon compte</a>
            </li>
          </ul>
        </li>
        <li>
          <a href="/famille">Espace famille</a>
        </li>
        <li>
          <a href="/agent">Espace agents</a>
        </li>
        <li>
          <a href="/accessibilite">Accessibilité</a>
        </li>
        <li>
          <a href="/mentions-legales">Mentions légales</a>
        </li>
        <li>
          <a href="/donnees-personnelles">Données personnelles</a>
        </li>
      </ul>
    </Layout>
  );
}
