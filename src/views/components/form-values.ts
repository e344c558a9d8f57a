import type { FormValues } from '../view-types.ts'

/** The first value of a submitted form field, as a string. */
export function formValue(values: FormValues | undefined, name: string): string | undefined {
  const v = values?.[name]
  return Array.isArray(v) ? v[0] : v
}

/** Every value of a submitted form field (checkbox groups). */
export function formValues(values: FormValues | undefined, name: string): string[] {
  const v = values?.[name]
  return v === undefined ? [] : Array.isArray(v) ? v : [v]
}
