import { type Kysely, sql } from 'kysely'
import type { Database, User } from '../db/index.ts'

/** A user as the API shows it: never the password hash. */
export interface PublicUser {
  id: number
  username: string
  email: string
  created_at: Date
}

/** Picks the public fields of a user row. */
export function toPublicUser(user: Pick<User, 'id' | 'username' | 'email' | 'created_at'>): PublicUser {
  return { id: user.id, username: user.username, email: user.email, created_at: user.created_at }
}

/** The user with this id, public fields only; null when there is none. */
export async function findUserById(db: Kysely<Database>, id: number): Promise<PublicUser | null> {
  const row = await db.selectFrom('users').select(['id', 'username', 'email', 'created_at']).where('id', '=', id).executeTakeFirst()
  return row ?? null
}

/** The user whose username or email is `login` (case-insensitive), with its hash, for login. */
export async function findUserForLogin(db: Kysely<Database>, login: string): Promise<User | null> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb.or([eb(sql`lower(username)`, '=', login.toLowerCase()), eb(sql`lower(email)`, '=', login.toLowerCase())]))
    .executeTakeFirst()
  return row ?? null
}

/** The user named `username` or with email `email` (case-insensitive); public fields. */
export async function findUserByNameOrEmail(
  db: Kysely<Database>,
  by: { username?: string | undefined; email?: string | undefined },
): Promise<PublicUser | null> {
  const row = await db
    .selectFrom('users')
    .select(['id', 'username', 'email', 'created_at'])
    .where((eb) =>
      by.username !== undefined ? eb(sql`lower(username)`, '=', by.username.toLowerCase()) : eb(sql`lower(email)`, '=', (by.email ?? '').toLowerCase()),
    )
    .executeTakeFirst()
  return row ?? null
}

/** Which of `username` and `email` another account already uses (case-insensitive). */
export async function takenFields(db: Kysely<Database>, username: string, email: string): Promise<Array<'username' | 'email'>> {
  const rows = await db
    .selectFrom('users')
    .select(['username', 'email'])
    .where((eb) => eb.or([eb(sql`lower(username)`, '=', username.toLowerCase()), eb(sql`lower(email)`, '=', email.toLowerCase())]))
    .execute()
  const taken: Array<'username' | 'email'> = []
  if (rows.some((r) => r.username.toLowerCase() === username.toLowerCase())) taken.push('username')
  if (rows.some((r) => r.email.toLowerCase() === email.toLowerCase())) taken.push('email')
  return taken
}

/** Inserts a user; returns null when the username or email was taken meanwhile (unique violation). */
export async function insertUser(
  db: Kysely<Database>,
  user: { username: string; email: string; password_hash: string },
): Promise<PublicUser | null> {
  try {
    return await db.insertInto('users').values(user).returning(['id', 'username', 'email', 'created_at']).executeTakeFirstOrThrow()
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return null
    throw error
  }
}
