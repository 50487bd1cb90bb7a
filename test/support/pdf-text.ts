import zlib from 'node:zlib';

// WinAnsi bytes 0x80–0x9F that differ from Latin-1 (pdfkit's standard fonts write text in WinAnsi).
const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x85: '…', 0x91: '‘', 0x92: '’', 0x93: '“', 0x94: '”', 0x96: '–', 0x97: '—', 0x8c: 'Œ', 0x9c: 'œ' };

/**
 * The text of a PDF made by pdfkit with its standard fonts, read from the bytes: every content
 * stream is inflated and the hex strings of its TJ operators decoded, one text run per line.
 * Enough to read what a certificate or an invoice says, with no PDF library.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  if (!raw.startsWith('%PDF-')) throw new Error('pas un PDF');
  const lines: string[] = [];
  const marker = /stream\r?\n/g;
  let m: RegExpExecArray | null;
  while ((m = marker.exec(raw))) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    let content: string;
    try {
      content = zlib.inflateSync(pdf.subarray(start, end)).toString('latin1');
    } catch {
      continue;
    }
    for (const tj of content.matchAll(/\[((?:<[0-9a-fA-F]*>|-?[\d.]+|\s)*)\]\s*TJ/g)) {
      const text = [...tj[1].matchAll(/<([0-9a-fA-F]*)>/g)]
        .map((h) => Buffer.from(h[1], 'hex'))
        .map((b) => [...b].map((c) => WIN_ANSI[c] ?? String.fromCharCode(c)).join(''))
        .join('');
      lines.push(text);
    }
  }
  return lines.join('\n');
}
