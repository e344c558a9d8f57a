import type { PropsWithChildren } from '@kitajs/html'

/** Props of {@link EmptyState}. */
export interface EmptyStateProps {
  title: string
  message: string
  /** Heading level inside the page outline. */
  level?: 2 | 3
}

/** A designed "nothing here yet" panel; children are the call to action. */
export function EmptyState(props: PropsWithChildren<EmptyStateProps>): JSX.Element {
  return (
    <div class="empty-state">
      <svg class="empty-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
        <path d="M4 7h16M4 12h10M4 17h7" stroke="currentColor" stroke-width="2" stroke-linecap="round" fill="none" />
      </svg>
      {props.level === 2 ? (
        <h2 class="empty-title" safe>
          {props.title}
        </h2>
      ) : (
        <h3 class="empty-title" safe>
          {props.title}
        </h3>
      )}
      <p class="empty-message" safe>
        {props.message}
      </p>
      <div class="empty-action">{props.children}</div>
    </div>
  )
}
