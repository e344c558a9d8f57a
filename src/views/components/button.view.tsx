import type { PropsWithChildren } from '@kitajs/html'

/** Visual weight of a button or button-styled link. */
export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'ghost'

/** Props of {@link Button}. */
export interface ButtonProps {
  type?: 'submit' | 'button' | 'reset'
  variant?: ButtonVariant
  name?: string
  value?: string
  class?: string
}

/** A button; children must be static markup or escaped text (xss-scan checks callers). */
export function Button(props: PropsWithChildren<ButtonProps>): JSX.Element {
  return (
    <button
      type={props.type ?? 'submit'}
      class={['btn', `btn-${props.variant ?? 'primary'}`, props.class]}
      name={props.name}
      value={props.value}
    >
      {props.children}
    </button>
  )
}

/** Props of {@link LinkButton}. */
export interface LinkButtonProps {
  href: string
  variant?: ButtonVariant
  class?: string
}

/** A link styled as a button (navigation, not an action). */
export function LinkButton(props: PropsWithChildren<LinkButtonProps>): JSX.Element {
  return (
    <a href={props.href} class={['btn', `btn-${props.variant ?? 'secondary'}`, props.class]}>
      {props.children}
    </a>
  )
}
