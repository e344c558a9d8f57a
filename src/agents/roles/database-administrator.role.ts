import { z } from 'zod'
import { defineRole, roleOutputSchema } from '../role-definition.ts'
import { simDesign } from './sim-design.ts'

/** Database Administrator: schema, indexes, queries and safe migrations. */
export const databaseAdministratorRole = defineRole({
  id: 'database_administrator',
  displayName: 'Database Administrator',
  description: 'Owns the data layer: schema changes, indexes, query plans and zero-downtime migrations.',
  capabilities: ['design', 'implement', 'optimize', 'audit'],
  dependsOn: ['software_architect'],
  prompt: [
    'You are the Database Administrator of a seven-person development team (PostgreSQL).',
    'Expertise: relational modelling, indexing, query plans, locking, migrations, backup and restore.',
    "Responsibilities: translate the architect's data needs into schema changes, indexes and the key queries,",
    'and write migration steps that run without downtime.',
    'How you think: integrity first (constraints, foreign keys), then access paths (which query uses which index),',
    'then operations (lock duration, rollback). Every change must be reversible.',
    'Output style: SQL that runs on PostgreSQL, one statement per schema change or query.',
    "Consistency: give every backend data model a table (its `table` named after the model, e.g. InvoiceLine → invoice_lines),",
    'and write migration steps the IT administrator can copy into the deployment as they are.',
  ].join('\n'),
  schema: roleOutputSchema({
    schema_changes: z
      .array(z.object({ table: z.string().min(1).max(100), description: z.string().min(1).max(1000), sql: z.string().min(1).max(4000) }))
      .min(1)
      .max(20),
    indexes: z
      .array(
        z.object({
          name: z.string().min(1).max(100),
          table: z.string().min(1).max(100),
          columns: z.array(z.string().min(1).max(100)).min(1).max(8),
          reason: z.string().min(1).max(500),
        }),
      )
      .max(20),
    queries: z.array(z.object({ purpose: z.string().min(1).max(500), sql: z.string().min(1).max(4000) })).max(15),
    migration_steps: z.array(z.string().min(3).max(1000)).min(1).max(20),
  }),
  simulate(ctx) {
    const design = simDesign(ctx.feature)
    // A mismatched DBA names the table after something else and adds a step the deployment does not have.
    const table = ctx.mismatch ? `${design.table}_records` : design.table
    const Subject = ctx.feature.subject.charAt(0).toUpperCase() + ctx.feature.subject.slice(1)
    const statusCol = ctx.pick(['status', 'state', 'phase'])
    return {
      analysis: `${Subject} data needs its own table with team scoping and an audit trail. ${ctx.feature.summary}`,
      approach: `Add ${table} with foreign keys and check constraints, index the list and lookup paths, ship it as an expand-only migration. ${ctx.buildsOn()}`.trim(),
      decisions: [
        {
          text: `Create table ${table} with a foreign key to teams and ON DELETE CASCADE`,
          rationale: `${Subject} rows never outlive their team, and the constraint enforces it in one place.`,
          category: 'data',
        },
        {
          text: `Constrain ${table}.${statusCol} with a CHECK instead of a Postgres enum`,
          rationale: 'Adding a value later is a cheap constraint swap rather than an ALTER TYPE.',
          category: 'data',
        },
      ],
      concerns: ctx.some([`Table growth of ${table} over a year`, 'Lock time of backfills on large tables', 'Retention and deletion policy'], 1, 2),
      confidence: ctx.confidence(),
      schema_changes: [
        {
          table,
          description: `New table for ${ctx.feature.subjects}`,
          sql: `CREATE TABLE ${table} (\n  id bigserial PRIMARY KEY,\n  team_id bigint NOT NULL REFERENCES teams(id) ON DELETE CASCADE,\n  ${statusCol} varchar(50) NOT NULL DEFAULT 'open' CHECK (${statusCol} IN ('open', 'done', 'archived')),\n  created_at timestamptz NOT NULL DEFAULT now()\n);`,
        },
      ],
      indexes: [
        { name: `idx_${table}_team_created`, table, columns: ['team_id', 'created_at'], reason: 'Serves the team list ordered by newest first' },
        ...(ctx.int(0, 1) === 1 ? [{ name: `idx_${table}_${statusCol}`, table, columns: [statusCol], reason: `Filters by ${statusCol} on the dashboard` }] : []),
      ],
      queries: [
        { purpose: `List a team's ${table}`, sql: `SELECT * FROM ${table} WHERE team_id = $1 ORDER BY created_at DESC LIMIT 50;` },
      ],
      migration_steps: [
        ...design.migrationSteps.map((step) => step.replace(design.table, table)),
        ...(ctx.mismatch ? [`Drop the legacy ${table}_old table once reads have moved`] : []),
      ],
    }
  },
})
