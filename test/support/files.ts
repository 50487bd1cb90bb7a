import zlib from 'node:zlib';

/**
 * Small real files for upload tests, built byte by byte: a JPEG as a phone writes it (JFIF, then an
 * APP1 « Exif » segment whose GPS block gives a position), a PNG with text and eXIf chunks, a WebP
 * with EXIF and XMP chunks, and a PDF.
 */

/** The position hidden in the photos: 48° 51′ 29″ N (Paris), as EXIF rationals. */
export const GPS_MARK = Buffer.from('GPS-48-51-29-N');

function exifWithGps(): Buffer {
  // TIFF, big-endian: IFD0 with one entry (GPSInfo → offset 26), then the GPS IFD with GPSLatitudeRef
  // « N » and GPSLatitude (3 rationals at offset 56), followed by a maker note carrying GPS_MARK.
  const tiff = Buffer.alloc(80 + GPS_MARK.length);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4);
  tiff.writeUInt16BE(1, 8); // IFD0: one entry
  tiff.writeUInt16BE(0x8825, 10); // GPSInfo
  tiff.writeUInt16BE(4, 12); // LONG
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt32BE(26, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  tiff.writeUInt16BE(2, 26); // GPS IFD: two entries
  tiff.writeUInt16BE(1, 28); // GPSLatitudeRef
  tiff.writeUInt16BE(2, 30); // ASCII
  tiff.writeUInt32BE(2, 32);
  tiff.write('N\0', 36, 'latin1');
  tiff.writeUInt16BE(2, 40); // GPSLatitude
  tiff.writeUInt16BE(5, 42); // RATIONAL
  tiff.writeUInt32BE(3, 44);
  tiff.writeUInt32BE(56, 48);
  tiff.writeUInt32BE(0, 52);
  [48, 51, 29].forEach((v, i) => {
    tiff.writeUInt32BE(v, 56 + i * 8);
    tiff.writeUInt32BE(1, 60 + i * 8);
  });
  GPS_MARK.copy(tiff, 80);
  return Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
}

function segment(marker: number, body: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([head, body]);
}

/** A 1×1 grey baseline-arithmetic JPEG (the smallest valid one), before its metadata. */
const JFIF = Buffer.from('FFD8FFE000104A46494600010101004800480000', 'hex');
const IMAGE = Buffer.from(
  'FFDB004300030202020202030202020303030304060404040404080606050609080A0A090809090A0C0F0C0A0B0E0B09090D110D0E0F101011100A0C12131210130F101010FFC9000B080001000101011100FFCC000600101005FFDA0008010100003F00D2CF20FFD9',
  'hex',
);

export function jpegWithGps(extra: { comment?: string; trailing?: Buffer; padding?: number } = {}): Buffer {
  const parts = [JFIF, segment(0xe1, exifWithGps())];
  if (extra.comment) parts.push(segment(0xfe, Buffer.from(extra.comment, 'latin1')));
  const image = Buffer.from(IMAGE);
  if (extra.padding) {
    // A big scan: compressed bytes never hold 0xFF unless stuffed, so 0x55 filler keeps it valid for the reader.
    const sos = image.indexOf(Buffer.from([0xff, 0xda]));
    const scanStart = sos + 2 + image.readUInt16BE(sos + 2);
    return Buffer.concat([...parts, image.subarray(0, scanStart), Buffer.alloc(extra.padding, 0x55), image.subarray(scanStart), extra.trailing ?? Buffer.alloc(0)]);
  }
  return Buffer.concat([...parts, image, extra.trailing ?? Buffer.alloc(0)]);
}

/** The same JPEG as stored: JFIF and the image, nothing else. */
export const jpegWithoutMetadata = (): Buffer => Buffer.concat([JFIF, IMAGE]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export function pngWithText(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(1, 0);
  ihdr.writeUInt32BE(1, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // truecolour
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('tEXt', Buffer.concat([Buffer.from('Comment\0', 'latin1'), GPS_MARK])),
    chunk('eXIf', exifWithGps().subarray(6)),
    chunk('IDAT', zlib.deflateSync(Buffer.from([0, 0xff, 0, 0]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function riffChunk(fourcc: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(fourcc, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

export function webpWithExif(): Buffer {
  const vp8x = Buffer.alloc(10);
  vp8x[0] = 0x0c; // EXIF and XMP present
  const body = Buffer.concat([
    Buffer.from('WEBP', 'latin1'),
    riffChunk('VP8X', vp8x),
    riffChunk('VP8L', Buffer.from('2f000000000700', 'hex')),
    riffChunk('EXIF', exifWithGps().subarray(6)),
    riffChunk('XMP ', Buffer.concat([Buffer.from('<x:xmpmeta>', 'latin1'), GPS_MARK, Buffer.from('</x:xmpmeta>', 'latin1')])),
  ]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
}

/** A one-page PDF; `filler` bytes of plain text make it as large as a test needs. */
export function aPdf(filler = 0, extra = ''): Buffer {
  return Buffer.concat([
    Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\n4 0 obj << /Length ' + filler + ' >>\nstream\n', 'latin1'),
    Buffer.alloc(filler, 0x78),
    Buffer.from(`\nendstream\nendobj\n${extra}trailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1'),
  ]);
}

/** Yields a buffer in pieces of `size` bytes, as a network would. */
export async function* inPieces(bytes: Buffer, size = 1000): AsyncGenerator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield await Promise.resolve(bytes.subarray(i, i + size));
}
