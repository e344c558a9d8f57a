import type { FieldErrors, FlashView } from '../view-types.ts'

/** A flash or inline message; errors are announced at once (role=alert), others politely (role=status). */
export function Alert(props: FlashView & { id?: string }): JSX.Element {
  return (
    <div id={props.id} class={['alert', `alert-${props.kind}`]} role={props.kind === 'error' ? 'alert' : 'status'}>
      <span class="alert-icon" aria-hidden="true">
        {props.kind === 'error' ? '!' : props.kind === 'success' ? '✓' : 'i'}
      </span>
      <p safe>{props.message}</p>
    </div>
  )
}

/** Props of {@link ErrorSummary}. */
export interface ErrorSummaryProps {
  errors: FieldErrors | undefined
  /** Message for errors not tied to a field (the `_form` key). */
  title?: string
  /** Prefix of the fields' ids (`field` unless the form set its own). */
  idPrefix?: string
}

/** The list of a form's errors at its top, each linking to its field; nothing when there are none. */
export function ErrorSummary(props: ErrorSummaryProps): JSX.Element {
  const entries = Object.entries(props.errors ?? {})
  if (entries.length === 0) return ''
  const prefix = props.idPrefix ?? 'field'
  return (
    <div class="alert alert-error" role="alert">
      <span class="alert-icon" aria-hidden="true">
        !
      </span>
      <div>
        <p class="font-semibold" safe>
          {props.title ?? 'Please fix the following:'}
        </p>
        <ul class="list-disc pl-5">
          {entries.map(([field, message]) =>
            field === '_form' ? (
              <li safe>{message}</li>
            ) : (
              <li>
                <a href={`#${prefix}-${field}`} safe>
                  {message}
                </a>
              </li>
            ),
          )}
        </ul>
      </div>
    </div>
  )
}
