/**
 * `text` as HTML with every case-insensitive occurrence of `query` wrapped in `<mark>`. Both the
 * pieces and the marked matches are escaped, so the result is safe to insert as HTML.
 */
export function highlightMatches(text: string, query: string): string {
  const q = query.trim()
  if (q === '') return Bun.escapeHTML(text)
  const lower = text.toLowerCase()
  const needle = q.toLowerCase()
  let out = ''
  let from = 0
  for (let i = lower.indexOf(needle); i !== -1; i = lower.indexOf(needle, from)) {
    out += Bun.escapeHTML(text.slice(from, i)) + '<mark>' + Bun.escapeHTML(text.slice(i, i + needle.length)) + '</mark>'
    from = i + needle.length
  }
  return out + Bun.escapeHTML(text.slice(from))
}
