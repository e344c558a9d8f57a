import type { Kysely } from 'kysely'
import type { Database } from '../db/index.ts'
import type { SignupInput } from './auth.schemas.ts'
import { hashPassword, verifyPassword } from './password.ts'
import { findUserForLogin, insertUser, type PublicUser, takenFields, toPublicUser } from './user.repo.ts'

/** What signing up did: the new user, or which fields another account already uses. */
export type SignUpResult = { ok: true; user: PublicUser } | { ok: false; taken: Array<'username' | 'email'> }

/** Creates an account with an argon2id hash. A taken username or email is a result, not an exception. */
export async function signUp(db: Kysely<Database>, input: SignupInput): Promise<SignUpResult> {
  const taken = await takenFields(db, input.username, input.email)
  if (taken.length > 0) return { ok: false, taken }
  const user = await insertUser(db, { username: input.username, email: input.email, password_hash: await hashPassword(input.password) })
  // A concurrent signup took the name between the check and the insert.
  if (!user) return { ok: false, taken: await takenFields(db, input.username, input.email) }
  return { ok: true, user }
}

/**
 * The key login failures are counted under: the account's id when `login` names one
 * (so its username and email share one budget), the lowercased text otherwise.
 */
export async function loginAccountKey(db: Kysely<Database>, login: string): Promise<string> {
  const user = await findUserForLogin(db, login)
  return user ? `user:${user.id}` : `login:${login.toLowerCase()}`
}

/** The user whose username or email is `login` and whose password is `password`; null otherwise (same cost either way). */
export async function authenticate(db: Kysely<Database>, login: string, password: string): Promise<PublicUser | null> {
  const user = await findUserForLogin(db, login)
  const ok = await verifyPassword(password, user?.password_hash ?? null)
  return ok && user ? toPublicUser(user) : null
}
