import { type Kysely, sql } from 'kysely'

/**
 * The actor runtime's tables: node registry, partition leases (with fencing epochs),
 * inbox (dedupe), outbox (messages committed but not yet handled), durable timers,
 * Worker-pool jobs, the actor registry (supervisor links), dead letters and
 * cluster-wide periodic schedules.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('actor_nodes')
    .addColumn('node_id', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('heartbeat_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('draining', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('info', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute()

  await db.schema
    .createTable('actor_partitions')
    .addColumn('partition', 'integer', (c) => c.primaryKey())
    .addColumn('owner', 'text')
    .addColumn('epoch', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()

  await db.schema
    .createTable('actor_inbox')
    .addColumn('message_id', 'text', (c) => c.primaryKey())
    .addColumn('partition', 'integer', (c) => c.notNull())
    .addColumn('handled_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('actor_inbox_handled_at_idx').on('actor_inbox').column('handled_at').execute()

  await db.schema
    .createTable('actor_outbox')
    .addColumn('seq', 'bigserial', (c) => c.primaryKey())
    .addColumn('message_id', 'text', (c) => c.notNull().unique())
    .addColumn('target_partition', 'integer', (c) => c.notNull())
    .addColumn('source_partition', 'integer')
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('actor_outbox_target_idx').on('actor_outbox').columns(['target_partition', 'seq']).execute()
  await db.schema.createIndex('actor_outbox_source_idx').on('actor_outbox').columns(['source_partition', 'seq']).execute()

  await db.schema
    .createTable('actor_timers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partition', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('key', 'text')
    .addColumn('fire_at', 'timestamptz', (c) => c.notNull())
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('actor_timers_due_idx').on('actor_timers').columns(['partition', 'fire_at']).execute()
  await db.schema.createIndex('actor_timers_key_idx').on('actor_timers').columns(['actor', 'key']).unique().where(sql.ref('key'), 'is not', null).execute()

  await db.schema
    .createTable('actor_jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('partition', 'integer', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('deadline_ms', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('actor_jobs_partition_idx').on('actor_jobs').column('partition').execute()

  await db.schema
    .createTable('actor_registry')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('partition', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('supervisor', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active').check(sql`status in ('active', 'stopped')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('actor_registry_supervisor_idx').on('actor_registry').column('supervisor').execute()

  await db.schema
    .createTable('actor_dead_letters')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('partition', 'integer', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .addColumn('actor', 'text')
    .addColumn('message_type', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('envelope', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute()
  await db.schema.createIndex('actor_dead_letters_actor_idx').on('actor_dead_letters').column('actor').execute()

  await db.schema
    .createTable('actor_schedules')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('period_ms', 'integer', (c) => c.notNull())
    .addColumn('next_run_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('last_run_at', 'timestamptz')
    .addColumn('last_node', 'text')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'actor_schedules',
    'actor_dead_letters',
    'actor_registry',
    'actor_jobs',
    'actor_timers',
    'actor_outbox',
    'actor_inbox',
    'actor_partitions',
    'actor_nodes',
  ]) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
