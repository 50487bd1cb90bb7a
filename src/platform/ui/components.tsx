import type { ComponentChildren, JSX } from 'preact';
import type { TownContact } from '../../config.ts';
import { formatPhone } from '../format.ts';

/**
 * The design system: small accessible components after the GOV.UK Design System.
 * Labels above fields, hints under labels, errors linked to their field and listed in a summary.
 */

export type FieldErrors = Record<string, string>;
export type FormValues = Record<string, string | undefined>;

/** Hidden CSRF field: every state-changing form carries it. */
export const CsrfField = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;

export function PostForm(props: { action: string; csrf: string; children: ComponentChildren; class?: string; novalidate?: boolean }) {
  return (
    <form method="post" action={props.action} class={props.class} novalidate={props.novalidate ?? true}>
      <CsrfField token={props.csrf} />
      {props.children}
    </form>
  );
}

export function Button(props: { children: ComponentChildren; variant?: 'primary' | 'secondary' | 'warning' | 'link'; type?: 'submit' | 'button'; name?: string; value?: string }) {
  return (
    <button type={props.type ?? 'submit'} class={`btn btn--${props.variant ?? 'primary'}`} name={props.name} value={props.value}>
      {props.children}
    </button>
  );
}

/** `only`: shown on phones (`narrow`) or on wider screens (`wide`) only, e.g. the week view or the month. */
export const ButtonLink = (props: { href: string; children: ComponentChildren; variant?: 'primary' | 'secondary'; only?: 'narrow' | 'wide' }) => (
  <a href={props.href} class={`btn btn--${props.variant ?? 'secondary'}${props.only ? ` only-${props.only}` : ''}`}>
    {props.children}
  </a>
);

