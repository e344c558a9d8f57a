import type { Kysely } from 'kysely'
import { z } from 'zod'
import type { ConsistencyFinding, Database } from '../db/index.ts'
import { multilineText } from '../validation/index.ts'

/** What a member may set a finding to. */
export const FINDING_STATUSES = ['open', 'resolved', 'dismissed'] as const

/** A finding's status. */
export type FindingStatus = (typeof FINDING_STATUSES)[number]

/** `PUT /api/findings/:id`: the new status, and a note (omitted: the note stays; empty: it is cleared). */
export const UpdateFindingBody = z.strictObject({
  status: z.enum(FINDING_STATUSES),
  note: multilineText({ max: 2000 }).optional(),
})

/** A validated finding update. */
export type UpdateFindingInput = z.output<typeof UpdateFindingBody>

/** A finding as API.md shows it. */
export interface FindingJson {
  id: number
  session_id: number
  rule: string
  severity: 'error' | 'warning'
  roles: string[]
  message: string
  status: FindingStatus
  note: string | null
  created_at: Date
  updated_at: Date
}

function findingJson(row: ConsistencyFinding): FindingJson {
  return {
    id: row.id,
    session_id: row.session_id,
    rule: row.rule,
    severity: row.severity,
    // jsonb comes back parsed from pg and PGlite; a string is tolerated for safety.
    roles: Array.isArray(row.roles) ? row.roles : (JSON.parse(String(row.roles)) as string[]),
    message: row.message,
    status: row.status,
    note: row.note,
    created_at: row.created_at,
    updated_at: row.updated_at,
  }
}

/** A session's findings in the order the rules found them. */
export async function listFindings(db: Kysely<Database>, sessionId: number): Promise<FindingJson[]> {
  const rows = await db.selectFrom('consistency_findings').selectAll().where('session_id', '=', sessionId).orderBy('id').execute()
  return rows.map(findingJson)
}

/** One finding's session id, for the access check; null when there is no such finding. */
export async function findingSessionId(db: Kysely<Database>, findingId: number): Promise<number | null> {
  const row = await db.selectFrom('consistency_findings').select('session_id').where('id', '=', findingId).executeTakeFirst()
  return row?.session_id ?? null
}

/**
 * Sets a finding's status (and note, when given). The session's score stays what the check
 * gave: resolving a finding records what the team did about it, not a new check.
 */
export async function updateFinding(db: Kysely<Database>, findingId: number, input: UpdateFindingInput): Promise<FindingJson | null> {
  const row = await db
    .updateTable('consistency_findings')
    .set({
      status: input.status,
      ...(input.note === undefined ? {} : { note: input.note === '' ? null : input.note }),
      updated_at: new Date(),
    })
    .where('id', '=', findingId)
    .returningAll()
    .executeTakeFirst()
  return row ? findingJson(row) : null
}
