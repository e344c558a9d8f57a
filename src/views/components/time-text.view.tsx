import { formatDateTime } from '../format.ts'

/** A timestamp as `<time datetime>` with a fixed UTC rendering; an em dash when missing. */
export function TimeText(props: { iso: string | null | undefined }): JSX.Element {
  if (!props.iso) return <span>—</span>
  return (
    <time datetime={props.iso} safe>
      {formatDateTime(props.iso)}
    </time>
  )
}
