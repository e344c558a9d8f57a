import { LinkButton } from '../components/index.ts'

/** Props of {@link SessionPager}. */
export interface SessionPagerProps {
  /** The nav's accessible name. */
  label: string
  /** Whether this is a later page (then a "Newest" link leads back to the first). */
  paged: boolean
  newest_href: string
  /** The next (older) page, or null on the last one. */
  next_href: string | null
  /** Said on the last page instead of the "Older" link; nothing when null. */
  end_note: string | null
}

/** Keyset paging of a session list: "Newest" when paged, then "Older sessions →" or the end note. */
export function SessionPager(props: SessionPagerProps): JSX.Element {
  return (
    <nav aria-label={props.label} class="pager">
      {props.paged ? (
        <LinkButton href={props.newest_href} variant="ghost">
          Newest
        </LinkButton>
      ) : (
        ''
      )}
      {props.next_href ? (
        <LinkButton href={props.next_href} variant="secondary">
          Older sessions →
        </LinkButton>
      ) : props.end_note ? (
        <p class="muted" safe>
          {props.end_note}
        </p>
      ) : (
        ''
      )}
    </nav>
  )
}
