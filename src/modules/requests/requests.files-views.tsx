import type { AttachmentRow } from './requests.tracking.repository.ts';

/** Pieces of the request pages about files: the file input of a form, and the links to a request's files. */

const sizeLabel = (bytes: number) => `${Math.max(1, Math.round(bytes / 1024 / 1024))} Mo`;
const fileSize = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} Ko` : `${(Math.round((bytes / 1024 / 1024) * 10) / 10).toString().replace('.', ',')} Mo`);
const KINDS: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'photo', 'image/png': 'image', 'image/webp': 'image' };

export { FileField } from '../../platform/ui/components.tsx';

/** « Une photo ou un PDF, 10 Mo au maximum. » */
export const fileHint = (maxBytes: number, optional: boolean) => `${optional ? 'Facultatif. ' : ''}Une photo (prise avec votre téléphone) ou un PDF, ${sizeLabel(maxBytes)} au maximum.`;

/** The links to a request's files; `base` is the request's page. */
export function AttachmentLinks(props: { attachments: AttachmentRow[]; base: string }) {
  if (props.attachments.length === 0) return null;
  return (
    <ul class="attachments">
      {props.attachments.map((a) => (
        <li>
          <a href={`${props.base}/pieces/${a.id}`} download>
            Télécharger {a.original_name}
          </a>{' '}
          <span class="hint">
            ({KINDS[a.media_type] ?? 'fichier'}, {fileSize(a.byte_size)})
          </span>
        </li>
      ))}
    </ul>
  );
}

