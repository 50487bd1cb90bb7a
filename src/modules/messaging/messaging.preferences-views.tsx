import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, CsrfField, NotificationBanner, PostForm } from '../../platform/ui/components.tsx';
import { MAIL_TOPICS, type MailTopic } from './messaging.domain.ts';

export function PreferencesPage(props: { ctx: PageCtx; off: string[] | null }) {
  const optional = MAIL_TOPICS.filter((t) => !t.essential);
  const essential = MAIL_TOPICS.filter((t) => t.essential);
  return (
    <Layout ctx={props.ctx} title="Courriels reçus">
      <p>
        <a href="/messages">Retour aux messages</a>
      </p>
      <h1>Les courriels que vous recevez</h1>
      <p>Tous les messages restent dans votre messagerie du portail : vous choisissez seulement ceux que vous recevez aussi par courriel.</p>
      {props.off === null ? (
        <NotificationBanner kind="info">
          <p>Chaque responsable choisit lui-même, en se connectant à son compte.</p>
        </NotificationBanner>
      ) : (
        <PostForm action="/messages/courriels" csrf={props.ctx.csrf}>
          <div class="form-group">
            <fieldset class="fieldset">
              <legend class="fieldset__legend">Recevoir par courriel</legend>
              <div class="choices">
                {optional.map((t, i) => (
                  <div class="choice">
                    <input class="choice__input" id={`f-recevoir${i ? `-${i}` : ''}`} name="recevoir" type="checkbox" value={t.key} checked={!props.off!.includes(t.key)} />
                    <label class="choice__label" for={`f-recevoir${i ? `-${i}` : ''}`}>
                      {t.label}
                    </label>
                  </div>
                ))}
              </div>
            </fieldset>
          </div>
          <Button>Enregistrer mes choix</Button>
        </PostForm>
      )}
      <h2>Toujours envoyés par courriel</h2>
      <ul>
        {essential.map((t) => (
          <li>
            {t.label} : toujours envoyés, car {t.why}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export function UnsubscribePage(props: { ctx: PageCtx; topic: MailTopic; link: { r: string; t: string; s: string }; done: boolean }) {
  return (
    <Layout ctx={props.ctx} title="Se désinscrire">
      <h1>{props.done ? 'Vous ne recevrez plus ces courriels' : 'Ne plus recevoir ces courriels ?'}</h1>
      <p>« {props.topic.label} »</p>
      {props.done ? (
        <p>C'est enregistré dès maintenant. Ces messages restent dans votre messagerie du portail. Vous pouvez changer d'avis dans « Messages », « Les courriels que vous recevez ».</p>
      ) : (
        <form method="post" action="/desinscription">
          <CsrfField token={props.ctx.csrf} />
          <input type="hidden" name="r" value={props.link.r} />
          <input type="hidden" name="t" value={props.link.t} />
          <input type="hidden" name="s" value={props.link.s} />
          <p>Les messages resteront dans votre messagerie du portail.</p>
          <Button>Ne plus recevoir ces courriels</Button>
        </form>
      )}
    </Layout>
  );
}
