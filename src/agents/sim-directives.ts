import { type AgentRole, isAgentRole } from './role-ids.ts'

/**
 * Simulated-provider directives: test switches written into a session's feature name or
 * description, so supervision can be exercised end to end through the real path.
 * Only the `simulated` provider acts on them; the prompt builder strips them for every provider.
 *
 * Syntax: `[sim:KIND=TARGET,TARGET…]` where TARGET is a role id or `*` (every role),
 * optionally followed by `:N` to affect only attempts 1..N (so attempt N+1 succeeds).
 *
 * | kind      | effect on the targeted agent call                                                   |
 * |-----------|--------------------------------------------------------------------------------------|
 * | `fail`    | rejects with a retryable `ProviderError` (status 503) before streaming              |
 * | `fatal`   | rejects with a non-retryable `ProviderError` (status 400)                           |
 * | `invalid` | first output fails the schema; the repair call returns valid output (`repaired`)    |
 * | `garbage` | every output (first and repair) fails the schema → `AgentOutputError`               |
 * | `hang`    | never answers; waits until the AbortSignal fires (timeouts, cancel)                 |
 * | `crash`   | calls the provider's `onCrash` hook (a Worker passes `() => process.exit(1)`)       |
 * | `mismatch`| valid output that breaks the cross-role consistency rules involving the role        |
 *
 * `mismatch` is about content, not the call: it applies on every attempt beside any other
 * directive (see {@link mismatchFor}); {@link simDirectiveFor} never returns it.
 *
 * @example
 * `Invoice export [sim:fail=backend_developer:2]` — the backend fails twice, then succeeds.
 * `Audit log [sim:hang=security_specialist] [sim:invalid=*]`
 */
export const SIM_DIRECTIVE_KINDS = ['fail', 'fatal', 'invalid', 'garbage', 'hang', 'crash', 'mismatch'] as const

/** What a directive makes the simulated provider do. */
export type SimDirectiveKind = (typeof SIM_DIRECTIVE_KINDS)[number]

/** One parsed directive target. */
export interface SimDirective {
  kind: SimDirectiveKind
  role: AgentRole | '*'
  /** Affects attempts 1..untilAttempt; null = every attempt. */
  untilAttempt: number | null
}

const DIRECTIVE = /\[sim:([a-z]+)=([^\]]*)\]/g

/** Every well-formed directive in `text`; malformed ones are ignored. Never throws. */
export function parseSimDirectives(text: string): SimDirective[] {
  const found: SimDirective[] = []
  for (const match of text.matchAll(DIRECTIVE)) {
    const kind = match[1] as SimDirectiveKind
    if (!SIM_DIRECTIVE_KINDS.includes(kind)) continue
    for (const target of (match[2] ?? '').split(',')) {
      const [role = '', n] = target.trim().split(':')
      if (role !== '*' && !isAgentRole(role)) continue
      const untilAttempt = n === undefined ? null : Number.parseInt(n, 10)
      if (untilAttempt !== null && !(untilAttempt >= 0)) continue
      found.push({ kind, role, untilAttempt })
    }
  }
  return found
}

/** The directive that applies to the call of `role` on `attempt`, the first written wins; null when none. Never `mismatch`. */
export function simDirectiveFor(directives: SimDirective[], role: AgentRole, attempt: number): Exclude<SimDirectiveKind, 'mismatch'> | null {
  for (const d of directives) {
    if (d.kind === 'mismatch') continue
    if ((d.role === '*' || d.role === role) && (d.untilAttempt === null || attempt <= d.untilAttempt)) return d.kind
  }
  return null
}

/** True when a `[sim:mismatch=…]` directive targets `role` on `attempt`: its output breaks the consistency rules involving it. */
export function mismatchFor(directives: SimDirective[], role: AgentRole, attempt: number): boolean {
  return directives.some((d) => d.kind === 'mismatch' && (d.role === '*' || d.role === role) && (d.untilAttempt === null || attempt <= d.untilAttempt))
}

/** `text` without any `[sim:…]` directive, whitespace tidied. */
export function stripSimDirectives(text: string): string {
  return text.replace(DIRECTIVE, ' ').replace(/[ \t]{2,}/g, ' ').trim()
}
