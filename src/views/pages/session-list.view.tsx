import { EmptyState, StatusBadge, TimeText } from '../components/index.ts'
import { formatDuration, planLabel } from '../format.ts'
import { paths } from '../paths.ts'
import type { SessionView } from '../view-types.ts'

/** Props of {@link SessionList}. */
export interface SessionListProps {
  sessions: SessionView[]
  /** Team names by id, to show which team a session belongs to (home page). */
  team_names?: Record<number, string>
  /** Usernames by user id, to show who started each session. */
  starters?: Record<number, string>
  empty_message: string
}

/** Sessions as a list of links with status, plan, start and duration; a designed empty state when none. */
export function SessionList(props: SessionListProps): JSX.Element {
  if (props.sessions.length === 0) return <EmptyState title="No sessions yet" message={props.empty_message} />
  return (
    <ul class="session-list">
      {props.sessions.map((s) => (
        <li class="session-row">
          <div class="min-w-0">
            <a href={paths.session(s.id)} class="session-link" safe>
              {s.feature_name}
            </a>
            <p class="session-meta">
              {props.team_names?.[s.team_id] ? (
                <span safe>{`${props.team_names[s.team_id]} · `}</span>
              ) : (
                ''
              )}
              <span safe>{planLabel(s.plan) + ' plan · '}</span>
              {props.starters?.[s.user_id] ? <span safe>{`by ${props.starters[s.user_id]} · `}</span> : ''}
              <TimeText iso={s.started_at ?? s.created_at} />
              <span>{s.duration_seconds !== null ? ` · ${formatDuration(s.duration_seconds)}` : ''}</span>
            </p>
          </div>
          <StatusBadge status={s.status} />
        </li>
      ))}
    </ul>
  )
}
