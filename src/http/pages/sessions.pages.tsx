import { Elysia } from 'elysia'
import { z } from 'zod'
import { createSession, type EndOutcome } from '../../orchestration/index.ts'
import { AddDecisionBody, addDecision, CreateSessionBody, listDecisions, listTasks, loadDesignDocument } from '../../sessions/index.ts'
import { ConfirmActionPage, DecisionForm, DesignDocumentPage, JournalListFragment, type PageContext, SessionPage, type SessionPageProps } from '../../views/index.ts'
import { requireSession, requireTeam } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError, ServiceUnavailableError } from '../errors.ts'
import { designDocumentData } from './document-data.ts'
import { isConfirmed } from './confirm.ts'
import { flashCookie } from './flash.ts'
import { field, fieldList, parseForm, pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse, seeOther, wantsFragment } from './page-response.ts'
import { budgetPanelProps, loadSessionPage } from './session-data.ts'
import { teamPageWithErrors } from './teams.pages.tsx'
import { decisionView, taskView } from './view-data.ts'

const START_LABELS = { team_id: 'Team', feature_name: 'Feature name', description: 'Description', plan: 'Plan', agents: 'Agents' }
const DECISION_LABELS = { decision_text: 'Decision', category: 'Category', confidence: 'Confidence' }

const TeamIdField = z.string().regex(/^[1-9][0-9]{0,14}$/).transform(Number)

/** The live session page for `userId`, optionally with the add-decision form's errors. */
async function sessionPage(
  deps: AppDeps,
  ctx: PageContext,
  userId: number,
  sessionId: number,
  extra: Pick<SessionPageProps, 'decision_form' | 'transport'> = {},
): Promise<JSX.Element> {
  // Reading needs only a place in the session's team (every role may read): one statement decides it and reads the page.
  const data = await loadSessionPage(deps.db, userId, sessionId)
  const role = data.role
  return (
    <SessionPage
      ctx={ctx}
      team={data.team}
      session={data.session}
      plan={data.plan}
      tasks={data.tasks}
      decisions={data.decisions}
      streamed={data.streamed}
      retries={data.retries}
      last_event_id={data.last_event_id}
      findings={data.findings}
      reviews={data.reviews}
      lineage={data.lineage}
      started_by={userId === data.row.user_id ? null : (data.started_by ?? 'a former member')}
      now={new Date().toISOString()}
      budget={budgetPanelProps(data.row, data.budget, role === 'owner', ctx.csrf_token)}
      {...extra}
    />
  )
}

const OUTCOME_FLASH = { completed: 'session_completed', cancelled: 'session_cancelled' } as const

/** The no-JavaScript "Are you sure?" of completing or cancelling a session. */
const END_CONFIRMATION = {
  completed: (id: number, name: string) => ({
    title: 'Complete this session?',
    message: `“${name}” ends now, as completed. Agents still working are cancelled.`,
    action: `/sessions/${id}/complete`,
    confirm_label: 'Complete session',
    back_href: `/sessions/${id}`,
    back_label: 'Keep it running',
  }),
  cancelled: (id: number, name: string) => ({
    title: 'Cancel this session?',
    message: `“${name}” stops now, as cancelled. Running agents stop.`,
    action: `/sessions/${id}/cancel`,
    confirm_label: 'Cancel session',
    back_href: `/sessions/${id}`,
    back_label: 'Keep it running',
    danger: true,
  }),
}

/**
 * `/sessions` (start), `/sessions/:id` (the live page; `?transport=ws` uses the WebSocket),
 * complete/cancel, and the decision journal's add form (a fragment for htmx, 303 without it).
 */
