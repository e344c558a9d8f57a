import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { sql, type Kysely } from 'kysely'
import type { DatabaseHandle } from '../../src/db/index.ts'
import { testEngines } from '../support/engines.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

/** The seed's schema (shared/seed: "Database Schema"), as the catalog must show it after migrating. */
const SEED_COLUMNS: Record<string, string[]> = {
  users: ['id', 'username', 'email', 'password_hash', 'created_at', 'updated_at'],
  teams: ['id', 'name', 'owner_id', 'is_shared', 'description', 'created_at', 'updated_at'],
  team_memberships: ['id', 'team_id', 'user_id', 'role', 'joined_at'],
  execution_sessions: ['id', 'team_id', 'user_id', 'feature_name', 'status', 'started_at', 'ended_at', 'duration_seconds', 'celery_chain_id', 'created_at'],
  session_decisions: ['id', 'session_id', 'decision_text', 'category', 'confidence', 'created_at'],
  agent_tasks: [
    'id', 'session_id', 'agent_role', 'task_description', 'input_data', 'output_data', 'status', 'started_at',
    'completed_at', 'duration_seconds', 'error_message', 'retry_count', 'celery_task_id', 'created_at',
  ],
  task_decisions: ['id', 'agent_task_id', 'decision_text', 'rationale', 'category', 'created_at'],
  agent_snapshots: ['id', 'agent_task_id', 'agent_role', 'context_state', 'capabilities', 'decisions', 'execution_metadata', 'created_at'],
}

/** Columns API.md needs beyond the seed. */
const API_COLUMNS: Record<string, string[]> = {
  execution_sessions: ['description', 'plan'],
  agent_tasks: ['model', 'input_tokens', 'output_tokens'],
}

/** `table.column -> referenced table.column`, with the delete rule the API needs. */
const SEED_FOREIGN_KEYS: Array<[string, string, string]> = [
  ['teams.owner_id', 'users.id', 'RESTRICT'],
  ['team_memberships.team_id', 'teams.id', 'CASCADE'],
  ['team_memberships.user_id', 'users.id', 'CASCADE'],
  ['execution_sessions.team_id', 'teams.id', 'CASCADE'],
  ['execution_sessions.user_id', 'users.id', 'RESTRICT'],
  ['session_decisions.session_id', 'execution_sessions.id', 'CASCADE'],
  ['agent_tasks.session_id', 'execution_sessions.id', 'CASCADE'],
  ['task_decisions.agent_task_id', 'agent_tasks.id', 'CASCADE'],
  ['agent_snapshots.agent_task_id', 'agent_tasks.id', 'CASCADE'],
]

const SEED_UNIQUES = ['users(username)', 'users(email)', 'team_memberships(team_id,user_id)']

const SEED_INDEXES: Record<string, string> = {
  idx_teams_owner: 'teams(owner_id)',
  idx_sessions_team: 'execution_sessions(team_id)',
  idx_sessions_status: 'execution_sessions(status)',
  idx_agent_tasks_session: 'agent_tasks(session_id)',
  idx_agent_tasks_status: 'agent_tasks(status)',
}

