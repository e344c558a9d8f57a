export { IdNumber, IdParams, IdString, limitQuery, multilineText, plainText } from './text.schemas.ts'
export type { TextOptions } from './text.schemas.ts'
