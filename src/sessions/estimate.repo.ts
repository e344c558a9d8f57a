import { type Kysely, sql, type Transaction } from 'kysely'
import { AGENT_ROLES, type AgentRole, DEFAULT_MODELS, priceFor, priceUsage, type PriceTable } from '../agents/index.ts'
import type { Config } from '../config/index.ts'
import type { Database, SessionPlan } from '../db/index.ts'

/**
 * Tokens assumed for a role the team has never run: about what a role's prompt (feature, journal
 * and upstream outputs) and its structured answer take on a real model. Documented in API.md's
 * estimate: the team's own mean replaces it after the role's first completed task.
 */
export const DEFAULT_ROLE_TOKENS = { input_tokens: 3000, output_tokens: 1500 } as const

/** One role's share of an estimate (API.md `POST /api/sessions/estimate` `by_role`). */
export interface RoleEstimate {
  agent_role: AgentRole
  model: string
  input_tokens: number
  output_tokens: number
  /** USD; 0 when the model's price is unknown (`price_known` false). */
  cost_usd: number
  price_known: boolean
  /** Where the tokens come from: the team's mean for this role (and plan), or the default. */
  basis: 'team_history' | 'default'
}

/** What a session would cost, before it starts. */
export interface SessionEstimate {
  input_tokens: number
  output_tokens: number
  cost_usd: number
  by_role: RoleEstimate[]
}

/** How a role is priced: the model it would run on and the price table. */
export interface RolePricing {
  modelOf(role: AgentRole): string
  prices: PriceTable
}

/** The model each role runs on under `config` (as the providers name it in `agent_tasks.model`). */
export function roleModels(config: Pick<Config, 'MODEL_PROVIDER' | 'MODEL_NAME' | 'MODEL_OVERRIDES'>): (role: AgentRole) => string {
  return (role) => {
    const name = config.MODEL_OVERRIDES?.[role] ?? config.MODEL_NAME
    if (config.MODEL_PROVIDER === 'simulated') return name === undefined || name === 'simulated' ? 'simulated' : `simulated/${name}`
    return name ?? DEFAULT_MODELS[config.MODEL_PROVIDER]
  }
}

type Db = Kysely<Database> | Transaction<Database>

/** How many of the team's latest sessions the means look at: recent prompts and models, and a bounded read per task start. */
export const ESTIMATE_HISTORY_SESSIONS = 100

/**
 * Mean tokens per role of the completed, model-run tasks of the team's latest
 * ESTIMATE_HISTORY_SESSIONS sessions: of sessions with `plan` when there are any, else of any plan.
 */
export async function roleTokenMeans(
  db: Db,
  teamId: number,
  roles: readonly AgentRole[],
  plan: SessionPlan,
): Promise<Map<AgentRole, { input_tokens: number; output_tokens: number }>> {
  const { rows } = await sql<{ agent_role: AgentRole; same_plan: boolean; input_tokens: number; output_tokens: number }>`
    select t.agent_role, (s.plan = ${plan}) as same_plan,
      round(avg(t.input_tokens))::float8 as input_tokens, round(avg(t.output_tokens))::float8 as output_tokens
    from (select id, plan from execution_sessions where team_id = ${teamId} order by id desc limit ${ESTIMATE_HISTORY_SESSIONS}) s
      join agent_tasks t on t.session_id = s.id
    where t.status = 'completed' and t.reused_from_task_id is null
      and t.agent_role = any(${[...roles]}::text[])
    group by 1, 2`.execute(db)
  const out = new Map<AgentRole, { input_tokens: number; output_tokens: number }>()
  for (const row of rows.sort((a, b) => Number(a.same_plan) - Number(b.same_plan))) {
    // Rows of the same plan come last and win.
    out.set(row.agent_role, { input_tokens: Number(row.input_tokens), output_tokens: Number(row.output_tokens) })
  }
  return out
}

/** The estimate of `roles` from their mean tokens (the default for a role without history) and their models' prices. */
export function estimateRoles(
  means: ReadonlyMap<AgentRole, { input_tokens: number; output_tokens: number }>,
  roles: readonly AgentRole[],
  pricing: RolePricing,
): SessionEstimate {
  const ordered = AGENT_ROLES.filter((r) => roles.includes(r))
  const by_role = ordered.map((role): RoleEstimate => {
    const mean = means.get(role)
    const tokens = mean ?? DEFAULT_ROLE_TOKENS
    const model = pricing.modelOf(role)
    const price = priceFor(model, pricing.prices)
    const cost = price ? priceUsage(price, { inputTokens: tokens.input_tokens, outputTokens: tokens.output_tokens }) : 0
    return {
      agent_role: role,
      model,
      input_tokens: tokens.input_tokens,
      output_tokens: tokens.output_tokens,
      cost_usd: cost,
      price_known: price !== null,
      basis: mean ? 'team_history' : 'default',
    }
  })
  return {
    input_tokens: by_role.reduce((n, r) => n + r.input_tokens, 0),
    output_tokens: by_role.reduce((n, r) => n + r.output_tokens, 0),
    cost_usd: Math.round(by_role.reduce((n, r) => n + r.cost_usd, 0) * 1e8) / 1e8,
    by_role,
  }
}

/** The pre-flight estimate of a session of `teamId` with `roles` and `plan`. */
export async function estimateSession(db: Db, teamId: number, roles: readonly AgentRole[], plan: SessionPlan, pricing: RolePricing): Promise<SessionEstimate> {
  return estimateRoles(await roleTokenMeans(db, teamId, roles, plan), roles, pricing)
}

/** A session's money: what its tasks cost so far and what its started tasks hold reserved. */
export async function sessionBudgetStatus(db: Db, sessionId: number): Promise<{ spent_usd: number; reserved_usd: number }> {
  const { rows } = await sql<{ spent_usd: number; reserved_usd: number }>`
    select (select coalesce(sum(coalesce(cost_usd, 0)), 0) from agent_tasks where session_id = ${sessionId})::float8 as spent_usd,
      (select coalesce(sum(amount_usd), 0) from task_budget_reservations where session_id = ${sessionId})::float8 as reserved_usd`.execute(db)
  return { spent_usd: Number(rows[0]?.spent_usd ?? 0), reserved_usd: Number(rows[0]?.reserved_usd ?? 0) }
}
