/**
 * Defensive readers of stored role outputs: a model wrote them, older outputs lack the
 * checkable fields, so every reader returns what has the expected shape and drops the rest.
 * Never throws.
 */

type Obj = Record<string, unknown>

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}

/** `output[key]` as a list of objects; null when the field is missing or not a list. */
export function objectsAt(output: unknown, key: string): Obj[] | null {
  if (!isObj(output)) return null
  const v = output[key]
  return Array.isArray(v) ? v.filter(isObj) : null
}

/** `output[key]` as a list of strings; null when the field is missing or not a list. */
export function stringsAt(output: unknown, key: string): string[] | null {
  if (!isObj(output)) return null
  const v = output[key]
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null
}

/** `o[key]` when it is a non-empty string, else ''. */
export function textAt(o: Obj, key: string): string {
  const v = o[key]
  return typeof v === 'string' ? v.trim() : ''
}
