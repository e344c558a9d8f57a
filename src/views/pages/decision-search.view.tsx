import { Button, ConfidenceBadge, EmptyState, PageHeader, SelectField, Spinner, TextField, TimeText } from '../components/index.ts'
import { formatCount, roleLabel } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { PageContext } from '../view-types.ts'
import { highlightMatches } from './highlight.ts'

/** One search hit: a journal decision or an agent's decision, with its session. */
export interface DecisionSearchResult {
  id: number
  source: 'journal' | 'agent'
  session_id: number
  feature_name: string
  team_name: string
  decision_text: string
  rationale: string | null
  category: string | null
  confidence: string | null
  /** For agent decisions. */
  agent_role: string | null
  created_at: string
}

/** Props of {@link DecisionSearchPage}. */
export interface DecisionSearchPageProps {
  ctx: PageContext
  q: string
  category: string
  categories: string[]
  results: DecisionSearchResult[]
  /** How many hits come before this page (0 on the first). */
  offset?: number
  /** The next page when the result was capped at one page, else null. */
  next_href?: string | null
}

/** The DOM id of the results region the search form updates in place. */
export const SEARCH_RESULTS_ID = 'search-results'

/**
 * Decision search. The form is a plain GET (a shareable URL); with htmx it searches as you type
 * and swaps only the results, pushing the URL so back and forward work.
 */
export function DecisionSearchPage(props: DecisionSearchPageProps): JSX.Element {
  return (
    <Layout title="Decisions" ctx={props.ctx}>
      <PageHeader title="Decisions" subtitle="Search every decision made in your teams' sessions." />
      <form
        method="get"
        action={paths.decisions()}
        role="search"
        class="search-form"
        hx-get={paths.decisions()}
        hx-trigger="submit, input changed delay:400ms from:find input, change from:find select"
        hx-target={`#${SEARCH_RESULTS_ID}`}
        hx-select={`#${SEARCH_RESULTS_ID}`}
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-indicator="#search-spinner"
      >
        <TextField name="q" type="search" label="Search text" value={props.q} placeholder="e.g. cache, JWT, index" />
        <SelectField
          name="category"
          label="Category"
          value={props.category}
          emptyLabel="Any category"
          options={props.categories.map((c) => ({ value: c, label: c }))}
        />
        <div class="form-actions">
          <Button>Search</Button>
          <Spinner id="search-spinner" label="Searching…" indicator />
        </div>
      </form>
      <DecisionResults q={props.q} results={props.results} offset={props.offset ?? 0} next_href={props.next_href ?? null} />
    </Layout>
  )
}

/** The results region alone (also usable as a fragment). */
export function DecisionResults(props: {
  q: string
  results: DecisionSearchResult[]
  offset?: number
  next_href?: string | null
}): JSX.Element {
  const offset = props.offset ?? 0
  const n = props.results.length
  // A capped or later page says which slice it is, never a total it does not know.
  const title =
    props.next_href || offset > 0
      ? `Decisions ${formatCount(offset + 1)}–${formatCount(offset + n)}${props.next_href ? ', more on the next page' : ''}`
      : n === 1
        ? '1 decision'
        : `${formatCount(n)} decisions`
  return (
    <section id={SEARCH_RESULTS_ID} aria-labelledby="results-title" class="panel" aria-live="polite">
      <h2 id="results-title" class="section-title" safe>
        {title}
      </h2>
      {props.results.length === 0 ? (
        <EmptyState
          title="No matching decisions"
          message={props.q ? 'Try fewer or different words, or another category.' : 'Decisions appear here once agents finish their work.'}
        />
      ) : (
        <ol class="result-list">
          {props.results.map((r) => {
            // highlightMatches escapes every piece of the text itself.
            const safeText = highlightMatches(r.decision_text, props.q)
            const source = r.source === 'agent' && r.agent_role ? roleLabel(r.agent_role) : 'Journal'
            return (
              <li class="result-item">
                <p class="result-text">{safeText}</p>
                {r.rationale ? (
                  <p class="agent-rationale" safe>
                    {r.rationale}
                  </p>
                ) : (
                  ''
                )}
                <p class="journal-meta">
                  <a href={paths.session(r.session_id)} safe>
                    {r.feature_name}
                  </a>
                  <span class="muted" safe>
                    {r.team_name}
                  </span>
                  <span class="muted" safe>
                    {source}
                  </span>
                  {r.category ? (
                    <span class="tag" safe>
                      {r.category}
                    </span>
                  ) : (
                    ''
                  )}
                  <ConfidenceBadge confidence={r.confidence} />
                  <TimeText iso={r.created_at} />
                </p>
              </li>
            )
          })}
        </ol>
      )}
      {props.next_href ? (
        <nav aria-label="Pages of decisions" class="pager">
          <a href={props.next_href} class="btn btn-secondary">
            Next decisions →
          </a>
        </nav>
      ) : (
        ''
      )}
    </section>
  )
}
