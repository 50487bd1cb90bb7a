import { inflateSync } from 'node:zlib';

/**
 * What a screen reader reads from a tagged PDF, in structure order: the structure tree is walked
 * from the StructTreeRoot, depth first, and each element holding marked content (its /K lists
 * MCIDs on its /Pg page) gives its tag and the text drawn inside those marked-content sequences of
 * the page's content stream. Enough for pdfkit's output (no object streams, content streams
 * deflated, standard fonts in WinAnsi encoding); no dependency.
 */
export interface ReadElement {
  tag: string;
  /** Tags of the ancestors, outermost first (Document, Table, TR…). */
  path: string[];
  text: string;
}

// WinAnsiEncoding: Latin-1, except 0x80–0x9F (€, –, ’, …), which Node's decoders leave as control characters.
const CP1252_HIGH = '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';
const winAnsi = (bytes: Buffer) => [...bytes].map((b) => (b >= 0x80 && b < 0xa0 ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b))).join('');

export function structureReadingOrder(pdf: Buffer): ReadElement[] {
  const raw = pdf.toString('latin1');
  const dicts = new Map<number, string>();
  const streams = new Map<number, string>();
  for (const m of raw.matchAll(/(\d+) 0 obj([\s\S]*?)endobj/g)) {
    const id = Number(m[1]);
    const body = m[2];
    const at = body.indexOf('stream');
    if (at < 0) {
      dicts.set(id, body);
      continue;
    }
    const dict = body.slice(0, at);
    dicts.set(id, dict);
    const data = body.slice(at + 'stream'.length).replace(/^\r?\n/, '');
    const bytes = Buffer.from(data.slice(0, data.lastIndexOf('endstream')), 'latin1');
    streams.set(id, (dict.includes('/FlateDecode') ? inflateSync(bytes) : bytes).toString('latin1'));
  }
  const refsIn = (s: string) => [...s.matchAll(/(\d+) 0 R/g)].map((m) => Number(m[1]));
  const arrayAfter = (dict: string, key: string) => new RegExp(`/${key} \\[([^\\]]*)\\]`).exec(dict)?.[1] ?? '';

  // Marked content of each page: MCID → text drawn inside it.
  const pageText = new Map<number, Map<number, string>>();
  const textOfPage = (pageId: number) => {
    const known = pageText.get(pageId);
    if (known) return known;
    const byMcid = new Map<number, string>();
    const contents = /\/Contents (\d+) 0 R/.exec(dicts.get(pageId) ?? '');
    const content = contents ? (streams.get(Number(contents[1])) ?? '') : '';
    for (const m of content.matchAll(/\/\w+ <<\s*\/MCID (\d+)\s*>> BDC([\s\S]*?)\nEMC/g)) byMcid.set(Number(m[1]), textOf(m[2]));
    pageText.set(pageId, byMcid);
    return byMcid;
  };

  const root = [...dicts.entries()].find(([, d]) => d.includes('/Type /StructTreeRoot'));
  if (!root) throw new Error('PDF sans arbre de structure');
  const out: ReadElement[] = [];
  const walk = (id: number, path: string[]) => {
    const dict = dicts.get(id) ?? '';
    const tag = /\/S \/(\w+)/.exec(dict)?.[1] ?? '?';
    const kids = arrayAfter(dict, 'K');
    const page = /\/Pg (\d+) 0 R/.exec(dict);
    const refs = refsIn(kids);
    if (refs.length > 0) {
      for (const r of refs) walk(r, [...path, tag]);
      return;
    }
    const mcids = kids.trim() ? kids.trim().split(/\s+/).map(Number) : [];
    const texts = page ? mcids.map((n) => textOfPage(Number(page[1])).get(n) ?? '') : [];
    out.push({ tag, path, text: texts.join(' ').replace(/\s+/g, ' ').trim() });
  };
  for (const r of refsIn(arrayAfter(root[1], 'K'))) walk(r, []);
  return out;
}

/** The text shown by Tj / TJ operators of a piece of content stream, one text object after another. */
function textOf(content: string): string {
  const blocks: string[] = [];
  for (const bt of content.matchAll(/BT([\s\S]*?)ET/g)) {
    let text = '';
    for (const s of bt[1].matchAll(/<([0-9a-fA-F]*)>|\(((?:\\.|[^\\)])*)\)/g)) {
      if (s[1] !== undefined) text += winAnsi(Buffer.from(s[1], 'hex'));
      else text += s[2].replace(/\\([()\\])/g, '$1');
    }
    blocks.push(text);
  }
  return blocks.join(' ');
}
