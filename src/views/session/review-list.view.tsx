import { TimeText } from '../components/index.ts'
import { roleLabel } from '../format.ts'
import { paths } from '../paths.ts'

/** A task awaiting the viewer's verdict (the home page's list). */
export interface AwaitingReviewView {
  task_id: number
  session_id: number
  feature_name: string
  agent_role: string
  team_name: string
  since: string | null
}

/** The home page's "Awaiting your review": each links to its card on the session page. Nothing when empty. */
export function AwaitingReviewList(props: { items: AwaitingReviewView[] }): JSX.Element {
  if (props.items.length === 0) return ''
  return (
    <section id="awaiting-reviews" aria-labelledby="home-reviews" class="panel section">
      <h2 id="home-reviews" class="section-title">
        Awaiting your review
      </h2>
      <ul class="link-list">
        {props.items.map((item) => (
          <li>
            <a href={`${paths.session(item.session_id)}#task-${item.task_id}`}>
              <span safe>{roleLabel(item.agent_role)}</span> — <span safe>{item.feature_name}</span>
            </a>
            <span class="text-sm text-slate-600">
              <span safe>{item.team_name}</span> · <TimeText iso={item.since} />
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** One verdict as the session page lists it. */
export interface ReviewView {
  id: number
  agent_role: string
  attempt: number
  reviewer: string
  verdict: 'approve' | 'changes' | 'reject'
  comment: string | null
  created_at: string
}

const VERDICT_TEXT = { approve: 'Approved', changes: 'Requested changes', reject: 'Rejected' } as const

/** The DOM id of the session page's review list (replaced whole by live fragments). */
export const REVIEW_LIST_ID = 'session-reviews'

/** The session page's reviews, oldest first; `oob` for a live fragment. */
export function ReviewList(props: { reviews: ReviewView[]; oob?: boolean }): JSX.Element {
  return (
    <section id={REVIEW_LIST_ID} aria-labelledby="reviews-title" class="panel section" hx-swap-oob={props.oob ? 'true' : undefined}>
      <h2 id="reviews-title" class="section-title">
        Reviews
      </h2>
      {props.reviews.length === 0 ? <p class="text-sm text-slate-600">No verdicts yet.</p> : ''}
      <ol class="review-list space-y-2">
        {props.reviews.map((r) => (
          <li class={['review-item', `review-${r.verdict}`]}>
            <p>
              <strong>{VERDICT_TEXT[r.verdict]}</strong> <span safe>{`the ${roleLabel(r.agent_role)}, attempt ${r.attempt}`}</span> ·{' '}
              <span safe>{r.reviewer}</span> · <TimeText iso={r.created_at} />
            </p>
            {r.comment ? (
              <p class="review-comment-text whitespace-pre-wrap text-sm" safe>
                {r.comment}
              </p>
            ) : (
              ''
            )}
          </li>
        ))}
      </ol>
    </section>
  )
}
