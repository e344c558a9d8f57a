import { Elysia } from 'elysia'
import { readEvents } from '../../events/index.ts'
import { getSession, latestSnapshot } from '../../sessions/index.ts'
import { getTeam } from '../../teams/index.ts'
import { ReplayPage, type SessionEventView, TaskSnapshotPage } from '../../views/index.ts'
import { requireSession, requireTask } from '../access.ts'
import type { AppDeps } from '../deps.ts'
import { NotFoundError } from '../errors.ts'
import { pathId } from './form-parse.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse } from './page-response.ts'
import { planView } from './plan-view.ts'
import { foldReplay } from './replay-fold.ts'
import { tasksWithDecisions } from './session-data.ts'
import { sessionView, snapshotView, taskView, teamView } from './view-data.ts'

/** Replays are read in pages of this many events; a session's log is bounded by its agents' progress reports. */
const PAGE = 1000
const MAX_EVENTS = 20_000

/** `/sessions/:id/replay?step=n` (the session as it was after event n) and `/tasks/:id` (the snapshot inspector). */
export function replayPages(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ name: 'replay-pages' })
    .get(
      '/sessions/:id/replay',
      authedPage(deps, async ({ auth, ctx, params, url }) => {
        const sessionId = pathId(params.id)
        const { role } = await requireSession(db, auth.user.id, sessionId, 'read')
        const row = await getSession(db, sessionId)
        const team = row ? await getTeam(db, row.team_id, role) : null
        if (!row || !team) throw new NotFoundError('Session not found.')
        const events: SessionEventView[] = []
        for (let after = 0; events.length < MAX_EVENTS; ) {
          const page = await readEvents(db, sessionId, after, PAGE)
          events.push(...page)
          if (page.length < PAGE) break
          after = Number(page.at(-1)?.id)
        }
        const { views } = await tasksWithDecisions(db, sessionId)
        const stepParam = url.searchParams.get('step')
        // No step: the start of the log, ready to play or step; a bad step is clamped.
        const step = stepParam !== null && /^\d{1,9}$/.test(stepParam) ? Number(stepParam) : 0
        const clamped = Math.min(step, Math.max(0, events.length - 1))
        const folded = foldReplay(sessionView(row), views, events, clamped)
        return htmlResponse(
          <ReplayPage
            ctx={ctx}
            team={teamView(team)}
            session={folded.session}
            plan={planView(row.plan, views.map((t) => t.agent_role))}
            tasks={folded.tasks}
            events={events}
            step={clamped}
            playing={url.searchParams.get('play') === '1'}
            now={new Date().toISOString()}
          />,
        )
      }),
    )
    .get(
      '/tasks/:id',
      authedPage(deps, async ({ auth, ctx, params }) => {
        const { task } = await requireTask(db, auth.user.id, pathId(params.id), 'read')
        const [session, snapshot] = await Promise.all([getSession(db, task.session_id), latestSnapshot(db, task.id)])
        if (!session) throw new NotFoundError('Task not found.')
        return htmlResponse(
          <TaskSnapshotPage ctx={ctx} session={sessionView(session)} task={taskView(task)} snapshot={snapshot ? snapshotView(snapshot) : null} />,
        )
      }),
    )
}
