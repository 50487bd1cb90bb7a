import { renderPdf, type Pdf } from '../../platform/pdf/pdf.ts';
import { formatDateLong } from '../../platform/format.ts';

export interface LetterRecipient {
  firstName: string;
  lastName: string;
  code: string;
  expiresAt: Date;
  addressLines?: string[];
}

/** One page per guardian, ready to print and post: the code, where to type it, until when, and who to ask. */
export function activationLetters(town: string, publicUrl: string, recipients: LetterRecipient[], today: Date): Promise<Buffer> {
  return renderPdf({ title: `Codes d'activation du portail famille – ${town}`, author: town }, (doc) => {
    recipients.forEach((r, i) => {
      if (i > 0) doc.addPage();
      letter(doc, town, publicUrl, r, today);
    });
  });
}

function letter(doc: Pdf, town: string, publicUrl: string, r: LetterRecipient, today: Date) {
  doc.font('Helvetica-Bold').fontSize(14).text(town);
  doc.font('Helvetica').fontSize(10).text('Service enfance – Portail famille');
  doc.moveDown(2);
  doc.fontSize(11).text(`${r.firstName} ${r.lastName}`, { align: 'right' });
  for (const line of r.addressLines ?? []) doc.text(line, { align: 'right' });
  doc.moveDown();
  doc.text(`Le ${formatDateLong(today)}`, { align: 'right' });
  doc.moveDown(2);
  doc.font('Helvetica-Bold').fontSize(13).text('Objet : votre code d\'activation du portail famille');
  doc.moveDown();
  doc.font('Helvetica').fontSize(11).text(`Bonjour ${r.firstName} ${r.lastName},`);
  doc.moveDown();
  doc.text(
    'La mairie a créé votre compte sur le portail famille. Vous pourrez y inscrire vos enfants, réserver la cantine et l\'accueil périscolaire, et payer vos factures, à toute heure.',
  );
  doc.moveDown();
  doc.text('Votre code d\'activation :');
  doc.moveDown(0.5);
  doc.font('Courier-Bold').fontSize(24).text(r.code, { align: 'center' });
  doc.moveDown(0.5);
  doc.font('Helvetica').fontSize(11);
  doc.text('Pour activer votre compte :');
  doc.list([`allez sur ${publicUrl}/activation`, 'saisissez le code ci-dessus', 'indiquez votre adresse électronique et choisissez votre mot de passe.'], { bulletRadius: 2, textIndent: 10 });
  doc.moveDown();
  doc.text(`Ce code ne sert qu'une fois et fonctionne jusqu'au ${formatDateLong(r.expiresAt)}.`);
  doc.moveDown();
  doc.text(
    'Vous préférez venir en mairie ? L\'accueil du service enfance continue de vous recevoir et peut faire ces démarches avec vous. Gardez ce courrier : il contient un code personnel, ne le communiquez à personne.',
  );
}