export function sessionsPages(deps: AppDeps) {
  const { db, sessionControl } = deps

  const end = (kind: 'completed' | 'cancelled', outcome: (id: number) => Promise<EndOutcome>) =>
    authedPage(deps, async ({ auth, ctx, params, body }) => {
      const sessionId = pathId(params.id)
      const { session } = await requireSession(db, auth.user.id, sessionId, 'contribute')
      if (!isConfirmed(body)) return htmlResponse(<ConfirmActionPage ctx={ctx} {...END_CONFIRMATION[kind](session.id, session.feature_name)} />)
      const result = await outcome(sessionId)
      if (result === 'not_found') throw new NotFoundError('Session not found.')
      if (result === 'unavailable') throw new ServiceUnavailableError('The session’s supervisor did not answer in time; try again.')
      const flash = result === 'already_ended' ? 'session_ended_already' : OUTCOME_FLASH[kind]
      return seeOther(`/sessions/${sessionId}`, { cookies: [flashCookie(flash)] })
    })

  return new Elysia({ name: 'sessions-pages' })
    .post(
      '/sessions',
      authedPage(deps, async ({ auth, ctx, body }) => {
        const teamId = TeamIdField.safeParse(field(body, 'team_id'))
        if (!teamId.success) throw new NotFoundError('Team not found.')
        await requireTeam(db, auth.user.id, teamId.data, 'contribute')
        const description = field(body, 'description').trim()
        const plan = field(body, 'plan')
        const input = {
          team_id: teamId.data,
          feature_name: field(body, 'feature_name'),
          ...(description ? { description } : {}),
          ...(plan ? { plan } : {}),
          agents: fieldList(body, 'agents'),
        }
        const form = parseForm(CreateSessionBody, input, body, START_LABELS)
        if (!form.ok) {
          return teamPageWithErrors(deps, ctx, auth.user.id, teamId.data, { start_form: { values: form.values, errors: form.errors } })
        }
        const session = await createSession(db, sessionControl, auth.user.id, form.data)
        return seeOther(`/sessions/${session.id}`)
      }),
    )
    .get(
      '/sessions/:id',
      authedPage(deps, async ({ auth, ctx, params, url }) => {
        const transport = url.searchParams.get('transport') === 'ws' ? 'ws' : 'sse'
        return htmlResponse(await sessionPage(deps, ctx, auth.user.id, pathId(params.id), { transport }))
      }),
    )
    .get(
      '/sessions/:id/document',
      authedPage(deps, async ({ auth, ctx, params }) => {
        const sessionId = pathId(params.id)
        await requireSession(db, auth.user.id, sessionId, 'read')
        const rows = await loadDesignDocument(db, sessionId)
        if (!rows) throw new NotFoundError('Session not found.')
        return htmlResponse(<DesignDocumentPage ctx={ctx} doc={designDocumentData(rows)} />)
      }),
    )
    .post('/sessions/:id/complete', end('completed', (id) => sessionControl.complete(id)))
    .post('/sessions/:id/cancel', end('cancelled', (id) => sessionControl.cancel(id)))
    .post(
      '/sessions/:id/decisions',
      authedPage(deps, async ({ auth, ctx, params, body, request }) => {
        const sessionId = pathId(params.id)
        const { session } = await requireSession(db, auth.user.id, sessionId, 'contribute')
        const input = { decision_text: field(body, 'decision_text'), category: field(body, 'category'), confidence: field(body, 'confidence') }
        const form = parseForm(AddDecisionBody, input, body, DECISION_LABELS)
        const fragment = wantsFragment(request)
        if (!form.ok) {
          const decision_form = { values: form.values, errors: form.errors }
          if (fragment) return htmlResponse(<DecisionForm session_id={sessionId} csrf_token={auth.csrfToken} {...decision_form} />, 422)
          return htmlResponse(await sessionPage(deps, { ...ctx, path: `/sessions/${sessionId}` }, auth.user.id, sessionId, { decision_form }), 422, {
            headers: { 'hx-push-url': `/sessions/${sessionId}` },
          })
        }
        await addDecision(db, sessionControl, session.id, auth.user.id, form.data)
        if (!fragment) return seeOther(`/sessions/${sessionId}#journal-title`, { cookies: [flashCookie('decision_added')] })
        // A fresh form in place, and the whole journal out of band (the live stream may deliver it too: same result).
        const [decisions, tasks] = await Promise.all([listDecisions(db, sessionId), listTasks(db, sessionId)])
        const journal = <JournalListFragment decisions={decisions.map(decisionView)} tasks={tasks.map((t) => taskView(t))} />
        const html = await Promise.all([<DecisionForm session_id={sessionId} csrf_token={auth.csrfToken} />, journal])
        return htmlResponse(html.join(''))
      }),
    )
}
