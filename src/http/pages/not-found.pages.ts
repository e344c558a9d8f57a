import { Elysia } from 'elysia'
import type { AppDeps } from '../deps.ts'
import { NotFoundError } from '../errors.ts'
import { publicPage } from './page-handler.tsx'

/**
 * The page for a browser URL nothing else serves: a 404 HTML page in the site's layout.
 * Registered last; `/api/*` keeps the JSON error shape of the shared handler.
 */
export function notFoundPages(deps: AppDeps) {
  const page = publicPage(deps, async () => {
    throw new NotFoundError('There is no page at this address.')
  })
  return new Elysia({ name: 'not-found-pages' }).get('/*', (c) => {
    if (new URL(c.request.url).pathname.startsWith('/api/')) throw new NotFoundError()
    return page(c)
  })
}
