import { renderPdf, type Pdf } from '../../platform/pdf/pdf.ts';
import { formatDateLong } from '../../platform/format.ts';
import { KIND_TITLES, periodText } from './certificates.outcomes.ts';
import type { CertificateKind } from './certificates.domain.ts';

type Struct = ReturnType<Pdf['struct']>;

export interface CertificateForPdf {
  kind: CertificateKind;
  number: string;
  code: string;
  issuedAt: Date;
  period: { start: string; end: string };
  town: { name: string; address: string | undefined; siret: string; signatory: string };
  holder: { name: string; address: string; reference: string };
  /** Sentences before the table (who, what). */
  intro: string[];
  table: { headers: string[]; widths: number[]; rightFrom: number; rows: string[][] } | null;
  /** Sentences after the table (totals, exclusions, legal reference). */
  outro: string[];
  verifyUrl: string;
}

/**
 * A certificate as a tagged PDF (the invoice's pattern: Document, H1/H2, P, a real Table, borders as
 * artefacts, French language, title displayed). Each one carries its number and its verification code
 * with the address of the public page that confirms them.
 */
export function certificatePdf(c: CertificateForPdf): Promise<Buffer> {
  return renderPdf({ title: `${KIND_TITLES[c.kind]} ${c.number}`, author: c.town.name }, (doc) => {
    const root = doc.struct('Document');
    doc.addStructure(root);
    const para = (text: string, font = 'Helvetica', size = 10, tag = 'P') => root.add(doc.struct(tag, {}, () => doc.font(font).fontSize(size).text(text)));

    para(c.town.name, 'Helvetica-Bold', 12);
    para([c.town.address, `SIRET ${c.town.siret}`].filter(Boolean).join('\n'), 'Helvetica', 9);
    doc.moveDown();
    para(KIND_TITLES[c.kind], 'Helvetica-Bold', 16, 'H1');
    para(`Attestation n° ${c.number}, établie le ${formatDateLong(c.issuedAt)}. Période : ${periodText(c.period.start, c.period.end)}.`);
    para(`Foyer ${c.holder.reference} – ${c.holder.name}\n${c.holder.address}`);
    doc.moveDown();
    for (const line of c.intro) para(line);
    if (c.table) {
      doc.moveDown();
      table(doc, root, c.table);
    }
    doc.moveDown();
    for (const line of c.outro) para(line);
    doc.moveDown();
    para(`Fait pour servir et valoir ce que de droit. ${c.town.signatory}, ${c.town.name}.`);
    doc.moveDown();
    para('Vérifier cette attestation', 'Helvetica-Bold', 12, 'H2');
    para(`Numéro : ${c.number}`, 'Helvetica-Bold', 11);
    para(`Code de vérification : ${c.code}`, 'Helvetica-Bold', 11);
    para(`Toute personne qui reçoit cette attestation peut la vérifier sur ${c.verifyUrl} avec ce numéro et ce code.`, 'Helvetica', 9);
    root.end();
  });
}

function table(doc: Pdf, root: Struct, spec: NonNullable<CertificateForPdf['table']>) {
  const t = doc.struct('Table');
  root.add(t);
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const heightOf = (cells: string[]) => Math.max(18, ...cells.map((cell, i) => doc.font('Helvetica').fontSize(9).heightOfString(cell, { width: spec.widths[i] - 6 }) + 8));
  const drawRow = (cells: string[], header: boolean) => {
    const h = heightOf(cells);
    if (doc.y + h > bottom()) doc.addPage();
    const y = doc.y;
    const tr = doc.struct('TR');
    t.add(tr);
    let x = left;
    spec.widths.forEach((w, i) => {
      doc.markContent('Artifact', { type: 'Layout' });
      doc.rect(x, y, w, h).lineWidth(0.5).stroke();
      doc.endMarkedContent();
      const cx = x;
      tr.add(doc.struct(header ? 'TH' : 'TD', {}, () => doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).text(cells[i] ?? '', cx + 3, y + 4, { width: w - 6, align: i >= spec.rightFrom ? 'right' : 'left' })));
      x += w;
    });
    tr.end();
    doc.x = left;
    doc.y = y + h;
  };
  drawRow(spec.headers, true);
  for (const r of spec.rows) {
    if (doc.y + heightOf(r) > bottom()) {
      doc.addPage();
      drawRow(spec.headers, true);
    }
    drawRow(r, false);
  }
  t.end();
}
