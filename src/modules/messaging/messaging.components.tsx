import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { paragraphsOf } from './messaging.domain.ts';

/**
 * A message body as written: paragraphs, line breaks kept, web addresses as links. Everything is text
 * rendered by Preact (escaped): an agent cannot put HTML in a message.
 */
export function MessageText({ body }: { body: string }) {
  return (
    <div class="message-text">
      {paragraphsOf(body).map((lines) => (
        <p>
          {lines.map((pieces, i) => (
            <>
              {i > 0 && <br />}
              {pieces.map((piece) =>
                'href' in piece ? (
                  <a href={piece.href} rel="noopener noreferrer nofollow">
                    {piece.href}
                  </a>
                ) : (
                  piece.text
                ),
              )}
            </>
          ))}
        </p>
      ))}
    </div>
  );
}

/** « 1,2 Mo », « 340 ko ». */
export const fileSize = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1).replace('.', ',')} Mo` : `${Math.max(1, Math.round(bytes / 1024))} ko`);

export interface NewsItem {
  id: string;
  kind: string;
  title: string;
  body: string;
  starts_on: string;
  ends_on: string;
}

/** The town's current news and menus (public home page, family home), each with its dates. */
export function NewsList({ items, headingLevel = 2 }: { items: NewsItem[]; headingLevel?: 2 | 3 }) {
  if (items.length === 0) return null;
  const H = headingLevel === 2 ? 'h2' : 'h3';
  const Item = headingLevel === 2 ? 'h3' : 'h4';
  return (
    <section class="news" aria-labelledby="actualites">
      <H id="actualites">Actualités et menus</H>
      {items.map((n) => (
        <article class="panel">
          <Item>
            {n.kind === 'menu' ? 'Menu : ' : ''}
            {n.title}
          </Item>
          <p class="hint">{n.starts_on === n.ends_on ? `Le ${dayLabel(n.starts_on, true)}` : `Du ${dayLabel(n.starts_on, true)} au ${dayLabel(n.ends_on, true)}`}</p>
          <MessageText body={n.body} />
        </article>
      ))}
    </section>
  );
}
