import { Elysia } from 'elysia'
import { setSessionBudget } from '../../orchestration/index.ts'
import { getSession, sessionBudgetStatus } from '../../sessions/index.ts'
import { BudgetPanel, Layout, StartEstimate } from '../../views/index.ts'
import { requireSession, requireTeam } from '../access.ts'
import { SessionBudgetBody } from '../budget.routes.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError } from '../errors.ts'
import { startFormEstimate } from './budget-estimate.ts'
import { field, formValuesOf, parseForm, pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse, seeOther, wantsFragment } from './page-response.ts'
import { budgetPanelProps } from './session-data.ts'
import { teamPageWithErrors } from './teams.pages.tsx'

/** A budget field: blank is no number (the form raises a budget, it does not remove it); anything else as typed. */
function budgetField(body: Record<string, unknown>): unknown {
  const text = field(body, 'budget_usd').trim()
  return text === '' ? undefined : /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : text
}

/**
 * `POST /sessions/:id/budget`: the owner's "Raise budget" form of the session page. With htmx it
 * answers with the budget panel (422 with its errors); without, 303 back to the page (or the
 * panel's errors on a page of their own under 422). The session goes on by itself, live.
 */
export function budgetPages(deps: AppDeps) {
  const { db } = deps
  const panelProps = async (sessionId: number, csrf: string | null) => {
    const row = await getSession(db, sessionId)
    if (!row) throw new NotFoundError('Session not found.')
    return budgetPanelProps(row, await sessionBudgetStatus(db, sessionId), true, csrf)
  }
  return new Elysia({ name: 'budget-pages' })
    .post(
      '/teams/:id/estimate',
      authedPage(deps, async ({ auth, ctx, params, body, request }) => {
        const teamId = pathId(params.id)
        await requireTeam(db, auth.user.id, teamId, 'contribute')
        const values = formValuesOf(body)
        const estimate = await startFormEstimate(deps, teamId, values)
        if (wantsFragment(request)) return htmlResponse(<StartEstimate team_id={teamId} estimate={estimate} />)
        return teamPageWithErrors(deps, ctx, auth.user.id, teamId, { start_form: { values, estimate } }, 200)
      }),
    )
    .post(
    '/sessions/:id/budget',
    authedPage(deps, async ({ auth, ctx, params, body, request }) => {
      const sessionId = pathId(params.id)
      await requireSession(db, auth.user.id, sessionId, 'manage')
      const form = parseForm(SessionBudgetBody, { budget_usd: budgetField(body) }, body, { budget_usd: 'Budget' })
      if (!form.ok) {
        const props = await panelProps(sessionId, auth.csrfToken)
        const invalid = { value: field(body, 'budget_usd'), errors: form.errors }
        if (wantsFragment(request)) return htmlResponse(<BudgetPanel {...props} {...invalid} />, 422)
        return htmlResponse(
          <Layout title="Raise budget" ctx={ctx}>
            <BudgetPanel {...props} {...invalid} />
            <a href={`/sessions/${sessionId}`}>Back to the session</a>
          </Layout>,
          422,
        )
      }
      await setSessionBudget(db, deps.sessionControl, sessionId, form.data.budget_usd)
      if (wantsFragment(request)) return htmlResponse(<BudgetPanel {...await panelProps(sessionId, auth.csrfToken)} />)
      return seeOther(`/sessions/${sessionId}`)
    }),
  )
}
