import { Layout, type PageCtx } from '../../platform/ui/layout.tsx';
import { Button, Choices, CsrfField, ErrorSummary, FileField, fieldId, Table, TextField, type FieldErrors, type FormValues } from '../../platform/ui/components.tsx';
import { formatDateLong } from '../../platform/format.ts';
import type { Answers } from './enrolments.service.ts';
import type { Carried, RequiredSlot, OfferedDoc } from './enrolments.documents-service.ts';
import { STATE_LABELS, docState } from './enrolments.documents.domain.ts';
import { STEP_URLS, stepUrl } from './enrolments.views.tsx';

/** The radio group of a required type on the pieces step, and the fields of its upload form. */
export const pieceField = (i: number) => `piece_${i}`;
export const uploadFieldName = (field: 'date' | 'fichier', i: number) => `${field}_${i}`;
export const MAX_REQUIRED = 10;

const whose = (d: OfferedDoc, childName: string) => (d.person_id ? childName : 'tout le foyer');
/** « Document du lundi 1 septembre 2026, pour tout le foyer – validé » */
export const docLabel = (d: OfferedDoc, childName: string, today: string) => `Document du ${formatDateLong(d.document_date)}, pour ${whose(d, childName)} – ${STATE_LABELS[docState(d, today)].toLowerCase()}`;

const sizeLabel = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024 / 1024))} Mo`;

/**
 * « Les pièces demandées »: for each type the service requires, the wallet's valid documents (one click to
 * reuse them), then, below, one small form per type to send a new one (a phone photo or a PDF) into the
 * wallet. The choices travel in the query string like the other answers.
 */
export function PiecesStepPage(props: { ctx: PageCtx; child: { first_name: string }; service: { name: string }; answers: Answers; slots: RequiredSlot[]; fromCheck: boolean; today: string; maxBytes: number; errors?: FieldErrors; values?: FormValues }) {
  const { answers, child, slots } = props;
  const errors = props.errors ?? {};
  const title = `Les documents demandés pour inscrire ${child.first_name}`;
  // The upload forms post to this page with the answers (and the documents already picked) in the address.
  const uploadAction = stepUrl('pieces', answers, props.fromCheck);
  return (
    <Layout ctx={props.ctx} title={title} hasErrors={Object.keys(errors).length > 0}>
      <p>
        <a href={props.fromCheck ? stepUrl('verifier', answers) : stepUrl('service', answers)}>Retour</a>
      </p>
      <ErrorSummary errors={errors} />
      <span class="hint">Inscrire un enfant à un service – documents demandés</span>
      <h1>{title}</h1>
      <p>
        {props.service.name} demande {slots.length === 1 ? 'ce document' : 'ces documents'}. Choisissez un document déjà envoyé s'il est encore valable, ou envoyez-en un nouveau plus bas : il sera aussi gardé dans « Mes documents ».
      </p>
      <form method="get" action={STEP_URLS.pieces} novalidate>
        {(['enfant', 'annee', 'service'] as const).map((k) => answers[k] && <input type="hidden" name={k} value={answers[k]} />)}
        {props.fromCheck && <input type="hidden" name="verifier" value="1" />}
        <input type="hidden" name="continuer" value="1" />
        {slots.map((slot, i) =>
          slot.offered.length === 0 ? (
            <div class="form-group">
              <h2>{slot.type.label}</h2>
              <p>
                Aucun document valable dans vos documents. <a href={`#${fieldId(uploadFieldName('fichier', i))}`}>Envoyez-le ci-dessous</a>.
              </p>
            </div>
          ) : (
            <Choices
              type="radio"
              name={pieceField(i)}
              label={slot.type.label}
              hint={slot.type.subject === 'child' ? `Pour ${child.first_name}.` : 'Pour tout le foyer (ou pour l\'enfant).'}
              options={slot.offered.map((d) => ({ value: d.id, label: docLabel(d, child.first_name, props.today) }))}
              selected={slot.chosen ? [slot.chosen.id] : []}
              errors={errors}
            />
          ),
        )}
        <Button>Continuer</Button>
      </form>
      <h2>Envoyer un nouveau document</h2>
      {slots.map((slot, i) => {
        const file = uploadFieldName('fichier', i);
        return (
          <form method="post" action={uploadAction} enctype="multipart/form-data" novalidate>
            {/* The fields come before the file: the server reads them first, then streams the file. */}
            <CsrfField token={props.ctx.csrf} />
            <input type="hidden" name="type" value={slot.type.type_id} />
            <fieldset class="fieldset">
              <legend class="fieldset__legend">{slot.type.label}</legend>
              <TextField name={uploadFieldName('date', i)} type="date" width="medium" label={`Date écrite sur le document (${slot.type.label.toLowerCase()})`} hint="Par exemple la date d'édition de l'attestation." errors={errors} values={props.values} />
              <FileField name={file} inputName="fichier" label={`Le document (${slot.type.label.toLowerCase()})`} hint={`Une photo (prise avec votre téléphone) ou un PDF, ${sizeLabel(props.maxBytes)} au maximum.`} errors={errors} />
              <Button variant="secondary">
                Envoyer ce document<span class="visually-hidden"> : {slot.type.label.toLowerCase()}</span>
              </Button>
            </fieldset>
          </form>
        );
      })}
    </Layout>
  );
}

/**
 * The agent's page of an enrolment's documents: each required type with the document that stands for it,
 * its state, and the links to the document page (audited viewer, validate or refuse) and to the file.
 */
export function AgentPiecesPage(props: { ctx: PageCtx; request: { id: string; reference: string; summary: string }; carried: Carried[] }) {
  const { request } = props;
  const title = `Pièces justificatives – demande ${request.reference}`;
  return (
    <Layout ctx={props.ctx} title={title}>
      <p>
        <a href={`/agent/demandes/${request.id}`}>Retour à la demande</a>
      </p>
      <h1>{title}</h1>
      <p>{request.summary}</p>
      <p>L'inscription ne peut être acceptée qu'une fois chaque document validé. Ouvrez un document pour le lire, puis le valider ou le refuser avec un motif que la famille lira.</p>
      <Table
        caption="Documents joints à la demande"
        rows={props.carried}
        empty="Aucun document n'était demandé pour ce service quand la famille a envoyé sa demande."
        columns={[
          { header: 'Pièce', cell: (c) => c.typeLabel },
          { header: 'Document', cell: (c) => (c.doc ? `Du ${formatDateLong(c.doc.document_date)}${c.replaced ? ' (remplacé par la famille)' : ''}` : 'Plus disponible') },
          { header: 'État', cell: (c) => <>{STATE_LABELS[c.state]}{c.state === 'refused' && c.refusal ? ` : ${c.refusal}` : ''}</> },
          {
            header: 'Actions',
            cell: (c) =>
              c.doc && (
                <>
                  <a href={`/agent/documents/${c.doc.id}`}>
                    {c.state === 'pending' ? 'Vérifier' : 'Voir'}<span class="visually-hidden"> {c.typeLabel.toLowerCase()}</span>
                  </a>
                  {' · '}
                  <a href={`/agent/documents/${c.doc.id}/fichier`}>
                    Télécharger<span class="visually-hidden"> {c.typeLabel.toLowerCase()}</span>
                  </a>
                </>
              ),
          },
        ]}
      />
    </Layout>
  );
}
