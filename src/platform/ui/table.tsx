import type { ComponentChildren } from 'preact';

/** Tables and their pagination (design system, split out of components.tsx, which re-exports them). */

export interface Column<T> {
  header: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  numeric?: boolean;
}

/** `foot`: one cell per column, a total line read after the rows (`<tfoot>`; its first cell is a row header). */
export function Table<T>(props: { caption: ComponentChildren; columns: Column<T>[]; rows: T[]; empty?: string; captionHidden?: boolean; foot?: ComponentChildren[] }) {
  if (props.rows.length === 0) return <p class="empty">{props.empty ?? 'Aucun élément.'}</p>;
  // On a phone a wide table scrolls inside its box (reflow at 320 px): the box takes the keyboard
  // focus so that it can be scrolled without a mouse (RGAA 7.3, axe « scrollable-region-focusable »).
  const label = typeof props.caption === 'string' ? props.caption : undefined;
  return (
    <div class="table-wrapper" tabindex={0} role={label ? 'region' : undefined} aria-label={label}>
      <table class="table">
        <caption class={props.captionHidden ? 'visually-hidden' : 'table__caption'}>{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th scope="col" class={c.numeric ? 'num' : undefined}>
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr>
              {props.columns.map((c) => (
                <td class={c.numeric ? 'num' : undefined}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
        {props.foot && (
          <tfoot>
            <tr>
              {props.foot.map((cell, i) =>
                i === 0 ? (
                  <th scope="row">{cell}</th>
                ) : (
                  <td class={props.columns[i]?.numeric ? 'num' : undefined}>{cell}</td>
                ),
              )}
            </tr>
          </tfoot>
        )}
      </table>
    </div>
  );
}

/** Page links keep the other query parameters (filters) as they are. */
export function Pagination(props: { page: number; pageSize: number; total: number; href: (page: number) => string }) {
  const pages = Math.max(1, Math.ceil(props.total / props.pageSize));
  if (pages <= 1) return null;
  const { page } = props;
  return (
    <nav class="pagination" aria-label="Pagination">
      <ul>
        {page > 1 && (
          <li>
            <a href={props.href(page - 1)} rel="prev">
              Précédente<span class="visually-hidden"> page</span>
            </a>
          </li>
        )}
        <li>
          <span aria-current="page">
            Page {page} sur {pages}
          </span>
        </li>
        {page < pages && (
          <li>
            <a href={props.href(page + 1)} rel="next">
              Suivante<span class="visually-hidden"> page</span>
            </a>
          </li>
        )}
      </ul>
    </nav>
  );
}
