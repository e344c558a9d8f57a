import { Elysia } from 'elysia'
import { latestSnapshot } from '../sessions/index.ts'
import { IdParams } from '../validation/index.ts'
import { requireTask } from './access.ts'
import type { AppDeps } from './deps.ts'
import { authGuard } from './auth-guard.ts'
import { NotFoundError } from './errors.ts'
import { documented, SnapshotEnvelope } from './api-schemas/index.ts'

/** `/api/tasks/:id/snapshot`: an agent's latest snapshot. */
export function tasksRoutes(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ prefix: '/api/tasks', detail: { tags: ['tasks'] } }).use(authGuard(deps)).get(
    '/:id/snapshot',
    async ({ user, params }) => {
      const { task } = await requireTask(db, user.id, params.id, 'read')
      const snapshot = await latestSnapshot(db, task.id)
      if (!snapshot) throw new NotFoundError('This task has no snapshot yet.')
      return { snapshot }
    },
    { auth: true, params: IdParams, detail: documented({ id: 'getTaskSnapshot', summary: 'The latest snapshot of an agent task', 200: SnapshotEnvelope, errors: [404] }) },
  )
}
