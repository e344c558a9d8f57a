import type { z } from 'zod'
import { storableText, storableValue } from '../validation/storable-text.ts'

/**
 * The outcome of reading a model's raw text against a schema. `replaced` counts the NULs
 * removed and lone surrogates replaced (U+FFFD) before validation, so what was validated
 * is what PostgreSQL can store.
 */
export type ParsedOutput<T> = { ok: true; value: T; replaced: number } | { ok: false; issues: string[] }

function jsonCandidates(text: string): string[] {
  const trimmed = text.trim()
  const candidates = [trimmed]
  // Models often wrap JSON in a Markdown fence or a sentence despite being told not to.
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(trimmed)
  if (fenced?.[1]) candidates.push(fenced[1].trim())
  const first = trimmed.indexOf('{')
  const last = trimmed.lastIndexOf('}')
  if (first >= 0 && last > first) candidates.push(trimmed.slice(first, last + 1))
  return candidates
}

/**
 * Parses `text` as JSON (tolerating fences and surrounding prose), makes every string in it
 * storable (`storableText`: raw characters and JSON escapes such as `\\u0000` alike), then
 * validates it. Never throws.
 */
export function parseOutput<S extends z.ZodType>(text: string, schema: S): ParsedOutput<z.output<S>> {
  const raw = storableText(text)
  let json: unknown
  let parsed = false
  for (const candidate of jsonCandidates(raw.text)) {
    try {
      json = JSON.parse(candidate)
      parsed = true
      break
    } catch {
      // try the next candidate
    }
  }
  if (!parsed) return { ok: false, issues: ['the reply is not a JSON object'] }
  const storable = storableValue(json)
  const result = schema.safeParse(storable.value)
  if (result.success) return { ok: true, value: result.data, replaced: raw.replaced + storable.replaced }
  return {
    ok: false,
    issues: result.error.issues.slice(0, 20).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`),
  }
}
