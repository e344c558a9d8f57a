import { z } from 'zod'
import { hasBidiControl } from './bidi-controls.ts'
import { storableText } from './storable-text.ts'

// NUL cannot be stored in PostgreSQL text, and other control characters have no place
// in names; multi-line text may keep tabs and line breaks.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/
const CONTROL_OR_BREAK = /[\u0000-\u001F\u007F]/

/** Options of the text schemas. */
export interface TextOptions {
  min?: number
  max: number
}

// The one rule of every text field at the HTTP edge: NUL is refused (422 naming the field, as
// every control character is), and a lone UTF-16 surrogate becomes U+FFFD (storableText), so
// no input reaches PostgreSQL as something it cannot store.
const storable = (v: string): string => storableText(v).text

/** A one-line string, trimmed, `min`..`max` characters, with no control characters; lone surrogates become U+FFFD. */
export function plainText(options: TextOptions) {
  const min = options.min ?? 0
  return z
    .string()
    .trim()
    .min(min, min === 1 ? 'is required' : `must be at least ${min} characters`)
    .max(options.max, `must be at most ${options.max} characters`)
    .refine((v) => !CONTROL_OR_BREAK.test(v), 'must not contain control characters or line breaks')
    .overwrite(storable)
}

/** A name (team names): `plainText`, also refusing bidirectional override and isolate controls. */
export function nameText(options: TextOptions) {
  return plainText(options).refine((v) => !hasBidiControl(v), 'must not contain bidirectional control characters')
}

/** A multi-line string, trimmed, `min`..`max` characters; tabs and line breaks allowed, other control characters not; lone surrogates become U+FFFD. */
export function multilineText(options: TextOptions) {
  const min = options.min ?? 0
  return z
    .string()
    .trim()
    .min(min, min === 1 ? 'is required' : `must be at least ${min} characters`)
    .max(options.max, `must be at most ${options.max} characters`)
    .refine((v) => !CONTROL.test(v), 'must not contain control characters')
    .overwrite(storable)
}

/** A positive integer id in a path or query string (`"42"`), as a number. Rejects `1e3`, `0x10`, `-1`, `007`. */
export const IdString = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, 'must be a positive integer id')
  .transform(Number)

/** A positive integer id in a JSON body. */
export const IdNumber = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)

/** Route params `{ id }`. */
export const IdParams = z.strictObject({ id: IdString })

/** A page size in a query string: 1..100, default `fallback`. */
export function limitQuery(fallback: number) {
  return z
    .string()
    .regex(/^[0-9]{1,3}$/, 'must be an integer from 1 to 100')
    .transform(Number)
    .refine((n) => n >= 1 && n <= 100, 'must be an integer from 1 to 100')
    .optional()
    .transform((n) => n ?? fallback)
}
