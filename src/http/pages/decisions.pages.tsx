import { Elysia } from 'elysia'
import { decisionCategoryNames, searchDecisions } from '../../dashboard/index.ts'
import { DecisionSearchPage } from '../../views/index.ts'
import type { AppDeps } from '../deps.ts'
import { authedPage } from './page-handler.tsx'
import { htmlResponse } from './page-response.ts'

const MAX_RESULTS = 100

// Query values are free text: keep them to one line and a sane length rather than failing the page.
function queryText(value: string | null, max: number): string {
  return (value ?? '').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim().slice(0, max)
}

/** The offset a decisions cursor stands for; 0 for none or one this app did not issue. */
function decodeOffset(cursor: string | null): number {
  const match = /^o([1-9][0-9]{0,6})$/.exec(Buffer.from(cursor ?? '', 'base64url').toString())
  return match ? Number(match[1]) : 0
}

/** The URL of the search's page that starts at `offset`. */
function pageHref(q: string, category: string, offset: number): string {
  const params = new URLSearchParams()
  if (q) params.set('q', q)
  if (category) params.set('category', category.toLowerCase())
  params.set('cursor', Buffer.from(`o${offset}`).toString('base64url'))
  return `/decisions?${params.toString()}`
}

/** `/decisions?q=&category=`: full-text search over every decision in the viewer's teams. */
export function decisionsPages(deps: AppDeps) {
  return new Elysia({ name: 'decisions-pages' }).get(
    '/decisions',
    authedPage(deps, async ({ auth, ctx, url }) => {
      const q = queryText(url.searchParams.get('q'), 200)
      const category = queryText(url.searchParams.get('category'), 100)
      const offset = decodeOffset(url.searchParams.get('cursor'))
      // One more than a page: if it comes back, the result is capped and there is a next page.
      const [found, categories] = await Promise.all([
        searchDecisions(deps.db, auth.user.id, { q, category, limit: MAX_RESULTS + 1, offset }),
        decisionCategoryNames(deps.db, auth.user.id, 50),
      ])
      const capped = found.length > MAX_RESULTS
      const hits = found.slice(0, MAX_RESULTS)
      const results = hits.map((h) => ({ ...h, created_at: h.created_at.toISOString() }))
      // Keep a chosen category selectable even when it no longer has decisions.
      const options = category && !categories.includes(category.toLowerCase()) ? [...categories, category] : categories
      return htmlResponse(<DecisionSearchPage ctx={ctx} q={q} category={category.toLowerCase()} categories={options} results={results} offset={offset} next_href={capped ? pageHref(q, category, offset + MAX_RESULTS) : null} />)
    }),
  )
}
