import { StatusBadge } from '../components/index.ts'
import { roleLabel } from '../format.ts'
import { paths } from '../paths.ts'


/** A session related to the one shown: its parent or one of its forks. */
export interface LineageSession {
  id: number
  feature_name: string
  status: string
  /** The role it was forked from (a fork's own). */
  forked_from_role: string | null
}

/** Props of {@link SessionLineage}. */
export interface SessionLineageProps {
  session_id: number
  forked_from_role: string | null
  parent: LineageSession | null
  forks: readonly LineageSession[]
}

/** Where a session comes from and what was forked from it, with links to compare; nothing when it has neither. */
export function SessionLineage(props: SessionLineageProps): JSX.Element {
  if (!props.parent && props.forks.length === 0) return ''
  return (
    <section aria-labelledby="lineage-title" class="panel section">
      <h2 id="lineage-title" class="section-title">
        Forks
      </h2>
      {props.parent ? (
        <p class="lineage-parent text-sm">
          Forked from{' '}
          <a href={paths.session(props.parent.id)} safe>
            {props.parent.feature_name}
          </a>{' '}
          <span class="muted">#{props.parent.id}</span>
          {props.forked_from_role ? (
            <span safe>{` at the ${roleLabel(props.forked_from_role)}`}</span>
          ) : (
            ''
          )}
          {' · '}
          <a href={paths.sessionDiff(props.session_id, props.parent.id)} class="font-medium">
            Compare with parent
          </a>
        </p>
      ) : (
        ''
      )}
      {props.forks.length > 0 ? (
        <ul class="lineage-forks mt-2 space-y-1 text-sm">
          {props.forks.map((f) => (
            <li class="flex flex-wrap items-center gap-2">
              <a href={paths.session(f.id)} safe>
                {f.feature_name}
              </a>
              <span class="muted">#{f.id}</span>
              {f.forked_from_role ? <span class="muted" safe>{`from the ${roleLabel(f.forked_from_role)}`}</span> : ''}
              <StatusBadge status={f.status} />
              <a href={paths.sessionDiff(f.id, props.session_id)}>Compare</a>
            </li>
          ))}
        </ul>
      ) : (
        ''
      )}
    </section>
  )
}
