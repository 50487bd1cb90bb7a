import { Button, Choices, CsrfField, Select, TextArea, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong } from '../../platform/format.ts';
import { MESSAGE_MAX } from './requests.domain.ts';
import { FileField, fileHint } from './requests.files-views.tsx';
import type { RequestDocumentRow } from './requests.documents.repository.ts';

/** Pieces of the request page about wallet documents joined to a complement answer. */

const DOCUMENT_STATUS: Record<string, string> = { pending: 'à vérifier', validated: 'validé', refused: 'refusé' };

/** The documents joined at one moment (a message, or the timeline's step): the family downloads, the agent opens the document's page (audited). */
export function JoinedDocuments(props: { documents: RequestDocumentRow[]; audience: 'family' | 'agent' }) {
  if (props.documents.length === 0) return null;
  return (
    <ul class="attachments">
      {props.documents.map((d) => (
        <li>
          {props.audience === 'family' ? (
            <a href={`/documents/${d.document_id}/fichier`} download>
              Télécharger {d.type_label} du {formatDateLong(d.document_date)}
            </a>
          ) : (
            <a href={`/agent/documents/${d.document_id}`}>
              Voir le document : {d.type_label} du {formatDateLong(d.document_date)}
            </a>
          )}{' '}
          <span class="hint">({DOCUMENT_STATUS[d.status] ?? 'document'})</span>
        </li>
      ))}
    </ul>
  );
}

export interface AnswerFormData {
  choices: { id: string; status: string; document_date: string; type_label: string }[];
  types: { id: string; label: string }[];
  expectedType: string | null;
}

/**
 * The family's answer: a text, and/or a document of the wallet, or a new one (photo or PDF) that
 * joins the wallet. The fields come before the file: the server checks them before reading it.
 */
export function AnswerForm(props: { action: string; csrf: string; data: AnswerFormData; maxBytes: number; errors: FieldErrors; values: FormValues }) {
  const { data, errors, values } = props;
  const chosen = values.document ?? '';
  return (
    <form method="post" action={props.action} enctype="multipart/form-data" novalidate>
      <CsrfField token={props.csrf} />
      <TextArea name="reponse" label="Votre réponse" hint={`${MESSAGE_MAX} caractères au maximum. Facultatif si vous joignez le document demandé.`} errors={errors} values={values} rows={5} />
      {data.choices.length > 0 && (
        <Choices
          type="radio"
          name="document"
          label="Joindre un document déjà envoyé"
          hint="Vos documents encore valables ou en cours de vérification."
          options={[{ value: '', label: 'Aucun' }, ...data.choices.map((c) => ({ value: c.id, label: `${c.type_label} du ${formatDateLong(c.document_date)} (${DOCUMENT_STATUS[c.status] ?? ''})` }))]}
          selected={[chosen]}
          errors={errors}
        />
      )}
      <fieldset class="fieldset">
        <legend class="fieldset__legend">{data.choices.length > 0 ? 'Ou envoyer un nouveau document' : 'Joindre un nouveau document'}</legend>
        <p class="hint">Il est aussi ajouté à « Mes documents ».</p>
        <Select name="type_document" label="Type de document" options={data.types.map((t) => ({ value: t.id, label: t.label }))} errors={errors} values={{ type_document: values.type_document ?? data.expectedType ?? data.types[0]?.id }} />
        <TextField name="date_document" type="date" width="medium" label="Date écrite sur le document" hint="Par exemple la date de l'attestation." errors={errors} values={values} />
        <FileField name="fichier" label="Photo ou PDF du document" hint={fileHint(props.maxBytes, true)} errors={errors} />
      </fieldset>
      <Button variant="primary">Envoyer ma réponse</Button>
    </form>
  );
}
