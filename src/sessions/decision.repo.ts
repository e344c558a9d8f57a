import { type Kysely, sql, type Transaction } from 'kysely'
import type { Database, SessionDecision } from '../db/index.ts'
import type { SessionControl } from '../orchestration/session-control.ts'
import type { AddDecisionInput } from './session.schemas.ts'

/** Adds a decision to a session's journal and tells the supervisor, in one transaction. */
export async function addDecision(
  db: Kysely<Database>,
  control: SessionControl,
  sessionId: number,
  input: AddDecisionInput,
): Promise<SessionDecision> {
  const { decision, after } = await db.transaction().execute(async (trx: Transaction<Database>) => {
    const decision = await trx
      .insertInto('session_decisions')
      .values({ session_id: sessionId, decision_text: input.decision_text, category: input.category, confidence: input.confidence })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { decision, after: await control.decisionAdded(trx, decision) }
  })
  await after?.()
  return decision
}

/**
 * A session's journal, oldest first; with `q`, only decisions matching the web-style
 * full-text query (PostgreSQL `websearch_to_tsquery`, English stemming), best match first.
 */
export async function listDecisions(
  db: Kysely<Database>,
  sessionId: number,
  filter: { q?: string | undefined; category?: string | undefined } = {},
): Promise<SessionDecision[]> {
  let query = db.selectFrom('session_decisions').selectAll().where('session_id', '=', sessionId)
  if (filter.category !== undefined) query = query.where(sql`lower(category)`, '=', filter.category.toLowerCase())
  const q = filter.q?.trim()
  if (q) {
    // The expression matches the GIN index of migration 0010.
    const tsQuery = sql`websearch_to_tsquery('english', ${q})`
    return query
      .where(sql<boolean>`to_tsvector('english', decision_text) @@ ${tsQuery}`)
      .orderBy(sql`ts_rank(to_tsvector('english', decision_text), ${tsQuery})`, 'desc')
      .orderBy('id')
      .execute()
  }
  return query.orderBy('created_at').orderBy('id').execute()
}
