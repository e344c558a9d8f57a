import { Button, EmptyState, PageHeader, SelectField, Spinner, TextField } from '../components/index.ts'
import { planLabel } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { PageContext, SessionView } from '../view-types.ts'
import { SessionList } from './session-list.view.tsx'
import { SessionPager } from './session-pager.view.tsx'

/** The filters of the session list, as they appear in its URL ('' = any). */
export interface SessionListFilters {
  team: string
  status: string
  plan: string
  by: string
  q: string
}

/** Props of {@link AllSessionsPage}. */
export interface AllSessionsPageProps {
  ctx: PageContext
  filters: SessionListFilters
  teams: { id: number; name: string }[]
  starters: { id: number; username: string }[]
  statuses: readonly string[]
  plans: readonly string[]
  sessions: SessionView[]
  /** The URL of the next page (filters kept), or null on the last page. */
  next_href: string | null
  /** Whether this is a later page (offers a way back to the first). */
  paged: boolean
}

/** The DOM id of the results region the filter form updates in place. */
export const SESSION_RESULTS_ID = 'session-results'

/** `/sessions?…` with `filters` and an optional cursor: the URL of that list page. */
export function sessionListHref(filters: SessionListFilters, cursor?: string): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value)
  if (cursor) params.set('cursor', cursor)
  const query = params.toString()
  return query ? `${paths.sessions()}?${query}` : paths.sessions()
}

const STATUS_LABELS: Record<string, string> = { active: 'Active', completed: 'Completed', failed: 'Failed', cancelled: 'Cancelled' }

/**
 * Every session of the viewer's teams. The filter form is a plain GET (a shareable URL that works
 * without JavaScript); with htmx it swaps only the results and pushes the URL.
 */
export function AllSessionsPage(props: AllSessionsPageProps): JSX.Element {
  const f = props.filters
  return (
    <Layout title="Sessions" ctx={props.ctx}>
      <PageHeader title="Sessions" subtitle="Every session of your teams, newest first." />
      <form
        method="get"
        action={paths.sessions()}
        role="search"
        aria-label="Filter sessions"
        class="session-filters"
        hx-get={paths.sessions()}
        hx-trigger="submit, input changed delay:400ms from:find input, change from:find select"
        hx-target={`#${SESSION_RESULTS_ID}`}
        hx-select={`#${SESSION_RESULTS_ID}`}
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-indicator="#session-spinner"
      >
        <TextField name="q" type="search" label="Feature name" value={f.q} maxlength={200} placeholder="e.g. checkout" />
        <SelectField
          name="team"
          label="Team"
          value={f.team}
          emptyLabel="All teams"
          options={props.teams.map((t) => ({ value: String(t.id), label: t.name }))}
        />
        <SelectField
          name="status"
          label="Status"
          value={f.status}
          emptyLabel="Any status"
          options={props.statuses.map((s) => ({ value: s, label: STATUS_LABELS[s] ?? s }))}
        />
        <SelectField
          name="plan"
          label="Plan"
          value={f.plan}
          emptyLabel="Any plan"
          options={props.plans.map((p) => ({ value: p, label: planLabel(p) }))}
        />
        <SelectField
          name="by"
          label="Started by"
          value={f.by}
          emptyLabel="Anyone"
          options={props.starters.map((u) => ({ value: String(u.id), label: u.username }))}
        />
        <div class="form-actions">
          <Button>Filter</Button>
          <Spinner id="session-spinner" label="Loading…" indicator />
        </div>
      </form>
      <SessionResults {...props} />
    </Layout>
  )
}

/** The results region alone: the page of sessions and the links to the next and first pages. */
export function SessionResults(props: AllSessionsPageProps): JSX.Element {
  const filtered = Object.values(props.filters).some((v) => v !== '')
  const teamNames = Object.fromEntries(props.teams.map((t) => [t.id, t.name]))
  const starters = Object.fromEntries(props.starters.map((u) => [u.id, u.username]))
  return (
    <section id={SESSION_RESULTS_ID} aria-labelledby="session-results-title" class="panel" aria-live="polite">
      <h2 id="session-results-title" class="section-title">
        {props.paged ? 'Older sessions' : 'Latest sessions'}
      </h2>
      {props.sessions.length === 0 ? (
        <EmptyState
          title={filtered ? 'No matching sessions' : 'No sessions yet'}
          message={filtered ? 'Try another team, status, plan or name.' : 'Start a session from one of your teams.'}
        />
      ) : (
        <SessionList sessions={props.sessions} team_names={teamNames} starters={starters} empty_message="" />
      )}
      <SessionPager
        label="Pages of sessions"
        paged={props.paged}
        newest_href={sessionListHref(props.filters)}
        next_href={props.next_href}
        end_note={props.sessions.length > 0 ? 'That is the oldest session.' : null}
      />
    </section>
  )
}
