// PostgreSQL stores neither NUL (in text or jsonb) nor a UTF-16 surrogate without its pair
// (jsonb refuses the `\ud800` escape JSON.stringify writes for it; text would get U+FFFD
// from the driver). Matches a NUL, a high surrogate not followed by a low one, or a low
// surrogate not preceded by a high one (no `u` flag: the pattern works on code units).
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
const ANY_SUSPECT = /[\u0000\ud800-\udfff]/

/** Text made storable, and how many characters were removed or replaced to make it so. */
export interface StorableText {
  text: string
  replaced: number
}

/** A value made storable, and how many characters were removed or replaced in all its strings. */
export interface StorableValue<T> {
  value: T
  replaced: number
}

/** Removes every NUL and replaces every lone UTF-16 surrogate with U+FFFD, counting both. Never throws. */
export function storableText(text: string): StorableText {
  if (!ANY_SUSPECT.test(text)) return { text, replaced: 0 }
  let replaced = 0
  const out = text.replace(UNSTORABLE, (match) => {
    replaced += 1
    return match === '\u0000' ? '' : '\ufffd'
  })
  return { text: out, replaced }
}

/**
 * `storableText` applied to every string of a JSON-like value (array items, object keys and
 * values, nested), returning a copy only where something changed. Never throws.
 */
export function storableValue<T>(value: T): StorableValue<T> {
  let replaced = 0
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const s = storableText(v)
      replaced += s.replaced
      return s.text
    }
    if (Array.isArray(v)) {
      let changed = false
      const items = v.map((item) => {
        const next = walk(item)
        if (next !== item) changed = true
        return next
      })
      return changed ? items : v
    }
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      let changed = false
      const entries = Object.entries(v).map(([key, item]): [string, unknown] => {
        const k = walk(key) as string
        const next = walk(item)
        if (k !== key || next !== item) changed = true
        return [k, next]
      })
      return changed ? Object.fromEntries(entries) : v
    }
    return v
  }
  const out = walk(value) as T
  return { value: out, replaced }
}
