import { renderPdf, type Pdf } from '../../platform/pdf/pdf.ts';
import { dayLabel } from '../catalogue/calendar.domain.ts';
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

/** Attendance sheet: one line per expected child with boxes to tick, by unit. */
export function attendanceSheet(town: string, group: string, day: string, rows: { unitLabel: string; firstName: string; lastName: string; classLevel: string | null; diet: string; pai: boolean; allergy: boolean }[]) {
  return renderPdf({ title: `Feuille de présence – ${group} – ${day}`, author: town }, (doc) => {
    header(doc, town, 'Feuille de présence', `${group} – ${dayLabel(day, true)}`);
    const units = [...new Set(rows.map((r) => r.unitLabel))];
    if (units.length === 0) doc.text('Aucun enfant attendu.');
    for (const unit of units) {
      doc.font('Helvetica-Bold').fontSize(12).text(unit);
      doc.moveDown(0.3);
      for (const r of rows.filter((x) => x.unitLabel === unit)) {
        const notes = [r.pai ? 'PAI' : '', r.allergy ? 'Allergie' : '', r.diet !== 'standard' ? DIETS[r.diet as keyof typeof DIETS] ?? r.diet : ''].filter(Boolean).join(', ');
        const y = doc.y;
        doc.rect(doc.page.margins.left, y, 10, 10).stroke();
        doc.font('Helvetica').fontSize(10).text(`Présent      ${r.lastName.toUpperCase()} ${r.firstName}${r.classLevel ? ` (${r.classLevel})` : ''}${notes ? ` – ${notes}` : ''}`, doc.page.margins.left + 16, y);
        doc.moveDown(0.4);
      }
      doc.moveDown();
    }
  });
}

/** The kitchen's count, to pin on the wall. */
export function kitchenSheet(town: string, facility: string, day: string, table: KitchenUnit[]) {
  return renderPdf({ title: `Repas – ${facility} – ${day}`, author: town }, (doc) => {
    header(doc, town, 'Repas à préparer', `${facility} – ${dayLabel(day, true)}`);
    if (table.length === 0) doc.text('Aucun repas réservé.');
    for (const u of table) {
      doc.font('Helvetica-Bold').fontSize(12).text(`${u.label} : ${u.total} repas`);
      doc.font('Helvetica').fontSize(11);
      for (const d of u.byDiet) doc.text(`${d.label} : ${d.meals}`, { indent: 16 });
      if (u.pai) doc.text(`Dont avec PAI : ${u.pai}`, { indent: 16 });
      doc.moveDown();
    }
  });
}
