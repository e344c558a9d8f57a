import { type Kysely, type RawBuilder, sql } from 'kysely'
import type { Database } from './schema.ts'

/** A JSON row as PostgreSQL's `json_agg` gives it: numbers for every numeric type, strings for text and timestamps. */
export type JsonRow = Record<string, unknown>

/**
 * Runs several row-returning queries as one statement (one round trip, one snapshot): each comes
 * back as a JSON array of its rows, in the order its own `order by` gave them. Meant for queries
 * whose rows the caller reads through `Number()` / `String()`: a JSON row has numbers where the
 * driver would give strings (bigint, numeric) and ISO strings where it would give Dates.
 */
export async function readTogether<K extends string>(db: Kysely<Database>, parts: Record<K, RawBuilder<unknown>>): Promise<Record<K, JsonRow[]>> {
  const names = Object.keys(parts) as K[]
  const columns = names.map((name) => sql`(select coalesce(json_agg(q), '[]') from (${parts[name]}) q) as ${sql.ref(name)}`)
  const { rows } = await sql<Record<K, JsonRow[]>>`select ${sql.join(columns)}`.execute(db)
  const row = rows[0]
  if (!row) throw new Error('readTogether: no row')
  return row
}
