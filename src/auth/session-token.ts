import { timingSafeEqual } from 'node:crypto'

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/

/** A fresh random 256-bit token, base64url without padding (43 characters). */
export function generateToken(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
}

/** True when `value` has the shape `generateToken()` produces; anything else is never looked up. */
export function isTokenShaped(value: string): boolean {
  return TOKEN_SHAPE.test(value)
}

/** The SHA-256 of a token, hex: what the stores keep, so a leaked store does not hand out sessions. */
export function hashToken(token: string): string {
  return new Bun.CryptoHasher('sha256').update(token).digest('hex')
}

/** Compares two secrets in constant time (for equal lengths); false when either is empty. */
export function tokensEqual(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length > 0 && x.length === y.length && timingSafeEqual(x, y)
}
