/** Props of {@link Spinner}. */
export interface SpinnerProps {
  label: string
  id?: string
  /** Hidden until an htmx request is in flight (`htmx-indicator`). */
  indicator?: boolean
}

/** A small animated loading indicator with a text label for screen readers and sighted users. */
export function Spinner(props: SpinnerProps): JSX.Element {
  return (
    <span id={props.id} class={['spinner', props.indicator ? 'htmx-indicator' : '']} role="status">
      <span class="spinner-ring" aria-hidden="true"></span>
      <span class="spinner-label" safe>
        {props.label}
      </span>
    </span>
  )
}
