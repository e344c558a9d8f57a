import { type Kysely, sql } from 'kysely'

/**
 * How long an idle PostgreSQL backend may keep its transaction counts before it reports
 * them (PGSTAT_IDLE_INTERVAL, 10 s in PostgreSQL 15+), plus a margin: `pg_stat_database`
 * is complete for work done before a wait this long, or once the backends have exited.
 */
export const STATS_FLUSH_MS = 11_000

/** Bytes of a WAL position (`pg_lsn` text, `16/B374D848`). Throws on anything else. */
export function lsnBytes(lsn: string): bigint {
  const m = /^([0-9A-F]+)\/([0-9A-F]+)$/i.exec(lsn)
  if (!m) throw new Error(`Not a WAL position: ${lsn}`)
  return (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`)
}

/** The server's current WAL insert position, in bytes (cluster-wide: every database's writes move it). */
export async function readWalBytes<DB>(db: Kysely<DB>): Promise<bigint> {
  const { rows } = await sql<{ lsn: string }>`select pg_current_wal_lsn()::text as lsn`.execute(db)
  return lsnBytes(rows[0]?.lsn ?? '')
}

/**
 * Transactions committed so far in `database` (`pg_stat_database.xact_commit`), as the
 * backends have reported them (see STATS_FLUSH_MS). Each call is its own transaction, so
 * the statistics snapshot is fresh; when `db` is connected to `database`, it counts itself.
 */
export async function readCommits<DB>(db: Kysely<DB>, database: string): Promise<number> {
  const { rows } = await sql<{ n: string }>`select xact_commit::text as n from pg_stat_database where datname = ${database}`.execute(db)
  return Number(rows[0]?.n ?? Number.NaN)
}

/** Pids of the backends connected to `database` under `applicationName`. */
export async function backendPids<DB>(db: Kysely<DB>, database: string, applicationName: string): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`
    select pid from pg_stat_activity where datname = ${database} and application_name = ${applicationName}`.execute(db)
  return rows.map((r) => r.pid)
}
