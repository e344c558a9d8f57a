import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'

/** What `sage login` saves: the server it logged in to, the token's secret and who it belongs to. */
export interface Credentials {
  url: string
  token: string
  username: string
}

const CredentialsFile = z.object({ url: z.string(), token: z.string(), username: z.string() })

/** The user's config directory for sage: `$XDG_CONFIG_HOME/sage`, else `~/.config/sage`. */
export function configDir(env: Record<string, string | undefined>): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(env.HOME?.trim() || homedir(), '.config')
  return join(base, 'sage')
}

/** Where the credentials live. */
export function credentialsPath(env: Record<string, string | undefined>): string {
  return join(configDir(env), 'credentials.json')
}

/** The saved credentials; null when none were saved or the file is unreadable. Never throws. */
export async function loadCredentials(env: Record<string, string | undefined>): Promise<Credentials | null> {
  try {
    const parsed = CredentialsFile.safeParse(JSON.parse(await readFile(credentialsPath(env), 'utf8')))
    return parsed.success ? parsed.data : null
  } catch {
    return null
  }
}

/** Saves the credentials readable by the user only (file 0600, directory 0700). Returns the file's path. */
export async function saveCredentials(env: Record<string, string | undefined>, credentials: Credentials): Promise<string> {
  const dir = configDir(env)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const path = credentialsPath(env)
  await writeFile(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  // writeFile keeps an existing file's mode: make sure it is 0600 whatever was there.
  await chmod(path, 0o600)
  return path
}
