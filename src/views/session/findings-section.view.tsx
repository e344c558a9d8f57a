import { CsrfField } from '../components/index.ts'
import { humanize, roleLabel } from '../format.ts'

/** A cross-role consistency finding, as the pages show it (API.md's `finding` plus its rule's title). */
export interface FindingView {
  id: number
  rule: string
  rule_title: string
  severity: 'error' | 'warning'
  roles: string[]
  message: string
  status: 'open' | 'resolved' | 'dismissed'
  note: string | null
}

/** The findings of one rule. */
export interface FindingGroup {
  rule: string
  title: string
  findings: FindingView[]
}

/** The findings grouped by rule, rules in the order their first finding came. */
export function groupFindings(findings: readonly FindingView[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>()
  for (const f of findings) {
    const group = groups.get(f.rule) ?? { rule: f.rule, title: f.rule_title, findings: [] }
    group.findings.push(f)
    groups.set(f.rule, group)
  }
  return [...groups.values()]
}

/** The id of a finding's element (and the anchor a form redirects back to). */
export function findingElementId(id: number): string {
  return `finding-${id}`
}

/** Where a finding's form posts (the page twin of `PUT /api/findings/:id`). */
export function findingFormPath(sessionId: number, findingId: number): string {
  return `/sessions/${sessionId}/findings/${findingId}`
}

/** The feedback a fork from a finding gives the role that runs again. */
export function findingFeedback(f: FindingView): string {
  return `Consistency finding (${f.rule_title}): ${f.message}`
}

const SEVERITY_BADGE = { error: 'badge-failed', warning: 'badge-awaiting' } as const
const STATUS_BADGE = { open: 'badge-pending', resolved: 'badge-completed', dismissed: 'badge-cancelled' } as const

/** Props of {@link FindingsSection}. */
export interface FindingsSectionProps {
  session_id: number
  /** Null until the session's outputs were checked. */
  score: number | null
  findings: FindingView[]
  /** Members and owners resolve, dismiss and fork; viewers read. */
  can_act: boolean
  /** Forking needs an ended session. */
  can_fork: boolean
  csrf_token: string | null
  /** Rendered for the live stream: replaces the page's section out of band. */
  oob?: boolean
}

/**
 * The consistency check of a session: its score and its findings grouped by rule, each with
 * the roles involved; a member resolves or dismisses one with a note (a plain form; htmx swaps
 * the finding in place) or forks from one of its roles with the finding as feedback.
 */
export function FindingsSection(props: FindingsSectionProps): JSX.Element {
  const groups = groupFindings(props.findings)
  return (
    <section id="findings" aria-labelledby="findings-title" class="panel" hx-swap-oob={props.oob ? 'true' : undefined}>
      <h2 id="findings-title" class="section-title">
        Consistency findings
      </h2>
      <p class="muted" id="consistency-score" safe>
        {props.score === null
          ? 'The roles’ outputs are checked against each other when the session completes.'
          : `Consistency score ${props.score} / 100 · ${props.findings.length === 0 ? 'no finding' : `${props.findings.length} finding${props.findings.length === 1 ? '' : 's'}`}`}
      </p>
      {groups.map((g) => (
        <div class="stack">
          <h3 class="form-title" safe>
            {g.title}
          </h3>
          <ul class="journal-list">
            {g.findings.map((f) => (
              <FindingItem finding={f} session_id={props.session_id} can_act={props.can_act} can_fork={props.can_fork} csrf_token={props.csrf_token} />
            ))}
          </ul>
        </div>
      ))}
    </section>
  )
}

/** Props of {@link FindingItem}. */
export interface FindingItemProps {
  finding: FindingView
  session_id: number
  can_act: boolean
  can_fork: boolean
  csrf_token: string | null
  /** The note field's error after a refused submit. */
  error?: string
}

/** One finding: severity, roles, message, status and note, and (for members) its forms. */
export function FindingItem(props: FindingItemProps): JSX.Element {
  const f = props.finding
  const action = findingFormPath(props.session_id, f.id)
  const noteId = `finding-note-${f.id}`
  return (
    <li id={findingElementId(f.id)} class="journal-item" data-status={f.status} data-rule={f.rule}>
      <p class="journal-meta">
        <span class={['badge', SEVERITY_BADGE[f.severity]]} safe>
          {humanize(f.severity)}
        </span>{' '}
        <span class={['badge', STATUS_BADGE[f.status]]} safe>
          {humanize(f.status)}
        </span>{' '}
        {f.roles.map((r) => (
          <span class="tag" safe>
            {roleLabel(r)}
          </span>
        ))}
      </p>
      <p class="journal-text" safe>
        {f.message}
      </p>
      {f.note ? (
        <p class="muted">
          Note: <span safe>{f.note}</span>
        </p>
      ) : (
        ''
      )}
      {props.can_act ? (
        <form class="inline-form" method="post" action={action} hx-post={action} hx-target={`#${findingElementId(f.id)}`} hx-swap="outerHTML">
          <CsrfField token={props.csrf_token} />
          <label class="field-label" for={`finding-status-${f.id}`}>
            Status
          </label>
          <select id={`finding-status-${f.id}`} name="status" class="input input-small">
            {(['resolved', 'dismissed', 'open'] as const).map((s) => (
              <option value={s} selected={s === (f.status === 'open' ? 'resolved' : f.status)} safe>
                {humanize(s)}
              </option>
            ))}
          </select>
          <label class="field-label" for={noteId}>
            Note
          </label>
          <input
            id={noteId}
            name="note"
            class="input input-small"
            maxlength="2000"
            value={f.note ?? ''}
            aria-invalid={props.error ? 'true' : undefined}
            aria-describedby={props.error ? `${noteId}-error` : undefined}
          />
          <button type="submit" class="btn btn-secondary btn-small">
            Save
          </button>
          {props.error ? (
            <p id={`${noteId}-error`} class="field-error" safe>
              {props.error}
            </p>
          ) : (
            ''
          )}
        </form>
      ) : (
        ''
      )}
      {props.can_act && props.can_fork && f.roles.length > 0 ? (
        <form class="inline-form" method="post" action={`/sessions/${props.session_id}/fork`}>
          <CsrfField token={props.csrf_token} />
          <input type="hidden" name="feedback" value={findingFeedback(f)} />
          <label class="field-label" for={`finding-fork-${f.id}`}>
            Fork from
          </label>
          <select id={`finding-fork-${f.id}`} name="from_role" class="input input-small">
            {f.roles.map((r) => (
              <option value={r} safe>
                {roleLabel(r)}
              </option>
            ))}
          </select>
          <button type="submit" class="btn btn-ghost btn-small">
            Fork with this finding as feedback
          </button>
        </form>
      ) : (
        ''
      )}
    </li>
  )
}
