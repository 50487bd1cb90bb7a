import { NotificationBanner } from '../../platform/ui/components.tsx';
import type { MissingEnrolment } from './enrolments.service.ts';
import { missingText } from './enrolments.outcomes.ts';
import { stepUrl } from './enrolments.views.tsx';

/**
 * On the family's calendar: why a service is missing for a child (« Léa n'est inscrite à aucun accueil du
 * mercredi. ») and the enrolment flow prefilled for that child, year and, when only one offers it, service.
 * Nothing when every service offered to the children is already had or asked for.
 */
export function MissingEnrolments(props: { missing: readonly MissingEnrolment[] | undefined }) {
  const missing = props.missing ?? [];
  if (missing.length === 0) return null;
  return (
    <NotificationBanner kind="info" title="Services auxquels vos enfants ne sont pas inscrits">
      <ul>
        {missing.map((m) => {
          const words = missingText(m.child.first_name, m.child.sex, m.kind);
          return (
            <li>
              {words.why} <a href={stepUrl('service', { enfant: m.child.id, annee: m.yearId, service: m.serviceId ?? undefined })}>{words.link}</a>
            </li>
          );
        })}
      </ul>
    </NotificationBanner>
  );
}
