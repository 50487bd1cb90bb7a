/**
 * Reading an import file, pure: its bytes decoded (UTF-8 or Windows-1252), its delimiter detected,
 * its records parsed and its header normalised.
 */

export const MAX_LINES = 5000;

// Decoding

/** UTF-8 when the bytes are valid UTF-8 (with or without BOM), else Windows-1252 (what Excel writes in France). */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'windows-1252' } {
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
    return { text, encoding: 'utf-8' };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
}

// 0x80–0x9F in Windows-1252 (some Node builds decode 'windows-1252' as Latin-1 and leave them as control characters).
const CP1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  return new TextDecoder('windows-1252').decode(bytes).replace(/[\u0080-\u009f]/g, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]);
}

// Parsing

export interface CsvRecord {
  /** Line number in the file (1 = header) where the record starts. */
  line: number;
  cells: string[];
}

export type CsvParse = { ok: true; delimiter: ';' | ','; header: string[]; records: CsvRecord[] } | { ok: false; error: string };

/** The delimiter is the one the header uses: `;` (French Excel) or `,`. */
export function detectDelimiter(headerLine: string): ';' | ',' {
  let semi = 0;
  let comma = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semi++;
    else if (!quoted && ch === ',') comma++;
  }
  return comma > semi ? ',' : ';';
}

/** RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and line breaks; CRLF, LF or CR. Blank lines are skipped. */
export function parseCsv(input: string): CsvParse {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (!text.trim()) return { ok: false, error: 'Le fichier est vide.' };
  const firstBreak = text.search(/\r|\n/);
  const delimiter = detectDelimiter(firstBreak === -1 ? text : text.slice(0, firstBreak));
  const records: CsvRecord[] = [];
  let cells: string[] = [];
  let cell = '';
  let line = 1;
  let recordLine = 1;
  let quoted = false;
  let wasQuoted = false;
  let i = 0;
  const endRecord = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    if (!(cells.length === 1 && cells[0] === '' && !wasQuoted)) records.push({ line: recordLine, cells });
    cells = [];
    cell = '';
    wasQuoted = false;
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        line++;
        if (ch === '\r' && text[i + 1] === '\n') {
          cell += '\n';
          i += 2;
          continue;
        }
        cell += '\n';
        i++;
        continue;
      }
      cell += ch;
      i++;
      continue;
    }
    if (ch === '"' && cell.trim() === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
      cell = '';
      i++;
      continue;
    }
    if (ch === '"') return { ok: false, error: `Ligne ${line} : guillemet mal placé. Entourez tout le champ de guillemets et doublez ceux qu'il contient ("").` };
    if (ch === delimiter) {
      cells.push(wasQuoted ? cell : cell.trim());
      cell = '';
      wasQuoted = false;
      i++;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      recordLine = line;
      continue;
    }
    if (wasQuoted && ch.trim() !== '') return { ok: false, error: `Ligne ${line} : texte après un champ entre guillemets.` };
    if (!wasQuoted) cell += ch;
    i++;
  }
  if (quoted) return { ok: false, error: `Ligne ${recordLine} : un guillemet ouvert n'est jamais fermé.` };
  if (cell !== '' || cells.length > 0 || wasQuoted) endRecord();
  if (records.length > MAX_LINES + 1) return { ok: false, error: `Le fichier a plus de ${MAX_LINES} lignes : découpez-le en plusieurs fichiers.` };
  const [head, ...rest] = records;
  if (!head) return { ok: false, error: 'Le fichier est vide.' };
  return { ok: true, delimiter, header: head.cells.map(normaliseHeader), records: rest };
}

/** « Prénom » → « prenom », « Code postal » → « code_postal ». */
export function normaliseHeader(h: string): string {
  return h
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim()
    .replace(/[\s-]+/g, '_');
}
