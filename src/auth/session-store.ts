/** A login session as the stores return it. */
export interface AuthSession {
  userId: number
  /** The CSRF token bound to this session. */
  csrfToken: string
  expiresAt: Date
}

/** A session just created: the raw token goes in the cookie and is never stored. */
export interface CreatedAuthSession extends AuthSession {
  token: string
}

/** A validated session; `renewed` says the expiry moved (sliding renewal), so the cookie should be re-sent. */
export interface ValidatedAuthSession extends AuthSession {
  renewed: boolean
}

/**
 * Server-side login sessions, keyed by the SHA-256 of the cookie token. Two
 * implementations: Redis (shared by every web process) and the database (the embedded
 * default, so a restart does not log people out).
 */
export interface SessionStore {
  /** Creates a session with a fresh random token and CSRF token. */
  create(userId: number): Promise<CreatedAuthSession>
  /** The session for `token`, renewing its expiry when it is past the renewal point; null when unknown or expired. */
  validate(token: string): Promise<ValidatedAuthSession | null>
  /** Deletes one session. Idempotent. */
  delete(token: string): Promise<void>
  /** Deletes every session of a user (revocation). Returns how many there were. */
  deleteAllForUser(userId: number): Promise<number>
}

/** Options shared by both stores. */
export interface SessionStoreOptions {
  /** Lifetime of a session since its last renewal. */
  ttlSeconds: number
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number
}

/**
 * Sliding renewal writes at most once a minute per session: a session is renewed
 * when less than `ttl - 60 s` of its lifetime remains.
 */
export function needsRenewal(expiresAt: Date, nowMs: number, ttlSeconds: number): boolean {
  const slack = Math.min(60, ttlSeconds / 2) * 1000
  return expiresAt.getTime() - nowMs < ttlSeconds * 1000 - slack
}
