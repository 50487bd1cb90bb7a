/** Reading server-rendered forms in route tests, the way a browser would submit them. */

/** The month form as the page drew it: every displayed day with what it was, and the days ticked. */
export function monthForm(html: string) {
  const affiche = [...html.matchAll(/name="affiche" value="([^"]+)"/g)].map((m) => m[1]);
  const reserve = [...html.matchAll(/<input[^>]*name="reserve" value="([^"]+)"[^>]*>/g)].filter((m) => /\bchecked\b/.test(m[0])).map((m) => m[1]);
  return { affiche, reserve };
}

/** The hidden fields a page carries (a summary page's form), without the CSRF token the client adds itself. */
export function hiddenFields(html: string) {
  const fields: Record<string, string[]> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) if (m[1] !== '_csrf') (fields[m[1]] ??= []).push(m[2].replaceAll('&amp;', '&'));
  return fields;
}
