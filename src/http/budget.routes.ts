import { Elysia } from 'elysia'
import { documented, Estimate, SessionEnvelope } from './api-schemas/index.ts'
import { z } from 'zod'
import { AGENT_ROLES } from '../agents/index.ts'
import { createPriceTable } from '../agents/index.ts'
import { setSessionBudget } from '../orchestration/index.ts'
import { CreateSessionBody, estimateSession, getSession, listTasks, type RolePricing, roleModels, sessionJson, sessionTotals } from '../sessions/index.ts'
import { BudgetUsd } from '../teams/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireSession, requireTeam } from './access.ts'
import { authGuard } from './auth-guard.ts'
import type { AppDeps } from './deps.ts'
import { NotFoundError } from './errors.ts'

/** Body of `POST /api/sessions/estimate`: what `POST /api/sessions` would take, without review and budget. */
export const EstimateBody = CreateSessionBody.omit({ review: true, budget_usd: true })

/** Body of `PUT /api/sessions/:id/budget`: a budget in USD, or null for none. */
export const SessionBudgetBody = z.strictObject({ budget_usd: BudgetUsd.nullable() })

/** How this process prices roles: the configured models and `MODEL_PRICES` over the built-in table. */
export function rolePricing(config: AppDeps['config']): RolePricing {
  return { modelOf: roleModels(config), prices: createPriceTable(config.MODEL_PRICES) }
}

/** Cost governance routes: the pre-flight estimate and a session's budget. */
export function budgetRoutes(deps: AppDeps) {
  const { db, sessionControl } = deps
  const pricing = rolePricing(deps.config)
  return new Elysia({ prefix: '/api/sessions', detail: { tags: ['sessions'] } })
    .use(authGuard(deps))
    .post(
      '/estimate',
      async ({ user, body }) => {
        await requireTeam(db, user.id, body.team_id, 'read')
        return estimateSession(db, body.team_id, body.agents ?? AGENT_ROLES, body.plan ?? 'dag', pricing)
      },
      { auth: true, body: EstimateBody, detail: documented({ id: 'estimateSession', summary: 'What a session would cost: per role the team’s mean tokens (or a default) × the model’s price', 200: Estimate, errors: [404] }) },
    )
    .put(
      '/:id/budget',
      async ({ user, params, body }) => {
        await requireSession(db, user.id, params.id, 'manage')
        if (!(await setSessionBudget(db, sessionControl, params.id, body.budget_usd))) throw new NotFoundError('Session not found.')
        const session = await getSession(db, params.id)
        if (!session) throw new NotFoundError('Session not found.')
        return { session: sessionJson(session, sessionTotals(await listTasks(db, session.id))) }
      },
      {
        auth: true,
        params: IdParams,
        body: SessionBudgetBody,
        detail: documented({
          id: 'updateSessionBudget',
          summary: 'Set a session’s budget (owners); a session waiting on its budget goes on once the new one covers its next task',
          200: SessionEnvelope,
          errors: [403, 404],
        }),
      },
    )
}
