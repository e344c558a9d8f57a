import { CONFIRMED_FIELD } from '../../views/index.ts'
import { field } from './form-parse.ts'

/** Whether an irreversible action's form POST says the user confirmed it (`confirmed=1`). */
export function isConfirmed(body: Record<string, unknown>): boolean {
  return field(body, CONFIRMED_FIELD) === '1'
}
