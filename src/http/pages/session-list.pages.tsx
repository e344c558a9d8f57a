import { Elysia } from 'elysia'
import { z } from 'zod'
import { decodeCursor, readSessionListPage, SESSION_PLANS, SESSION_STATUSES } from '../../sessions/index.ts'
import { AllSessionsPage, sessionListHref } from '../../views/index.ts'
import type { AppDeps } from '../deps.ts'
import { ValidationError } from '../errors.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse } from './page-response.ts'
import { sessionView } from './view-data.ts'

/** Rows on one page of `/sessions`. */
export const SESSION_PAGE_SIZE = 25

// An empty select or text box means "any": '' becomes undefined before the field's own rule.
const anyIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional())
const IdText = z.string().regex(/^[1-9][0-9]{0,14}$/, 'is not an id').transform(Number)

/** The query of `/sessions`: every filter optional, the cursor one this app issued. */
const SessionListQuery = z.object({
  team: anyIfEmpty(IdText),
  status: anyIfEmpty(z.enum(SESSION_STATUSES)),
  plan: anyIfEmpty(z.enum(SESSION_PLANS)),
  by: anyIfEmpty(IdText),
  q: anyIfEmpty(z.string().trim().max(200, 'is too long')),
  cursor: anyIfEmpty(z.string().max(100)),
})

/** `/sessions`: every session of the viewer's teams, filtered by team, status, plan, starter and name, in keyset pages. */
export function sessionListPages(deps: AppDeps) {
  const { db } = deps
  return new Elysia({ name: 'session-list-pages' }).get(
    '/sessions',
    authedPage(deps, async ({ auth, ctx, url }) => {
      const parsed = SessionListQuery.safeParse(Object.fromEntries(url.searchParams))
      if (!parsed.success) {
        throw new ValidationError(parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })))
      }
      const query = parsed.data
      let after: number | undefined
      if (query.cursor !== undefined) {
        const decoded = decodeCursor(query.cursor)
        if (decoded === null) throw new ValidationError([{ field: 'cursor', message: 'is not a cursor this app issued' }])
        after = decoded
      }
      // The viewer's teams, their starters and the page: one statement.
      const { teams, starters, page } = await readSessionListPage(db, auth.user.id, {
        team: query.team,
        status: query.status,
        plan: query.plan,
        started_by: query.by,
        q: query.q,
        limit: SESSION_PAGE_SIZE,
        after,
      })
      const filters = {
        team: query.team === undefined ? '' : String(query.team),
        status: query.status ?? '',
        plan: query.plan ?? '',
        by: query.by === undefined ? '' : String(query.by),
        q: query.q ?? '',
      }
      return htmlResponse(
        <AllSessionsPage
          ctx={ctx}
          filters={filters}
          teams={teams}
          starters={starters}
          statuses={SESSION_STATUSES}
          plans={SESSION_PLANS}
          sessions={page.sessions.map(sessionView)}
          next_href={page.next_cursor ? sessionListHref(filters, page.next_cursor) : null}
          paged={after !== undefined}
        />,
      )
    }),
  )
}