/** Error summary: listed at the top, each message links to its field (focused by the client script). */
export function ErrorSummary({ errors }: { errors: FieldErrors }) {
  const entries = Object.entries(errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} data-module="error-summary" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" class="error-summary__title">Il y a un problème</h2>
      <ul class="error-summary__list">
        {entries.map(([field, message]) => (
          <li>
            <a href={`#${fieldId(field)}`}>{message}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

export const fieldId = (name: string) => `f-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

interface FieldProps {
  name: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
  errors?: FieldErrors;
  values?: FormValues;
  /** Page heading as label (one-question pages). */
  labelAsHeading?: boolean;
}

function FieldShell(props: FieldProps & { children: ComponentChildren; id: string }) {
  const error = props.errors?.[props.name];
  const label = (
    <label class="label" for={props.id}>
      {props.label}
    </label>
  );
  return (
    <div class={`form-group${error ? ' form-group--error' : ''}`}>
      {props.labelAsHeading ? <h1 class="label-wrapper">{label}</h1> : label}
      {props.hint && (
        <div id={`${props.id}-hint`} class="hint">
          {props.hint}
        </div>
      )}
      {error && (
        <p id={`${props.id}-error`} class="error-message">
          <span class="visually-hidden">Erreur :</span> {error}
        </p>
      )}
      {props.children}
    </div>
  );
}

const describedBy = (id: string, props: FieldProps) =>
  [props.hint ? `${id}-hint` : '', props.errors?.[props.name] ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

/** What a document upload accepts: a phone photo or a PDF (the server checks the real type from the bytes). */
const DOCUMENT_FILES = 'image/jpeg,image/png,image/webp,application/pdf';

/**
 * A file input with its label, hint and error. `inputName`: the name posted when it differs from the
 * field's key (several upload forms on one page, each with its own id and error, all posting « fichier »).
 * A form puts it last: the server reads the other fields first, then streams the file.
 */
export function FileField(props: FieldProps & { accept?: string; inputName?: string }) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  return (
    <FieldShell {...props} id={id}>
      <input class={`file-upload${error ? ' input--error' : ''}`} id={id} name={props.inputName ?? props.name} type="file" accept={props.accept ?? DOCUMENT_FILES} aria-describedby={describedBy(id, props)} />
    </FieldShell>
  );
}

export function TextField(
  props: FieldProps & {
    type?: 'text' | 'email' | 'password' | 'tel' | 'date' | 'number' | 'search';
    autocomplete?: string;
    width?: 'full' | 'medium' | 'short';
    inputmode?: 'numeric' | 'text' | 'email' | 'tel';
    spellcheck?: boolean;
    value?: string;
  },
) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  // A password is never sent back to the browser.
  const value = props.type === 'password' ? undefined : props.value ?? props.values?.[props.name];
  return (
    <FieldShell {...props} id={id}>
      <input
        class={`input input--${props.width ?? 'full'}${error ? ' input--error' : ''}`}
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={value}
        autocomplete={props.autocomplete}
        inputMode={props.inputmode}
        spellcheck={props.spellcheck}
        aria-describedby={describedBy(id, props)}
        aria-invalid={error ? 'true' : undefined}
      />
    </FieldShell>
  );
}

export function TextArea(props: FieldProps & { rows?: number }) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  return (
    <FieldShell {...props} id={id}>
      <textarea class={`textarea${error ? ' input--error' : ''}`} id={id} name={props.name} rows={props.rows ?? 4} aria-describedby={describedBy(id, props)} aria-invalid={error ? 'true' : undefined}>
        {props.values?.[props.name] ?? ''}
      </textarea>
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: ComponentChildren;
  hint?: ComponentChildren;
}

export function Select(props: FieldProps & { options: Option[]; placeholder?: string }) {
  const id = fieldId(props.name);
  const current = props.values?.[props.name] ?? '';
  const error = props.errors?.[props.name];
  return (
    <FieldShell {...props} id={id}>
      <select class={`select${error ? ' input--error' : ''}`} id={id} name={props.name} aria-describedby={describedBy(id, props)} aria-invalid={error ? 'true' : undefined}>
        {props.placeholder !== undefined && <option value="">{props.placeholder}</option>}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === current}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldShell>
  );
}

/** Radios or checkboxes in a fieldset whose legend asks the question. */
export function Choices(
  props: Omit<FieldProps, 'values'> & { type: 'radio' | 'checkbox'; options: Option[]; selected?: string[]; legendAsHeading?: boolean; inline?: boolean },
) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  const selected = new Set(props.selected ?? []);
  const legend = props.legendAsHeading ? (
    <legend class="fieldset__legend fieldset__legend--l">
      <h1 class="fieldset__heading">{props.label}</h1>
    </legend>
  ) : (
    <legend class="fieldset__legend">{props.label}</legend>
  );
  return (
    <div class={`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset class="fieldset" aria-describedby={describedBy(id, props)}>
        {legend}
        {props.hint && (
          <div id={`${id}-hint`} class="hint">
            {props.hint}
          </div>
        )}
        {error && (
          <p id={`${id}-error`} class="error-message">
            <span class="visually-hidden">Erreur :</span> {error}
          </p>
        )}
        <div class={`choices${props.inline ? ' choices--inline' : ''}`}>
          {props.options.map((o, i) => {
            // The first option carries the group's id so the error summary link lands on it.
            const optionId = i === 0 ? id : `${id}-${i}`;
            return (
              <div class="choice">
                <input class="choice__input" id={optionId} name={props.name} type={props.type} value={o.value} checked={selected.has(o.value)} />
                <label class="choice__label" for={optionId}>
                  {o.label}
                </label>
                {o.hint && <div class="hint choice__hint">{o.hint}</div>}
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

/** Date as three fields (jour, mois, année), as the GOV.UK pattern recommends for known dates such as a birth date. */
export function DateField(props: FieldProps & { autocompletePrefix?: 'bday' }) {
  const id = fieldId(props.name);
  const error = props.errors?.[props.name];
  const v = props.values ?? {};
  const part = (suffix: 'jour' | 'mois' | 'annee', label: string, width: string, ac?: string) => {
    // The day field carries the group's id so the error summary link lands on it.
    const inputId = suffix === 'jour' ? id : `${id}-${suffix}`;
    return (
    <div class="date-input__item">
      <label class="label" for={inputId}>
        {label}
      </label>
      <input
        class={`input ${width}${error ? ' input--error' : ''}`}
        id={inputId}
        name={`${props.name}_${suffix}`}
        type="text"
        inputMode="numeric"
        value={v[`${props.name}_${suffix}`]}
        autocomplete={ac}
      />
    </div>
    );
  };
  const ac = props.autocompletePrefix;
  return (
    <div class={`form-group${error ? ' form-group--error' : ''}`}>
      <fieldset class="fieldset" role="group" aria-describedby={describedBy(id, props)}>
        <legend class="fieldset__legend">{props.label}</legend>
        {props.hint && (
          <div id={`${id}-hint`} class="hint">
            {props.hint}
          </div>
        )}
        {error && (
          <p id={`${id}-error`} class="error-message">
            <span class="visually-hidden">Erreur :</span> {error}
          </p>
        )}
        <div class="date-input">
          {part('jour', 'Jour', 'input--2ch', ac && `${ac}-day`)}
          {part('mois', 'Mois', 'input--2ch', ac && `${ac}-month`)}
          {part('annee', 'Année', 'input--4ch', ac && `${ac}-year`)}
        </div>
      </fieldset>
    </div>
  );
}

export function NotificationBanner(props: { kind?: 'info' | 'success' | 'warning'; title?: string; children: ComponentChildren }) {
  const kind = props.kind ?? 'info';
  const title = props.title ?? (kind === 'success' ? 'C\'est fait' : kind === 'warning' ? 'Attention' : 'Information');
  return (
    <div class={`banner banner--${kind}`} role={kind === 'success' ? 'status' : 'region'} aria-label={kind === 'success' ? undefined : title}>
      <p class="banner__title">{title}</p>
      <div class="banner__content">{props.children}</div>
    </div>
  );
}

// Tables live in table.tsx; re-exported so that every view keeps importing from here.
export { Pagination, Table, type Column } from './table.tsx';

export const Tag = (props: { children: ComponentChildren; tone?: 'grey' | 'green' | 'red' | 'orange' | 'blue' }) => (
  <strong class={`tag tag--${props.tone ?? 'grey'}`}>{props.children}</strong>
);

export function SummaryList(props: { rows: { key: ComponentChildren; value: ComponentChildren; action?: JSX.Element }[] }) {
  return (
    <dl class="summary-list">
      {props.rows.map((r) => (
        <div class="summary-list__row">
          <dt class="summary-list__key">{r.key}</dt>
          <dd class="summary-list__value">{r.value}</dd>
          {r.action && <dd class="summary-list__actions">{r.action}</dd>}
        </div>
      ))}
    </dl>
  );
}

/**
 * The town's counter (address, phone, opening hours) from configuration; an item not configured is
 * left out, and nothing at all is shown when none is. The phone is a tel: link, spaced by pairs.
 */
export function TownContactDetails(props: { contact: TownContact; class?: string }) {
  const { address, phone, counterHours } = props.contact;
  if (!address && !phone && !counterHours) return null;
  return (
    <dl class={`contact${props.class ? ` ${props.class}` : ''}`}>
      {address && (
        <div>
          <dt>Adresse de l'accueil</dt>
          <dd>{address}</dd>
        </div>
      )}
      {phone && (
        <div>
          <dt>Téléphone</dt>
          <dd>
            <a href={`tel:${phone.replace(/[^\d+]/g, '')}`}>{formatPhone(phone)}</a>
          </dd>
        </div>
      )}
      {counterHours && (
        <div>
          <dt>Horaires d'ouverture</dt>
          <dd>{counterHours}</dd>
        </div>
      )}
    </dl>
  );
}
