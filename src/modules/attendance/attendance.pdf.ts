import { renderPdf, type Pdf } from '../../platform/pdf/pdf.ts';
import { dayLabel } from '../../platform/calendar/calendar.domain.ts';
import { DIETS } from '../households/households.domain.ts';
import type { KitchenUnit } from './attendance.domain.ts';

function header(doc: Pdf, town: string, title: string, subtitle: string) {
  doc.font('Helvetica-Bold').fontSize(14).text(town);
  doc.font('Helvetica').fontSize(10).text('Portail famille');
  doc.moveDown();
  doc.font('Helvetica-Bold').fontSize(16).text(title);
  doc.font('Helvetica').fontSize(11).text(subtitle);
  doc.moveDown();
}

interface Column {
  header: string;
  width: number;
  box?: boolean;
}

const ROW = 22;

/** A table drawn line by line; the header row is repeated at the top of each new page. */
function table(doc: Pdf, columns: Column[], rows: string[][]) {
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const drawRow = (cells: string[], bold: boolean) => {
    if (doc.y + ROW > bottom()) doc.addPage();
    const y = doc.y;
    let x = left;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    columns.forEach((c, i) => {
      doc.rect(x, y, c.width, ROW).lineWidth(0.5).stroke();
      if (c.box && !bold) doc.rect(x + c.width / 2 - 6, y + ROW / 2 - 6, 12, 12).lineWidth(1).stroke();
      else doc.text(cells[i] ?? '', x + 4, y + 7, { width: c.width - 8, height: ROW - 8, ellipsis: true, align: c.box ? 'center' : 'left' });
      x += c.width;
    });
    doc.x = left;
    doc.y = y + ROW;
  };
  drawRow(columns.map((c) => c.header), true);
  for (const r of rows) {
    if (doc.y + ROW > bottom()) {
      doc.addPage();
      drawRow(columns.map((c) => c.header), true);
    }
    drawRow(r, false);
  }
}

export interface SheetRow {
  unitLabel: string;
  firstName: string;
  lastName: string;
  classLevel: string | null;
  diet: string;
  pai: boolean;
  allergy: boolean;
}

/** Attendance sheet: per unit, a table of the expected children with empty boxes to tick (alerts only, no health details). */
export function attendanceSheet(town: string, group: string, day: string, rows: SheetRow[]) {
  return renderPdf({ title: `Feuille de présence – ${group} – ${day}`, author: town }, (doc) => {
    header(doc, town, 'Feuille de présence', `${group} – ${dayLabel(day, true)}`);
    const units = [...new Set(rows.map((r) => r.unitLabel))];
    if (units.length === 0) doc.font('Helvetica').fontSize(11).text('Aucun enfant attendu.');
    const columns: Column[] = [
      { header: 'Nom', width: 110 },
      { header: 'Prénom', width: 95 },
      { header: 'Classe', width: 50 },
      { header: 'Régime, alerte', width: 128 },
      { header: 'Présent', width: 50, box: true },
      { header: 'Absent', width: 50, box: true },
    ];
    for (const unit of units) {
      const list = rows.filter((x) => x.unitLabel === unit);
      if (doc.y + 3 * ROW > doc.page.height - doc.page.margins.bottom) doc.addPage();
      doc.font('Helvetica-Bold').fontSize(12).text(`${unit} (${list.length} enfant${list.length > 1 ? 's' : ''} attendu${list.length > 1 ? 's' : ''})`);
      doc.moveDown(0.3);
      table(
        doc,
        columns,
        list.map((r) => [
          r.lastName.toUpperCase(),
          r.firstName,
          r.classLevel ?? '',
          [r.pai ? 'PAI' : '', r.allergy ? 'Allergie' : '', r.diet !== 'standard' ? (DIETS[r.diet as keyof typeof DIETS] ?? r.diet) : ''].filter(Boolean).join(', '),
          '',
          '',
        ]),
      );
      doc.moveDown();
    }
    doc.font('Helvetica').fontSize(10).text('Enfants venus sans réservation : à ajouter sur le portail (Pointage).');
    doc.moveDown();
    doc.text('Pointé par : ........................................   Signature : ....................................');
  });
}

/** The kitchen's count, to pin on the wall: meals per diet, no names. */
export function kitchenSheet(town: string, facility: string, day: string, units: KitchenUnit[]) {
  return renderPdf({ title: `Repas – ${facility} – ${day}`, author: town }, (doc) => {
    header(doc, town, 'Repas à préparer', `${facility} – ${dayLabel(day, true)}`);
    if (units.length === 0) doc.font('Helvetica').fontSize(11).text('Aucun repas réservé.');
    for (const u of units) {
      doc.font('Helvetica-Bold').fontSize(12).text(`${u.label} : ${u.total} repas`);
      doc.moveDown(0.3);
      table(doc, [{ header: 'Régime', width: 300 }, { header: 'Repas', width: 80 }], [...u.byDiet.map((d) => [d.label, String(d.meals)]), ['Total', String(u.total)], ...(u.pai ? [['Dont enfants avec PAI', String(u.pai)]] : [])]);
      doc.moveDown();
    }
    doc.font('Helvetica').fontSize(9).text('Compte : réservations du jour, moins les absences déjà pointées ou signalées, plus les enfants présents sans réservation.');
  });
}
