/** Hashes a password with argon2id (Bun.password's default), salted by the algorithm. */
export async function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password, { algorithm: 'argon2id' })
}

// Verified against when the account does not exist, so an unknown username costs
// the same time as a wrong password and response times do not reveal accounts.
let dummyHash: Promise<string> | null = null

/**
 * Checks `password` against `hash` (constant-time inside argon2). With `hash` null it
 * verifies against a dummy hash and returns false. Never throws on a malformed hash.
 */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  dummyHash ??= Bun.password.hash('dummy password for timing', { algorithm: 'argon2id' })
  const against = hash ?? (await dummyHash)
  try {
    const ok = await Bun.password.verify(password, against)
    return ok && hash !== null
  } catch {
    return false
  }
}
