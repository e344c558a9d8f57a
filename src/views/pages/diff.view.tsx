import { PageHeader, StatusBadge } from '../components/index.ts'
import { formatPercent, formatUsd, roleLabel } from '../format.ts'
import { Layout } from '../layout/index.ts'
import { paths } from '../paths.ts'
import type { PageContext } from '../view-types.ts'

/** One side of the comparison. */
export interface DiffSessionView {
  id: number
  feature_name: string
  status: string
  cost_usd: number
  forked_from_role: string | null
}

/** One role compared (API.md's diff `roles` entry). */
export interface RoleDiffView {
  agent_role: string
  status: string | null
  against_status: string | null
  confidence: number | null
  against_confidence: number | null
  decisions: { added: string[]; removed: string[]; kept: string[] }
  fields_changed: string[]
}

/** Props of {@link DiffPage}. */
export interface DiffPageProps {
  ctx: PageContext
  session: DiffSessionView
  against: DiffSessionView
  roles: RoleDiffView[]
  cost_usd_delta: number
}

function unchanged(r: RoleDiffView): boolean {
  return (
    r.status === r.against_status &&
    r.confidence === r.against_confidence &&
    r.decisions.added.length + r.decisions.removed.length + r.fields_changed.length === 0
  )
}

function signedUsd(delta: number): string {
  return delta > 0 ? `+${formatUsd(delta)}` : delta < 0 ? `−${formatUsd(-delta)}` : formatUsd(0)
}

/**
 * Two sessions side by side, role by role: status and confidence on each side, decisions added
 * (in this session only), removed (in the other only) and kept, the output fields that changed,
 * and the cost of each. Unchanged roles fold to one line.
 */
export function DiffPage(props: DiffPageProps): JSX.Element {
  const { session, against } = props
  const changed = props.roles.filter((r) => !unchanged(r))
  return (
    <Layout title={`Compare #${session.id} with #${against.id}`} ctx={props.ctx} wide>
      <PageHeader title="Compare sessions" subtitle={`${changed.length} of ${props.roles.length} roles differ`} eyebrow={session.feature_name} eyebrowHref={paths.session(session.id)} />
      <div class="diff-sides grid grid-cols-1 gap-3 sm:grid-cols-2">
        <SideSummary side={session} label="This session" />
        <SideSummary side={against} label="Compared with" />
      </div>
      <p class="diff-cost mt-3 text-sm" data-delta={String(props.cost_usd_delta)}>
        Cost difference: <strong safe>{signedUsd(props.cost_usd_delta)}</strong>
      </p>
      <ol class="diff-roles mt-4 space-y-3">
        {props.roles.map((r) => (
          <RoleRow role={r} session_id={session.id} against_id={against.id} />
        ))}
      </ol>
    </Layout>
  )
}

function SideSummary(props: { side: DiffSessionView; label: string }): JSX.Element {
  const { side } = props
  return (
    <section class="panel">
      <p class="eyebrow" safe>
        {props.label}
      </p>
      <p class="font-medium break-words">
        <a href={paths.session(side.id)} safe>
          {side.feature_name}
        </a>{' '}
        <span class="muted">#{side.id}</span>
      </p>
      <p class="mt-1 flex flex-wrap items-center gap-2 text-sm">
        <StatusBadge status={side.status} />
        <span safe>{formatUsd(side.cost_usd)}</span>
        {side.forked_from_role ? <span class="muted" safe>{`forked at the ${roleLabel(side.forked_from_role)}`}</span> : ''}
      </p>
    </section>
  )
}

function RoleRow(props: { role: RoleDiffView; session_id: number; against_id: number }): JSX.Element {
  const r = props.role
  const same = unchanged(r)
  return (
    <li class={['diff-role panel', same ? 'diff-role-same' : 'diff-role-changed']} data-role={r.agent_role} data-changed={same ? 'false' : 'true'}>
      <div class="flex flex-wrap items-center justify-between gap-2">
        <h2 class="section-title" safe>
          {roleLabel(r.agent_role)}
        </h2>
        <span class={['badge', same ? 'badge-completed' : 'badge-awaiting']}>{same ? 'Unchanged' : 'Changed'}</span>
      </div>
      <div class="mt-2 grid grid-cols-2 gap-2 text-sm">
        <SideCell label={`#${props.session_id}`} status={r.status} confidence={r.confidence} />
        <SideCell label={`#${props.against_id}`} status={r.against_status} confidence={r.against_confidence} />
      </div>
      {same ? (
        <p class="muted mt-2 text-sm" safe>{`Same output and ${r.decisions.kept.length} decisions on both sides.`}</p>
      ) : (
        <div class="mt-2 space-y-2 text-sm">
          {r.fields_changed.length > 0 ? (
            <p class="diff-fields flex flex-wrap items-center gap-1">
              <span class="font-medium">Fields changed:</span>
              {r.fields_changed.map((f) => (
                <code class="tag" safe>
                  {f}
                </code>
              ))}
            </p>
          ) : (
            ''
          )}
          <DecisionList kind="added" items={r.decisions.added} />
          <DecisionList kind="removed" items={r.decisions.removed} />
          {r.decisions.kept.length > 0 ? (
            <details>
              <summary class="cursor-pointer" safe>{`${r.decisions.kept.length} decisions kept`}</summary>
              <DecisionList kind="kept" items={r.decisions.kept} />
            </details>
          ) : (
            ''
          )}
        </div>
      )}
    </li>
  )
}

function SideCell(props: { label: string; status: string | null; confidence: number | null }): JSX.Element {
  return (
    <div class="min-w-0">
      <p class="muted text-xs" safe>
        {props.label}
      </p>
      {props.status ? <StatusBadge status={props.status} /> : <span class="muted">not in this session</span>}
      <p class="muted mt-1" safe>{`Confidence ${formatPercent(props.confidence)}`}</p>
    </div>
  )
}

const MARK = { added: '+', removed: '−', kept: '=' } as const
const TONE = { added: 'text-emerald-700', removed: 'text-rose-700', kept: 'text-slate-600' } as const

function DecisionList(props: { kind: 'added' | 'removed' | 'kept'; items: string[] }): JSX.Element {
  if (props.items.length === 0) return ''
  return (
    <ul class={['diff-decisions space-y-1', `diff-${props.kind}`]} aria-label={`Decisions ${props.kind}`}>
      {props.items.map((text) => (
        <li class={['flex gap-2 break-words', TONE[props.kind]]}>
          <span aria-hidden="true">{MARK[props.kind]}</span>
          <span class="sr-only" safe>{`${props.kind}: `}</span>
          <span safe>{text}</span>
        </li>
      ))}
    </ul>
  )
}
