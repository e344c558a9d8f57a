/**
 * Name matching across roles: `InvoiceLine`, `invoice_lines`, `invoice-line` and
 * `Invoice lines` are the same thing; `GET /api/invoices/:id` and `get /api/invoices/{invoiceId}/`
 * the same endpoint.
 */

const IRREGULAR: Record<string, string> = {
  people: 'person',
  children: 'child',
  men: 'man',
  women: 'woman',
  mice: 'mouse',
  geese: 'goose',
  feet: 'foot',
  teeth: 'tooth',
  indices: 'index',
  matrices: 'matrix',
  vertices: 'vertex',
  criteria: 'criterion',
  data: 'datum',
}

/** The singular of an English noun, by the usual suffix rules (`categories` → `category`, `statuses` → `status`). */
export function singularOf(word: string): string {
  const w = word.toLowerCase()
  const irregular = IRREGULAR[w]
  if (irregular) return irregular
  if (w.length <= 3) return w
  if (/[^aeiou]ies$/.test(w)) return `${w.slice(0, -3)}y`
  if (/(ss|x|z|ch|sh|us)es$/.test(w)) return w.slice(0, -2)
  if (/(analy|diagno|the|ba|cri)ses$/.test(w)) return `${w.slice(0, -2)}is`
  if (/(ss|us|is)$/.test(w)) return w
  if (w.endsWith('s')) return w.slice(0, -1)
  return w
}

/** The words of a name in any case: `InvoiceLine` / `invoice_lines` / `public.invoice-lines` → `invoice`, `lines`. */
export function wordsOf(name: string): string[] {
  const bare = name.trim().replace(/^["'`]|["'`]$/g, '').replace(/^[a-z_]+\./i, '')
  return bare
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toLowerCase())
}

/** A name's key for comparison: its words, lower case, the last one singular, joined. */
export function nameKey(name: string): string {
  const words = wordsOf(name)
  const last = words.pop()
  return last === undefined ? '' : [...words, singularOf(last)].join('')
}

/** The keys a name may stand for: its words joined as written, with the last singular, and with a plain `s` dropped. */
function keysOf(words: string[]): string[] {
  const last = words[words.length - 1]
  if (last === undefined) return []
  const head = words.slice(0, -1).join('')
  return [...new Set([head + last, head + singularOf(last), head + last.replace(/s$/, '')])]
}

/** True when two names (of a model, a table, a screen) name the same thing, whatever their case, plural or separators. */
export function sameName(a: string, b: string): boolean {
  const x = keysOf(wordsOf(a))
  const y = new Set(keysOf(wordsOf(b)))
  return x.some((k) => y.has(k))
}

const SCREEN_SUFFIXES = new Set(['screen', 'page', 'view', 'component', 'panel', 'dialog', 'modal'])

/** True when two screen or component names match as {@link sameName}, ignoring a trailing `Screen`, `Page`, `View`… */
export function sameScreen(a: string, b: string): boolean {
  const strip = (name: string): string[] => {
    const words = wordsOf(name)
    while (words.length > 1 && SCREEN_SUFFIXES.has(words[words.length - 1] as string)) words.pop()
    return words
  }
  const x = keysOf(strip(a))
  const y = new Set(keysOf(strip(b)))
  return x.some((k) => y.has(k))
}

/** A path segment is a parameter: `:id`, `{id}`, `[id]`, `<id>`. */
function isParam(segment: string): boolean {
  return /^(:.+|\{.+\}|\[.+\]|<.+>)$/.test(segment)
}

/** The segments of a URL path: no query or fragment, no empty segments, lower case except parameters. */
export function pathSegments(path: string): string[] {
  const bare = path.trim().replace(/^[a-z]+:\/\/[^/]+/i, '').split(/[?#]/)[0] ?? ''
  return bare
    .split('/')
    .filter(Boolean)
    .map((s) => (isParam(s) ? ':' : s.toLowerCase()))
}

/** True when two paths name the same route: same segments, parameters matched by position whatever their names. */
export function samePath(a: string, b: string): boolean {
  const x = pathSegments(a)
  const y = pathSegments(b)
  return x.length === y.length && x.every((s, i) => s === y[i])
}
