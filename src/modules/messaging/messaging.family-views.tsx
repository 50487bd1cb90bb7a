import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Tag } from '../../platform/ui/components.tsx';
import { formatDateTime } from '../../platform/format.ts';
import { CATEGORY_LABELS, isCategory } from './messaging.domain.ts';
import { fileSize, MessageText } from './messaging.components.tsx';

const categoryTag = (c: string) => <Tag tone={c === 'urgent' ? 'red' : c === 'rappel' ? 'orange' : 'blue'}>{isCategory(c) ? CATEGORY_LABELS[c] : c}</Tag>;

export function InboxPage(props: { ctx: PageCtx; rows: { id: string; subject: string; category: string; send_at: string; read_at: string | null }[] }) {
  return (
    <Layout ctx={props.ctx} title="Messages">
      <h1>Messages de la mairie</h1>
      <p>Les messages du service enfance, les plus récents d'abord. Ils restent ici même si vous ne recevez pas les courriels.</p>
      <p>
        <a href="/messages/courriels">Choisir les courriels que vous recevez</a>
      </p>
      {props.rows.length === 0 ? (
        <p class="empty">Aucun message pour le moment.</p>
      ) : (
        <ul class="inbox">
          {props.rows.map((m) => (
            <li class={`panel inbox__item${m.read_at ? '' : ' inbox__item--unread'}`}>
              <p>
                {m.read_at ? null : <Tag tone="blue">Non lu</Tag>} {categoryTag(m.category)}{' '}
                <a href={`/messages/${m.id}`}>{m.read_at ? m.subject : <strong>{m.subject}</strong>}</a>
              </p>
              <p class="hint">Reçu le {formatDateTime(m.send_at)}</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}

export function ReadPage(props: { ctx: PageCtx; message: { id: string; subject: string; body: string; category: string; send_at: string }; attachments: { id: string; filename: string; size_bytes: number }[] }) {
  const m = props.message;
  return (
    <Layout ctx={props.ctx} title={m.subject}>
      <p>
        <a href="/messages">Retour aux messages</a>
      </p>
      <h1>{m.subject}</h1>
      <p>
        {categoryTag(m.category)} <span class="hint">Reçu le {formatDateTime(m.send_at)}</span>
      </p>
      <MessageText body={m.body} />
      {props.attachments.length > 0 && (
        <>
          <h2>Pièces jointes</h2>
          <ul>
            {props.attachments.map((a) => (
              <li>
                <a href={`/messages/${m.id}/pieces/${a.id}`}>Télécharger {a.filename}</a> (PDF, {fileSize(a.size_bytes)})
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
