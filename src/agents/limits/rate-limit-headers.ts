/**
 * How long a provider asks the node to wait, from its response: `Retry-After` /
 * `retry-after-ms` on a 429 (or a 503/529 that sends one), and the rate-limit headers of
 * OpenAI (`x-ratelimit-remaining-*` / `x-ratelimit-reset-*`, durations such as `6m0s`) and
 * Anthropic (`anthropic-ratelimit-*-remaining` / `-reset`, RFC 3339 times) when a budget
 * is used up. Milliseconds, or null when the response asks for no pause.
 */
export function backoffFrom(status: number, headers: Headers, now: number = Date.now()): number | null {
  const after = retryAfter(headers, now)
  if (status === 429) return after ?? exhaustedReset(headers, now) ?? null
  if ((status === 503 || status === 529) && after !== null) return after
  return exhaustedReset(headers, now)
}

/** `retry-after-ms`, else `retry-after` in seconds or as an HTTP date; null when absent or unreadable. */
export function retryAfter(headers: Headers, now: number = Date.now()): number | null {
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '')
  if (Number.isFinite(ms) && ms >= 0) return Math.round(ms)
  const value = headers.get('retry-after')
  if (value === null) return null
  const seconds = Number(value.trim())
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000)
  const date = Date.parse(value)
  return Number.isFinite(date) ? Math.max(0, date - now) : null
}

/** `1s`, `6m0s`, `20ms`, `1h2m3.5s` → milliseconds; null when unreadable. */
export function durationMs(text: string): number | null {
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ms|h|m|s)/g)]
  if (parts.length === 0) return null
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 }
  return Math.round(parts.reduce((sum, [, n, u]) => sum + Number(n) * (unit[u as string] ?? 0), 0))
}

/** A reset header as milliseconds from now: a duration (OpenAI) or a timestamp (Anthropic). */
function resetMs(value: string | null, now: number): number | null {
  if (value === null) return null
  const asDate = /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isFinite(asDate)) return Math.max(0, asDate - now)
  return durationMs(value)
}

const BUDGETS = [
  ['x-ratelimit-remaining-requests', 'x-ratelimit-reset-requests'],
  ['x-ratelimit-remaining-tokens', 'x-ratelimit-reset-tokens'],
  ['anthropic-ratelimit-requests-remaining', 'anthropic-ratelimit-requests-reset'],
  ['anthropic-ratelimit-tokens-remaining', 'anthropic-ratelimit-tokens-reset'],
  ['anthropic-ratelimit-input-tokens-remaining', 'anthropic-ratelimit-input-tokens-reset'],
  ['anthropic-ratelimit-output-tokens-remaining', 'anthropic-ratelimit-output-tokens-reset'],
] as const

/** The longest reset among the budgets that are used up; null when none is. */
function exhaustedReset(headers: Headers, now: number): number | null {
  let longest: number | null = null
  for (const [remaining, reset] of BUDGETS) {
    const left = headers.get(remaining)
    if (left === null || Number(left) > 0) continue
    const ms = resetMs(headers.get(reset), now)
    if (ms !== null && (longest === null || ms > longest)) longest = ms
  }
  return longest
}
