import { jsonrepair } from 'jsonrepair'
import type { z } from 'zod'
import { storableText, storableValue } from '../validation/storable-text.ts'

/**
 * The outcome of reading a model's raw text against a schema. `replaced` counts the NULs
 * removed and lone surrogates replaced (U+FFFD) before validation, so what was validated
 * is what PostgreSQL can store. `repaired` is true when the text only passed after local
 * repair: near-JSON mended by `jsonrepair` (trailing commas, single quotes, comments,
 * unquoted keys, a cut tail) or an enum value in the wrong case.
 */
export type ParsedOutput<T> = { ok: true; value: T; replaced: number; repaired: boolean } | { ok: false; issues: string[] }

function jsonCandidates(text: string): string[] {
  const trimmed = text.trim()
  const candidates = [trimmed]
  // Models often wrap JSON in a Markdown fence or a sentence despite being told not to.
  const fenced = /```(?:json|JSON|javascript|js)?\s*([\s\S]*?)(?:```|$)/.exec(trimmed)
  if (fenced?.[1]) candidates.push(fenced[1].trim())
  const first = trimmed.indexOf('{')
  const last = trimmed.lastIndexOf('}')
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1))
  // A reply cut short has no closing brace: everything from the first one on.
  if (first >= 0) candidates.push(trimmed.slice(first))
  return candidates
}

function strictParse(candidates: string[]): { ok: true; json: unknown } | { ok: false } {
  for (const candidate of candidates) {
    try {
      const json: unknown = JSON.parse(candidate)
      if (json !== null && typeof json === 'object' && !Array.isArray(json)) return { ok: true, json }
    } catch {
      // try the next candidate
    }
  }
  return { ok: false }
}

/** Every candidate jsonrepair can mend into an object, the one that runs to the end of the reply first (a cut tail). */
function repairedParses(candidates: string[]): unknown[] {
  const [whole, ...rest] = candidates
  const ordered = [...rest.reverse(), whole as string].filter((c, i, all) => c.startsWith('{') && all.indexOf(c) === i)
  const out: unknown[] = []
  for (const candidate of ordered) {
    try {
      const json: unknown = JSON.parse(jsonrepair(candidate))
      if (json !== null && typeof json === 'object' && !Array.isArray(json)) out.push(json)
    } catch {
      // not repairable: try the next candidate
    }
  }
  return out
}

type Issue = z.core.$ZodIssue

/** Sets the enum values the schema rejected only for their case to the allowed spelling; returns how many. */
function fixEnumCase(value: unknown, issues: readonly Issue[]): number {
  let fixed = 0
  for (const issue of issues) {
    if (issue.code !== 'invalid_value' || issue.path.length === 0) continue
    const allowed = issue.values.filter((v): v is string => typeof v === 'string')
    let parent: unknown = value
    for (const key of issue.path.slice(0, -1)) parent = (parent as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey]
    const key = issue.path[issue.path.length - 1] as PropertyKey
    const holder = parent as Record<PropertyKey, unknown> | null | undefined
    const current = holder?.[key]
    if (typeof current !== 'string') continue
    const match = allowed.find((a) => a.toLowerCase() === current.trim().toLowerCase().replace(/[\s-]+/g, '_'))
      ?? allowed.find((a) => a.toLowerCase() === current.trim().toLowerCase())
    if (match === undefined || !holder) continue
    holder[key] = match
    fixed++
  }
  return fixed
}

function describe(issues: readonly Issue[]): string[] {
  return issues.slice(0, 20).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`)
}

/**
 * Parses `text` as JSON (tolerating fences and surrounding prose, then repairing near-JSON
 * locally), makes every string in it storable (`storableText`: raw characters and JSON
 * escapes such as `\\u0000` alike), then validates it, mending enum values given in the
 * wrong case. Never throws.
 */
export function parseOutput<S extends z.ZodType>(text: string, schema: S): ParsedOutput<z.output<S>> {
  const raw = storableText(text)
  const candidates = jsonCandidates(raw.text)
  const strict = strictParse(candidates)
  const jsons = strict.ok ? [strict.json] : repairedParses(candidates)
  if (jsons.length === 0) return { ok: false, issues: [raw.text.trim().length === 0 ? 'the reply is empty' : 'the reply is not a JSON object'] }
  let firstIssues: string[] | null = null
  for (const json of jsons) {
    const read = validate(json, schema)
    if (read.ok) return { ok: true, value: read.value, replaced: raw.replaced + read.replaced, repaired: !strict.ok || read.mended }
    firstIssues ??= read.issues
  }
  return { ok: false, issues: firstIssues ?? [] }
}

function validate<S extends z.ZodType>(json: unknown, schema: S): { ok: true; value: z.output<S>; replaced: number; mended: boolean } | { ok: false; issues: string[] } {
  const storable = storableValue(json)
  let result = schema.safeParse(storable.value)
  let mended = false
  if (!result.success && fixEnumCase(storable.value, result.error.issues) > 0) {
    result = schema.safeParse(storable.value)
    mended = true
  }
  if (result.success) return { ok: true, value: result.data, replaced: storable.replaced, mended }
  return { ok: false, issues: describe(result.error.issues) }
}
