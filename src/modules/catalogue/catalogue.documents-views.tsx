import { FormPage } from '../../platform/ui/form-page.tsx';
import { Choices } from '../../platform/ui/components.tsx';
import type { DocumentSubject } from '../../platform/db/schema-enrolment-documents.ts';
import { BASE, type FormProps, type Service } from './catalogue.view-parts.tsx';
import type { RequiredDocument } from './catalogue.documents.repository.ts';
import { SUBJECT_LABELS } from './catalogue.documents-service.ts';

/** The form's value of a type's choice, and what it means. */
export const SUBJECT_VALUES: Record<string, DocumentSubject | null> = { non: null, enfant: 'child', foyer: 'household' };
export const valueOfSubject = (s: DocumentSubject | null) => (s === 'child' ? 'enfant' : s === 'household' ? 'foyer' : 'non');
export const choiceField = (typeId: string) => `t_${typeId}`;
export const beforeField = (typeId: string) => `a_${typeId}`;

/** « Attestation d'assurance (pour tout le foyer), Carnet de vaccinations (pour l'enfant) » on the service page. */
export const requiredText = (required: RequiredDocument[]) => (required.length === 0 ? 'Aucune' : required.map((r) => `${r.label} (${SUBJECT_LABELS[r.subject]})`).join(', '));

/**
 * One question per document type: not asked, asked for the child, or for the whole household. Each carries
 * what the page showed, so that only the types the agent changed are written.
 */
export const RequiredDocumentsPage = (p: FormProps & { service: Service; types: { id: string; label: string }[]; required: RequiredDocument[] }) => (
  <FormPage
    ctx={p.ctx}
    title={`Pièces demandées à l'inscription – ${p.service.name}`}
    errors={p.errors}
    back={`${BASE}/prestations/${p.service.id}`}
    action={`${BASE}/prestations/${p.service.id}/pieces`}
    submit="Enregistrer"
    intro={<p>Les documents qu'une famille doit joindre pour inscrire un enfant à ce service. Elle peut reprendre ceux déjà valables dans ses documents ou en envoyer un nouveau. Les demandes déjà envoyées ne changent pas.</p>}
  >
    {p.types.map((t) => {
      const current = valueOfSubject(p.required.find((r) => r.type_id === t.id)?.subject ?? null);
      const chosen = p.values?.[choiceField(t.id)] ?? current;
      return (
        <>
          <input type="hidden" name={beforeField(t.id)} value={p.values?.[beforeField(t.id)] ?? current} />
          <Choices
            type="radio"
            inline
            name={choiceField(t.id)}
            label={t.label}
            options={[
              { value: 'non', label: 'Non demandé' },
              { value: 'enfant', label: 'Pour l\'enfant' },
              { value: 'foyer', label: 'Pour tout le foyer' },
            ]}
            selected={[chosen]}
            errors={p.errors}
          />
        </>
      );
    })}
  </FormPage>
);
