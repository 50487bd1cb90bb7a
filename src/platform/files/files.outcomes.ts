/** Why a file is refused, and what the person reads (with the next step). */
export const FILE_REFUSALS = {
  empty: 'Le fichier envoyé est vide. Choisissez de nouveau le document ou reprenez la photo.',
  too_large: 'Le fichier dépasse la taille autorisée ({max}). Prenez une photo moins lourde ou envoyez un PDF plus léger.',
  unknown_type: 'Ce type de fichier n\'est pas accepté. Envoyez une photo (JPEG, PNG ou WebP) ou un PDF.',
  markup: 'Ce fichier est une page web ou un dessin SVG, pas un PDF ni une photo. Enregistrez le document en PDF ou prenez-le en photo, puis recommencez.',
  heic: 'Les photos au format HEIC (iPhone) ne sont pas acceptées. Dans les réglages de l\'appareil photo, choisissez « Le plus compatible » (JPEG), ou envoyez le document en PDF.',
  polyglot: 'Ce fichier contient autre chose qu\'une image ou un PDF (du code de page web par exemple) et a été refusé. Enregistrez de nouveau le document en PDF ou reprenez la photo.',
  active_pdf: 'Ce PDF contient des scripts ou des pièces jointes et a été refusé. Imprimez-le en PDF (« Enregistrer au format PDF ») ou prenez-le en photo, puis recommencez.',
  truncated: 'Le fichier est arrivé incomplet (l\'envoi a peut-être été interrompu). Recommencez l\'envoi.',
  malformed: 'Le fichier envoyé n\'a pas pu être lu. Choisissez de nouveau le document et recommencez.',
} as const;
export type FileRefusal = keyof typeof FILE_REFUSALS;

/** The French message of a refusal, with the size limit written out (« 10 Mo »). */
export function refusalMessage(code: FileRefusal, maxBytes: number): string {
  return FILE_REFUSALS[code].replace('{max}', `${Math.round((maxBytes / 1024 / 1024) * 10) / 10} Mo`.replace('.', ','));
}

/** A stored file that cannot be given back (altered on disk, or removed). */
export const FILE_UNREADABLE = 'Ce fichier est endommagé et ne peut pas être ouvert. Demandez à la famille de l\'envoyer de nouveau.';
