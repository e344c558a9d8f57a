/** Props of {@link Stat}. */
export interface StatProps {
  label: string
  value: string
  detail?: string
}

/** One headline number with its label. */
export function Stat(props: StatProps): JSX.Element {
  return (
    <div class="stat">
      <dt class="stat-label" safe>
        {props.label}
      </dt>
      <dd class="stat-value" safe>
        {props.value}
      </dd>
      {props.detail ? (
        <dd class="stat-detail" safe>
          {props.detail}
        </dd>
      ) : (
        ''
      )}
    </div>
  )
}
