import { type Kysely, sql } from 'kysely'
import type { AgentRole } from '../../src/agents/index.ts'
import type { Database } from '../../src/db/index.ts'

/** `simulated` at $2 / $10 per million input / output tokens: every test here pays for its tokens. */
export const SIM_PRICE = { input: 2, output: 10 }
export const MODEL_PRICES = JSON.stringify({ simulated: SIM_PRICE })

/** What `tokens` cost at SIM_PRICE, rounded as the columns hold it. */
export function simCost(inputTokens: number, outputTokens: number): number {
  return Math.round(((inputTokens * SIM_PRICE.input + outputTokens * SIM_PRICE.output) / 1e6) * 1e8) / 1e8
}

/** A session's tasks (id order) with what the budget needs. */
export async function budgetTasks(db: Kysely<Database>, sessionId: number) {
  return db
    .selectFrom('agent_tasks')
    .select(['id', 'agent_role', 'status', 'input_tokens', 'output_tokens', 'cost_usd'])
    .where('session_id', '=', sessionId)
    .orderBy('id')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, agent_role: r.agent_role as AgentRole })))
}

/** The team's months (spent and reserved as numbers, from `team_budget_ledger`) and its open reservations. */
export async function teamLedger(db: Kysely<Database>, teamId: number) {
  const { rows: months } = await sql<{ spent: number; reserved: number }>`
    select spent_usd::float8 as spent, reserved_usd::float8 as reserved from team_budget_ledger where team_id = ${teamId}`.execute(db)
  const { rows: held } = await sql<{ n: number }>`select count(*)::int as n from task_budget_reservations where team_id = ${teamId}`.execute(db)
  return { months, reservations: held[0]?.n ?? 0 }
}

/** Sum rounded to 1e-8. */
export function sumUsd(values: ReadonlyArray<number | null>): number {
  return Math.round(values.reduce<number>((n, v) => n + (v ?? 0), 0) * 1e8) / 1e8
}
