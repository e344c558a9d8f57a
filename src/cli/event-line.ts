import type { CliEvent } from './event-follower.ts'

function detail(event: CliEvent): string {
  const d = event.data
  const parts: string[] = []
  if (typeof d.attempt === 'number') parts.push(`attempt ${d.attempt}`)
  if (typeof d.chars === 'number') parts.push(`${d.chars} chars`)
  if (typeof d.error === 'string') parts.push(`error: ${d.error.replace(/\s+/g, ' ').slice(0, 200)}`)
  if (typeof d.decision_text === 'string') parts.push(d.decision_text.replace(/\s+/g, ' ').slice(0, 120))
  return parts.join(', ')
}

/**
 * One event as one plain line (for pipes and logs): `#id time type role detail`, no colour.
 * @example
 * `#3 2026-12-07T18:00:01.204Z task_completed backend_developer attempt 1`
 */
export function formatEventLine(event: CliEvent): string {
  const role = typeof event.data.agent_role === 'string' ? event.data.agent_role : ''
  return [`#${event.id}`, event.at, event.type, role, detail(event)].filter(Boolean).join(' ')
}
