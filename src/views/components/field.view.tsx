/** Form controls: every control has a visible label, its hint and error are tied to it with aria-describedby. */
import type { PropsWithChildren } from '@kitajs/html'
// The one name of the CSRF form field, shared with the server's check.
import { CSRF_FIELD } from '../form-fields.ts'

/** What every field shares. */
interface FieldBase {
  name: string
  label: string
  /** Element id; defaults to `field-<name>`. Give one when a page has two forms with the same field. */
  id?: string
  error?: string | undefined
  hint?: string
  required?: boolean
}

function fieldIds(base: FieldBase): { id: string; hint: string; error: string; describedBy: string | undefined } {
  const id = base.id ?? `field-${base.name}`
  const parts = [base.hint ? `${id}-hint` : '', base.error ? `${id}-error` : ''].filter(Boolean)
  return { id, hint: `${id}-hint`, error: `${id}-error`, describedBy: parts.length ? parts.join(' ') : undefined }
}

function HintAndError(props: { base: FieldBase; hintId: string; errorId: string }): JSX.Element {
  return (
    <>
      {props.base.hint ? (
        <p id={props.hintId} class="field-hint" safe>
          {props.base.hint}
        </p>
      ) : (
        ''
      )}
      {props.base.error ? (
        <p id={props.errorId} class="field-error" safe>
          {props.base.error}
        </p>
      ) : (
        ''
      )}
    </>
  )
}

/** A field's frame: the wrapper, its visible label, the control (children), then its hint and error. */
function LabelledField(props: PropsWithChildren<{ base: FieldBase; ids: ReturnType<typeof fieldIds> }>): JSX.Element {
  return (
    <div class={['field', props.base.error ? 'field-invalid' : '']}>
      <label for={props.ids.id} class="field-label" safe>
        {props.base.label}
      </label>
      {props.children}
      <HintAndError base={props.base} hintId={props.ids.hint} errorId={props.ids.error} />
    </div>
  )
}

/** Props of {@link TextField}. */
export interface TextFieldProps extends FieldBase {
  type?: 'text' | 'email' | 'password' | 'search' | 'url'
  value?: string | undefined
  autocomplete?: string
  minlength?: number
  maxlength?: number
  pattern?: string
  placeholder?: string
  /** The on-screen keyboard to offer (e.g. `decimal` for amounts typed as text). */
  inputmode?: 'decimal' | 'numeric' | 'text'
}

/** A labelled single-line input with hint and error text. */
export function TextField(props: TextFieldProps): JSX.Element {
  const ids = fieldIds(props)
  return (
    <LabelledField base={props} ids={ids}>
      <input
        id={ids.id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.type === 'password' ? undefined : props.value}
        class="input"
        required={props.required}
        autocomplete={props.autocomplete}
        minlength={props.minlength}
        maxlength={props.maxlength}
        pattern={props.pattern}
        placeholder={props.placeholder}
        inputmode={props.inputmode}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={ids.describedBy}
      />
    </LabelledField>
  )
}

/** Props of {@link TextArea}. */
export interface TextAreaProps extends FieldBase {
  value?: string | undefined
  rows?: number
  maxlength?: number
}

/** A labelled multi-line input with hint and error text. */
export function TextArea(props: TextAreaProps): JSX.Element {
  const ids = fieldIds(props)
  return (
    <LabelledField base={props} ids={ids}>
      <textarea
        id={ids.id}
        name={props.name}
        rows={String(props.rows ?? 3)}
        class="input"
        required={props.required}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={ids.describedBy}
        safe
      >
        {props.value ?? ''}
      </textarea>
    </LabelledField>
  )
}

/** One choice of a select, radio group or checkbox group. */
export interface ChoiceOption {
  value: string
  label: string
  hint?: string
}

/** Props of {@link SelectField}. */
export interface SelectFieldProps extends FieldBase {
  options: ChoiceOption[]
  value?: string | undefined
  /** A first, empty option (e.g. "Any category"). */
  emptyLabel?: string
}

/** A labelled select. */
export function SelectField(props: SelectFieldProps): JSX.Element {
  const ids = fieldIds(props)
  return (
    <LabelledField base={props} ids={ids}>
      <select
        id={ids.id}
        name={props.name}
        class="input"
        required={props.required}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={ids.describedBy}
      >
        {props.emptyLabel !== undefined ? (
          <option value="" selected={!props.value} safe>
            {props.emptyLabel}
          </option>
        ) : (
          ''
        )}
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value} safe>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  )
}

/** Props of {@link ChoiceGroup}. */
export interface ChoiceGroupProps extends FieldBase {
  /** `checkbox` sends every ticked value; `radio` sends one. */
  kind: 'checkbox' | 'radio'
  options: ChoiceOption[]
  values: string[]
  /** Lay the choices out in columns on wide screens. */
  columns?: boolean
}

/** A fieldset of radio buttons or checkboxes with a legend, hints per choice and an error. */
export function ChoiceGroup(props: ChoiceGroupProps): JSX.Element {
  const ids = fieldIds(props)
  return (
    <fieldset
      class={['field', 'choice-group', props.error ? 'field-invalid' : '']}
      aria-describedby={ids.describedBy}
    >
      <legend class="field-label" safe>
        {props.label}
      </legend>
      <div class={props.columns ? 'choice-columns' : 'choice-rows'}>
        {props.options.map((o, i) => {
          const optionId = `${ids.id}-${i}`
          return (
            <div class="choice">
              <input
                id={optionId}
                type={props.kind}
                name={props.name}
                value={o.value}
                checked={props.values.includes(o.value)}
                aria-describedby={o.hint ? `${optionId}-hint` : undefined}
              />
              <label for={optionId}>
                <span safe>{o.label}</span>
                {o.hint ? (
                  <span id={`${optionId}-hint`} class="choice-hint" safe>
                    {o.hint}
                  </span>
                ) : (
                  ''
                )}
              </label>
            </div>
          )
        })}
      </div>
      <HintAndError base={props} hintId={ids.hint} errorId={ids.error} />
    </fieldset>
  )
}

/** Props of {@link CheckboxField}. */
export interface CheckboxFieldProps {
  name: string
  label: string
  id?: string
  checked?: boolean
  value?: string
  hint?: string
}

/** A single labelled checkbox. */
export function CheckboxField(props: CheckboxFieldProps): JSX.Element {
  const id = props.id ?? `field-${props.name}`
  return (
    <div class="field choice">
      <input
        id={id}
        type="checkbox"
        name={props.name}
        value={props.value ?? 'true'}
        checked={props.checked}
        aria-describedby={props.hint ? `${id}-hint` : undefined}
      />
      <label for={id}>
        <span safe>{props.label}</span>
        {props.hint ? (
          <span id={`${id}-hint`} class="choice-hint" safe>
            {props.hint}
          </span>
        ) : (
          ''
        )}
      </label>
    </div>
  )
}

/** The CSRF token as a hidden field, so forms also work without JavaScript (htmx sends it as a header). */
export function CsrfField(props: { token: string | null }): JSX.Element {
  return props.token ? <input type="hidden" name={CSRF_FIELD} value={props.token} /> : ''
}
