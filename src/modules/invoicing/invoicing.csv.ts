/**
 * CSV that Excel opens as the French régie expects: UTF-8 with a byte-order mark (else Excel reads
 * Windows-1252), `;` between fields (French Excel's list separator), CRLF line ends, amounts with a
 * decimal comma. A cell that starts like a formula (=, +, -, @, tab, carriage return) is prefixed
 * with an apostrophe so that Excel shows it as text and never runs it (OWASP « CSV injection »).
 */
export const CSV_BOM = '\ufeff';

export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  // A plain negative number (« -2,50 ») is a number, not a formula: it stays one.
  if (/^[=+\-@\t\r]/.test(text) && !/^-\d+(,\d+)?$/.test(text)) text = `'${text}`;
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvRow = (cells: readonly (string | number | null)[]) => `${cells.map(csvCell).join(';')}\r\n`;

/** « 1234,50 » from cents: a number Excel reads in a French locale, never a float on the way. */
export function csvAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}
