import { Elysia } from 'elysia'
import { findingSessionId, listFindings, UpdateFindingBody, updateFinding } from '../../sessions/index.ts'
import { findingElementId, FindingItem } from '../../views/index.ts'
import { requireSession } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError, ValidationError } from '../errors.ts'
import { findingView } from './finding-view.ts'
import { field, parseForm, pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse, seeOther, wantsFragment } from './page-response.ts'

const FINDING_LABELS = { status: 'Status', note: 'Note' }

/**
 * `POST /sessions/:id/findings/:finding_id`: the page twin of `PUT /api/findings/:id`. Without
 * JavaScript it redirects back to the finding; with htmx it answers with the finding, swapped in place.
 */
export function findingsPages(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ name: 'findings-pages' }).post(
    '/sessions/:id/findings/:finding_id',
    authedPage(deps, async ({ auth, params, body, request }) => {
      const sessionId = pathId(params.id)
      const findingId = pathId(params.finding_id)
      if ((await findingSessionId(db, findingId)) !== sessionId) throw new NotFoundError('Finding not found.')
      const { session } = await requireSession(db, auth.user.id, sessionId, 'contribute')
      const form = parseForm(UpdateFindingBody, { status: field(body, 'status'), note: field(body, 'note') }, body, FINDING_LABELS)
      const fragment = wantsFragment(request)
      const itemProps = { session_id: sessionId, can_act: true, can_fork: session.status !== 'active', csrf_token: auth.csrfToken }
      if (!form.ok) {
        const current = (await listFindings(db, sessionId)).find((f) => f.id === findingId)
        if (!current) throw new NotFoundError('Finding not found.')
        const error = form.errors.note ?? form.errors.status ?? Object.values(form.errors)[0]
        if (fragment) return htmlResponse(<FindingItem finding={findingView(current)} error={error} {...itemProps} />, 422)
        throw new ValidationError(Object.entries(form.errors).map(([name, message]) => ({ field: name, message })))
      }
      const updated = await updateFinding(db, findingId, form.data)
      if (!updated) throw new NotFoundError('Finding not found.')
      if (!fragment) return seeOther(`/sessions/${sessionId}#${findingElementId(findingId)}`)
      return htmlResponse(<FindingItem finding={findingView(updated)} {...itemProps} />)
    }),
  )
}
