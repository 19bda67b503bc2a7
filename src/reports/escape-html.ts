/**
 * Escapes text for HTML element content and double-quoted attribute values: `&`, `<`, `>`, `"`
 * and `'` become character references, so no value from the graph can open a tag or an attribute.
 */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
