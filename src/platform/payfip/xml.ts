/**
 * A small, bounded XML reader and writer for the SOAP messages of PayFiP, and nothing more.
 * It reads elements, attributes, text, the five predefined entities and character references;
 * it refuses DOCTYPE, entity declarations, CDATA, processing instructions (but the leading XML
 * declaration), and anything over its size, depth or element limits — so no entity expansion,
 * no external fetch, and no unbounded work on what a remote server answers.
 */

export class XmlError extends Error {}

export interface XmlElement {
  /** Local name, the prefix taken off: PayFiP's answers are read namespace-agnostically (protocols.md §1.2). */
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Text directly inside this element (entity references resolved). */
  text: string;
}

export const XML_LIMITS = { maxChars: 64 * 1024, maxDepth: 12, maxElements: 400 };

const NAME = /[A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?/y;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decodeEntities(raw: string): string {
  return raw.replace(/&([^;&\s]{1,10});|&/g, (whole, ref: string | undefined) => {
    if (ref === undefined) throw new XmlError('« & » isolé');
    if (ref in PREDEFINED) return PREDEFINED[ref];
    const num = /^#(\d{1,7})$/.exec(ref) ?? /^#x([0-9a-fA-F]{1,6})$/.exec(ref);
    if (num) {
      const code = ref[1] === 'x' ? parseInt(num[1], 16) : parseInt(num[1], 10);
      if (!isXmlChar(code)) throw new XmlError(`caractère interdit : ${whole}`);
      return String.fromCodePoint(code);
    }
    throw new XmlError(`entité inconnue : ${whole}`);
  });
}

const isXmlChar = (c: number) => c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
const localName = (qname: string) => qname.slice(qname.indexOf(':') + 1);

/** Parses one document into its root element, or throws XmlError. */
export function parseXml(input: string): XmlElement {
  if (input.length > XML_LIMITS.maxChars) throw new XmlError('document trop long');
  let pos = 0;
  let elements = 0;
  const text = input.replace(/^\uFEFF/, '');
  const fail = (why: string): never => {
    throw new XmlError(`${why} (position ${pos})`);
  };
  const skipSpace = () => {
    while (pos < text.length && /\s/.test(text[pos])) pos++;
  };
  const readName = (): string => {
    NAME.lastIndex = pos;
    const m = NAME.exec(text);
    if (!m) fail('nom attendu');
    pos += m![0].length;
    return m![0];
  };
  // Prolog: an optional declaration, then comments and spaces.
  skipSpace();
  if (text.startsWith('<?xml', pos)) {
    const end = text.indexOf('?>', pos);
    if (end < 0) fail('déclaration XML non fermée');
    pos = end + 2;
  }
  const skipMisc = () => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('commentaire non fermé');
        pos = end + 3;
      } else return;
    }
  };
  skipMisc();

  const readElement = (depth: number): XmlElement => {
    if (depth > XML_LIMITS.maxDepth) fail('imbrication trop profonde');
    if (++elements > XML_LIMITS.maxElements) fail('trop d\'éléments');
    if (text[pos] !== '<') fail('« < » attendu');
    pos++;
    const qname = readName();
    const attributes: Record<string, string> = {};
    for (;;) {
      skipSpace();
      if (text.startsWith('/>', pos)) {
        pos += 2;
        return { name: localName(qname), attributes, children: [], text: '' };
      }
      if (text[pos] === '>') {
        pos++;
        break;
      }
      const attr = readName();
      skipSpace();
      if (text[pos] !== '=') fail('« = » attendu');
      pos++;
      skipSpace();
      const quote = text[pos];
      if (quote !== '"' && quote !== "'") fail('valeur d\'attribut sans guillemets');
      const end = text.indexOf(quote, pos + 1);
      if (end < 0) fail('valeur d\'attribut non fermée');
      const value = text.slice(pos + 1, end);
      if (value.includes('<')) fail('« < » dans un attribut');
      if (attr in attributes) fail(`attribut répété : ${attr}`);
      attributes[attr] = decodeEntities(value);
      pos = end + 1;
    }
    const children: XmlElement[] = [];
    let content = '';
    for (;;) {
      if (pos >= text.length) fail(`élément ${qname} non fermé`);
      if (text.startsWith('</', pos)) {
        pos += 2;
        const closing = readName();
        if (closing !== qname) fail(`fermeture ${closing} au lieu de ${qname}`);
        skipSpace();
        if (text[pos] !== '>') fail('« > » attendu');
        pos++;
        return { name: localName(qname), attributes, children, text: decodeEntities(content) };
      }
      if (text.startsWith('<!--', pos)) {
        const end = text.indexOf('-->', pos + 4);
        if (end < 0) fail('commentaire non fermé');
        pos = end + 3;
      } else if (text.startsWith('<!', pos) || text.startsWith('<?', pos)) {
        fail('DOCTYPE, CDATA et instructions refusés');
      } else if (text[pos] === '<') {
        children.push(readElement(depth + 1));
      } else {
        const next = text.indexOf('<', pos);
        const end = next < 0 ? text.length : next;
        content += text.slice(pos, end);
        pos = end;
      }
    }
  };

  const root = readElement(1);
  skipMisc();
  if (pos !== text.length) fail('contenu après l\'élément racine');
  return root;
}

/** The one child of that local name, or null; two of them are an error. */
export function childNamed(el: XmlElement, name: string): XmlElement | null {
  const found = el.children.filter((c) => c.name === name);
  if (found.length > 1) throw new XmlError(`${name} répété dans ${el.name}`);
  return found[0] ?? null;
}

/** Escapes text for an element's content or an attribute; a character XML cannot carry is refused. */
export function escapeXml(value: string): string {
  for (const ch of value) {
    if (!isXmlChar(ch.codePointAt(0)!)) throw new XmlError('caractère interdit dans une valeur');
  }
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
