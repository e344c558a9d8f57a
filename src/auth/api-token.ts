import { generateToken } from './session-token.ts'

/** Every API token secret starts with this, so secret scanners recognise a leaked one. */
export const API_TOKEN_PREFIX = 'sage_'

const API_TOKEN_SHAPE = /^sage_[A-Za-z0-9_-]{43}$/

/** A fresh API token secret: `sage_` and 256 random bits, base64url (48 characters). */
export function generateApiTokenSecret(): string {
  return `${API_TOKEN_PREFIX}${generateToken()}`
}

/** True when `value` has the shape `generateApiTokenSecret()` produces; anything else is never looked up. */
export function isApiTokenShaped(value: string): boolean {
  return API_TOKEN_SHAPE.test(value)
}

/** The secret of an `Authorization: Bearer <secret>` header; null when the header is absent or not a bearer. */
export function bearerSecret(authorization: string | null): string | null {
  if (!authorization) return null
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization)
  return match ? (match[1] as string) : null
}
