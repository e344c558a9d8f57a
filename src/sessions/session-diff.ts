import { AGENT_ROLES } from '../agents/index.ts'
import type { TaskStatus } from '../db/index.ts'

/** One role of a session as the diff reads it. */
export interface DiffTask {
  agent_role: string
  status: TaskStatus
  output_data: unknown
  /** The output's confidence (0..1); null without a valid output. */
  confidence: number | null
  /** Its decisions' texts, oldest first. */
  decisions: readonly string[]
}

/** One session as the diff reads it. */
export interface DiffSide {
  id: number
  cost_usd: number
  tasks: readonly DiffTask[]
}

/** How one role differs between two sessions (API.md `GET /api/sessions/:id/diff`). */
export interface RoleDiff {
  agent_role: string
  /** Null when the role is not in that session. */
  status: TaskStatus | null
  against_status: TaskStatus | null
  confidence: number | null
  against_confidence: number | null
  decisions: { added: string[]; removed: string[]; kept: string[] }
  /** The output's top-level fields whose values differ (decisions and confidence are reported apart). */
  fields_changed: string[]
}

/** The diff of a session against another: role by role, and this session's cost minus the other's. */
export interface SessionDiff {
  session_id: number
  against_id: number
  roles: RoleDiff[]
  cost_usd_delta: number
}

/** Output fields the diff reports in their own columns, not as changed fields. */
const APART = new Set(['decisions', 'confidence'])

/** JSON with object keys sorted, so equal values compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

function fieldsOf(output: unknown): Record<string, unknown> {
  return output !== null && typeof output === 'object' && !Array.isArray(output) ? (output as Record<string, unknown>) : {}
}

/** The top-level output fields whose values differ, in sorted order. Never throws. */
export function changedFields(output: unknown, against: unknown): string[] {
  const a = fieldsOf(output)
  const b = fieldsOf(against)
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !APART.has(k)).sort()
  return keys.filter((k) => canonical(a[k]) !== canonical(b[k]))
}

function roleDiff(role: string, task: DiffTask | undefined, against: DiffTask | undefined): RoleDiff {
  const mine = task?.decisions ?? []
  const theirs = new Set(against?.decisions ?? [])
  const mineSet = new Set(mine)
  return {
    agent_role: role,
    status: task?.status ?? null,
    against_status: against?.status ?? null,
    confidence: task?.confidence ?? null,
    against_confidence: against?.confidence ?? null,
    decisions: {
      added: [...mineSet].filter((d) => !theirs.has(d)),
      removed: [...theirs].filter((d) => !mineSet.has(d)),
      kept: [...mineSet].filter((d) => theirs.has(d)),
    },
    fields_changed: changedFields(task?.output_data ?? null, against?.output_data ?? null),
  }
}

/**
 * Compares `session` with `against` role by role, in plan order (every role either has), and
 * their costs. A pure function of its arguments; never throws.
 */
export function diffSessions(session: DiffSide, against: DiffSide): SessionDiff {
  const mine = new Map(session.tasks.map((t) => [t.agent_role, t]))
  const theirs = new Map(against.tasks.map((t) => [t.agent_role, t]))
  const known = new Set<string>(AGENT_ROLES)
  const extra = [...new Set([...mine.keys(), ...theirs.keys()])].filter((r) => !known.has(r)).sort()
  const roles = [...AGENT_ROLES, ...extra].filter((r) => mine.has(r) || theirs.has(r))
  return {
    session_id: session.id,
    against_id: against.id,
    roles: roles.map((r) => roleDiff(r, mine.get(r), theirs.get(r))),
    cost_usd_delta: Math.round((session.cost_usd - against.cost_usd) * 1e6) / 1e6,
  }
}

/** True when the role is the same on both sides: status, confidence, decisions and output fields. */
export function roleUnchanged(role: RoleDiff): boolean {
  return (
    role.status === role.against_status &&
    role.confidence === role.against_confidence &&
    role.decisions.added.length === 0 &&
    role.decisions.removed.length === 0 &&
    role.fields_changed.length === 0
  )
}

/** The roles that differ between the two sessions. */
export function changedRoles(diff: SessionDiff): string[] {
  return diff.roles.filter((r) => !roleUnchanged(r)).map((r) => r.agent_role)
}
