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

/** `/decisions?q=&category=`: full-text search over every decision in the viewer's teams. */
export function decisionsPages(deps: AppDeps) {
  return new Elysia({ name: 'decisions-pages' }).get(
    '/decisions',
    authedPage(deps, async ({ auth, ctx, url }) => {
      const q = queryText(url.searchParams.get('q'), 200)
      const category = queryText(url.searchParams.get('category'), 100)
      const [hits, categories] = await Promise.all([
        searchDecisions(deps.db, auth.user.id, { q, category, limit: MAX_RESULTS }),
        decisionCategoryNames(deps.db, auth.user.id, 50),
      ])
      const results = hits.map((h) => ({ ...h, created_at: h.created_at.toISOString() }))
      // Keep a chosen category selectable even when it no longer has decisions.
      const options = category && !categories.includes(category.toLowerCase()) ? [...categories, category] : categories
      return htmlResponse(<DecisionSearchPage ctx={ctx} q={q} category={category.toLowerCase()} categories={options} results={results} />)
    }),
  )
}
