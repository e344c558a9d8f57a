import type { PropsWithChildren } from '@kitajs/html'
import { CsrfField } from './field.view.tsx'

/** The field an irreversible action's POST carries once the user has said yes. */
export const CONFIRMED_FIELD = 'confirmed'

/** Props of {@link ConfirmForm}. */
export interface ConfirmFormProps {
  action: string
  csrf_token: string | null
  /** The question htmx asks before the request (plain text). */
  confirm: string
  class?: string
}

/**
 * A POST form for an irreversible action. With htmx the form itself (the element that issues the
 * request) carries `hx-confirm`, and only a yes adds `confirmed=1`; without JavaScript the POST
 * arrives unconfirmed and the server answers with a confirmation page instead of acting.
 */
export function ConfirmForm(props: PropsWithChildren<ConfirmFormProps>): JSX.Element {
  return (
    <form method="post" action={props.action} class={props.class} hx-confirm={props.confirm} hx-vals={`{"${CONFIRMED_FIELD}":"1"}`}>
      <CsrfField token={props.csrf_token} />
      {props.children}
    </form>
  )
}
