import { winAnsiText, type Pdf } from './pdf.ts';

type Struct = ReturnType<Pdf['struct']>;

export interface PdfColumn {
  header: string;
  /** Width in points. */
  width: number;
  /** Amounts are aligned right. */
  right?: boolean;
}

/**
 * A real table in the structure tree of a tagged PDF (invoices, the cash-desk journal): each row is
 * a TR of TH/TD, drawn with its borders as layout artefacts. On a new page the header is drawn again
 * for the eye only (a pagination artefact): a screen reader reads the column headers once, then
 * every line in order (test/support/pdf-structure.ts reads it back in the tests).
 */
export function taggedTable(doc: Pdf, root: Struct, columns: readonly PdfColumn[], rows: string[][]) {
  const t = doc.struct('Table');
  root.add(t);
  const left = doc.page.margins.left;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const heightOf = (cells: string[]) => Math.max(18, ...cells.map((c, i) => doc.font('Helvetica').fontSize(8).heightOfString(winAnsiText(c), { width: columns[i].width - 6 }) + 8));
  const drawRow = (cells: string[], role: 'header' | 'line' | 'repeated-header') => {
    const h = heightOf(cells);
    if (doc.y + h > bottom()) doc.addPage();
    const y = doc.y;
    const header = role !== 'line';
    const tr = role === 'repeated-header' ? null : doc.struct('TR');
    if (tr) t.add(tr);
    let x = left;
    columns.forEach((c, i) => {
      doc.markContent('Artifact', { type: 'Layout' });
      doc.rect(x, y, c.width, h).lineWidth(0.5).stroke();
      doc.endMarkedContent();
      const cx = x;
      const draw = () => doc.font(header ? 'Helvetica-Bold' : 'Helvetica').fontSize(8).text(winAnsiText(cells[i] ?? ''), cx + 3, y + 4, { width: c.width - 6, align: c.right ? 'right' : 'left' });
      if (tr) tr.add(doc.struct(header ? 'TH' : 'TD', {}, draw));
      else {
        doc.markContent('Artifact', { type: 'Pagination' });
        draw();
        doc.endMarkedContent();
      }
      x += c.width;
    });
    tr?.end();
    doc.x = left;
    doc.y = y + h;
  };
  const headers = columns.map((c) => c.header);
  drawRow(headers, 'header');
  for (const r of rows) {
    if (doc.y + heightOf(r) > bottom()) {
      doc.addPage();
      drawRow(headers, 'repeated-header');
    }
    drawRow(r, 'line');
  }
  t.end();
}
