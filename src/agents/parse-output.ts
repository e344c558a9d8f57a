import type { z } from 'zod'

/** The outcome of reading a model's raw text against a schema. */
export type ParsedOutput<T> = { ok: true; value: T } | { ok: false; issues: string[] }

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

/** Parses `text` as JSON (tolerating fences and surrounding prose) and validates it. Never throws. */
export function parseOutput<S extends z.ZodType>(text: string, schema: S): ParsedOutput<z.output<S>> {
  let json: unknown
  let parsed = false
  for (const candidate of jsonCandidates(text)) {
    try {
      json = JSON.parse(candidate)
      parsed = true
      break
    } catch {
      // try the next candidate
    }
  }
  if (!parsed) return { ok: false, issues: ['the reply is not a JSON object'] }
  const result = schema.safeParse(json)
  if (result.success) return { ok: true, value: result.data }
  return {
    ok: false,
    issues: result.error.issues.slice(0, 20).map((i) => `${i.path.length > 0 ? i.path.join('.') : '(root)'}: ${i.message}`),
  }
}
