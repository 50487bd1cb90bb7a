import PDFDocument from 'pdfkit';

export type Pdf = PDFKit.PDFDocument;

/**
 * Builds a PDF in memory. Documents get a title and the French language tag so screen readers
 * read them properly (RGAA 13.3), and PDF/UA-style tagging where pdfkit offers it.
 */
export function renderPdf(meta: { title: string; author: string }, build: (doc: Pdf) => void): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 56, lang: 'fr-FR', displayTitle: true, tagged: true, info: { Title: meta.title, Author: meta.author } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      build(doc);
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

// pdfkit's standard fonts write WinAnsi: a character outside it comes out as garbage bytes that a
// screen reader reads aloud (« − » became « " » and a control character). Replace the few we may meet.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const ALIKE: Record<string, string> = { '−': '-', '‑': '-', '‐': '-', '\u202f': '\u00a0', '\u2009': ' ', '\u2007': ' ' };
export const winAnsiText = (text: string) =>
  [...text].map((c) => ALIKE[c] ?? (c.charCodeAt(0) < 0x80 || (c.charCodeAt(0) >= 0xa0 && c.charCodeAt(0) <= 0xff) || WIN_ANSI_EXTRA.has(c) || c === '\n' ? c : '?')).join('');
