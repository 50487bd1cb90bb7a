import { FileRefused } from './bytes.ts';

/** The types a document may have, told from the content (never from the name or the browser's word). */
export type MediaType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/webp';

export const EXTENSIONS: Record<MediaType, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** How many bytes `sniff` needs to decide (fewer only when the file itself is shorter). */
export const SNIFF_BYTES = 64;

const HEIF_BRANDS = /^(heic|heix|hevc|hevx|heim|heis|mif1|msf1|avif|avis)$/;

/**
 * The real type of a file from its first bytes; refused with the reason otherwise. A file that
 * starts like markup (HTML, SVG, XML, whatever its name) gets its own message: it is the usual way
 * to slip a web page in under a `.pdf` name.
 */
export function sniff(head: Buffer): MediaType {
  if (head.length === 0) throw new FileRefused('empty');
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  if (head.subarray(4, 8).toString('latin1') === 'ftyp' && HEIF_BRANDS.test(head.subarray(8, 12).toString('latin1'))) throw new FileRefused('heic');
  // A byte-order mark, blanks, then « < »: HTML, SVG or XML.
  const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) throw new FileRefused('markup');
  throw new FileRefused('unknown_type');
}