async function columnsOf(db: Kysely<any>): Promise<Map<string, Set<string>>> {
  const { rows } = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns where table_schema = 'public'`.execute(db)
  const out = new Map<string, Set<string>>()
  for (const r of rows) out.set(r.table_name, (out.get(r.table_name) ?? new Set()).add(r.column_name))
  return out
}

async function primaryKeys(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ key: string }>`
    select c.conrelid::regclass::text || '(' || string_agg(a.attname, ',' order by a.attnum) || ')' as key
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'p' and c.connamespace = 'public'::regnamespace
    group by c.conrelid`.execute(db)
  return rows.map((r) => r.key)
}

async function uniques(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ key: string }>`
    select c.conrelid::regclass::text || '(' || string_agg(a.attname, ',' order by array_position(c.conkey, a.attnum)) || ')' as key
    from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
    where c.contype = 'u' and c.connamespace = 'public'::regnamespace
    group by c.oid, c.conrelid`.execute(db)
  return rows.map((r) => r.key)
}

async function foreignKeys(db: Kysely<any>): Promise<string[]> {
  const { rows } = await sql<{ key: string }>`
    select c.conrelid::regclass::text || '.' || a.attname || ' -> ' || c.confrelid::regclass::text || '.' || fa.attname || ' ' ||
      case c.confdeltype when 'c' then 'CASCADE' when 'r' then 'RESTRICT' when 'a' then 'NO ACTION' when 'n' then 'SET NULL' else 'SET DEFAULT' end as key
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    join pg_attribute fa on fa.attrelid = c.confrelid and fa.attnum = c.confkey[1]
    where c.contype = 'f' and c.connamespace = 'public'::regnamespace`.execute(db)
  return rows.map((r) => r.key)
}

async function indexes(db: Kysely<any>): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; def: string }>`
    select i.relname as name, t.relname || '(' || string_agg(a.attname, ',' order by array_position(ix.indkey::int2[], a.attnum)) || ')' as def
    from pg_index ix
    join pg_class i on i.oid = ix.indexrelid
    join pg_class t on t.oid = ix.indrelid
    join pg_attribute a on a.attrelid = t.oid and a.attnum = any(ix.indkey)
    where t.relnamespace = 'public'::regnamespace
    group by i.relname, t.relname`.execute(db)
  return new Map(rows.map((r) => [r.name, r.def]))
}

for (const engine of testEngines()) {
  describe(`schema after migrating (${engine.name})`, () => {
    let handle: DatabaseHandle
    beforeAll(async () => {
      handle = await engine.open()
    })
    afterAll(() => handle.close())

    it("has every table and column of the seed and the columns API.md adds", async () => {
      const columns = await columnsOf(handle.db)
      for (const [table, cols] of Object.entries(SEED_COLUMNS)) {
        expect({ table, columns: [...(columns.get(table) ?? [])].filter((c) => cols.includes(c)).sort() }).toEqual({ table, columns: [...cols].sort() })
      }
      for (const [table, cols] of Object.entries(API_COLUMNS)) {
        for (const col of cols) expect(columns.get(table)?.has(col) ? `${table}.${col}` : `missing ${table}.${col}`).toBe(`${table}.${col}`)
      }
    })

    it('gives every seed table an id primary key', async () => {
      const keys = await primaryKeys(handle.db)
      for (const table of Object.keys(SEED_COLUMNS)) expect(keys).toContain(`${table}(id)`)
    })

    it("has the seed's unique constraints", async () => {
      const found = await uniques(handle.db)
      for (const u of SEED_UNIQUES) expect(found).toContain(u)
    })

    it("has the seed's foreign keys, cascading under a team", async () => {
      const found = await foreignKeys(handle.db)
      for (const [from, to, rule] of SEED_FOREIGN_KEYS) expect(found).toContain(`${from} -> ${to} ${rule}`)
    })

    it("has the seed's five named indexes on the right columns", async () => {
      const found = await indexes(handle.db)
      for (const [name, def] of Object.entries(SEED_INDEXES)) expect(`${name} ${found.get(name) ?? 'missing'}`).toBe(`${name} ${def}`)
    })

    it('compresses large JSON with lz4 where the server has it, and leaves the default elsewhere', async () => {
      const { rows } = await sql<{ supported: boolean; lz4: boolean }>`
        select (select 'lz4' = any(enumvals) from pg_settings where name = 'default_toast_compression') as supported,
          a.attcompression = 'l' as lz4
        from pg_attribute a where a.attrelid = 'agent_tasks'::regclass and a.attname = 'output_data'`.execute(handle.db)
      expect(rows[0]).toEqual({ supported: rows[0]?.supported === true, lz4: rows[0]?.supported === true })
    })

    it('keeps no planner statistics on JSON payloads, and the default on the columns queries filter by', async () => {
      await sql`analyze agent_snapshots`.execute(handle.db)
      const { rows } = await sql<{ attname: string; attstattarget: number }>`
        select attname, coalesce(attstattarget::int, -1) as attstattarget from pg_attribute
        where attrelid = 'agent_snapshots'::regclass and attname in ('context_state', 'execution_metadata', 'agent_task_id') order by attname`.execute(handle.db)
      // -1, or null since PostgreSQL 17: the server's default target.
      expect(rows.map((r) => [r.attname, Number(r.attstattarget)])).toEqual([['agent_task_id', -1], ['context_state', 0], ['execution_metadata', 0]])
    })
  })
}
