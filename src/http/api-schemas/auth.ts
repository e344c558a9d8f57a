import { z } from 'zod'
import { Id, Timestamp } from './common.ts'

/** API.md `user`: never a password hash. */
export const User = z.object({ id: Id, username: z.string(), email: z.string(), created_at: Timestamp }).describe('An account.')

/** Signup, login and `/api/auth/me`: the user and the CSRF token mutating cookie requests send as `X-CSRF-Token`. */
export const LoginResult = z
  .object({ user: User, csrf_token: z.string().describe('Send it as `X-CSRF-Token` on every state-changing request made with the cookie.') })
  .describe('The logged-in user and the login’s CSRF token.')

/** API.md `token`: a personal API token, never its secret. */
export const ApiToken = z
  .object({ id: Id, name: z.string(), created_at: Timestamp, expires_at: Timestamp.nullable(), last_used_at: Timestamp.nullable() })
  .describe('A personal API token (never its secret).')

/** `POST /api/auth/tokens`: the token and its secret, shown this once. */
export const CreatedApiToken = z
  .object({ token: ApiToken, secret: z.string().describe('Send as `Authorization: Bearer <secret>`; shown only in this response.') })
  .describe('A new personal API token with its secret.')

export const ApiTokenList = z.array(ApiToken).describe('The caller’s personal API tokens, newest first.')
