import type { z } from 'zod'
import { CSRF_FIELD, type FieldErrors, type FormValues } from '../../views/index.ts'
import { NotFoundError } from '../errors.ts'

/** A parsed form: the typed data, or the errors by field and the values to show again. */
export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors; values: FormValues }

// Never echoed back into a page.
const NOT_ECHOED = new Set([CSRF_FIELD, 'password'])

/** The submitted values as strings (repeated fields as arrays), without the CSRF token and passwords. */
export function formValuesOf(body: Record<string, unknown>): FormValues {
  const values: FormValues = {}
  for (const [key, value] of Object.entries(body)) {
    if (NOT_ECHOED.has(key)) continue
    if (typeof value === 'string') values[key] = value
    else if (Array.isArray(value)) values[key] = value.filter((v): v is string => typeof v === 'string')
  }
  return values
}

/** A form field's value as a string ('' when absent; the first when repeated). */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name]
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : ''
  return typeof v === 'string' ? v : ''
}

/** Every value of a repeated field (checkbox groups): absent → [], one value → [value]. */
export function fieldList(body: Record<string, unknown>, name: string): string[] {
  const v = body[name]
  if (v === undefined) return []
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string')
}

/**
 * Validates `input` (already picked from the form) with `schema`. Each failing field gets one
 * message, prefixed with its label ("Feature name is required"); issues with no field go to `_form`.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  input: Record<string, unknown>,
  body: Record<string, unknown>,
  labels: Record<string, string>,
): FormResult<z.output<S>> {
  const result = schema.safeParse(input)
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const name = issue.path.length ? String(issue.path[0]) : '_form'
    if (errors[name]) continue
    const label = labels[name]
    errors[name] = label ? `${label} ${issue.message}` : issue.message
  }
  return { ok: false, errors, values: formValuesOf(body) }
}

/** A positive integer id from a path segment; throws 404 for anything else (`/teams/abc` is no page). */
export function pathId(value: string | undefined): number {
  if (!value || !/^[1-9][0-9]{0,14}$/.test(value)) throw new NotFoundError('Page not found.')
  return Number(value)
}
