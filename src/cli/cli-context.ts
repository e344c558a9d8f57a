import { type ApiClient, createApiClient } from './api-client.ts'
import { CliError } from './cli-error.ts'
import type { CliIo } from './cli-io.ts'
import { loadCredentials } from './credentials.ts'

/** The server's URL when nothing says otherwise. */
export const DEFAULT_URL = 'http://localhost:3000'

/** The server to talk to: `--url`, else `SAGE_URL`, else the one `sage login` saved, else localhost:3000. */
export async function serverUrl(io: CliIo, flag: string | undefined): Promise<string> {
  return flag?.trim() || io.env.SAGE_URL?.trim() || (await loadCredentials(io.env))?.url || DEFAULT_URL
}

/** An API client with the token of `SAGE_TOKEN` or the one `sage login` saved; exit 2 when there is none. */
export async function authedClient(io: CliIo, urlFlag: string | undefined): Promise<ApiClient> {
  const url = await serverUrl(io, urlFlag)
  const token = io.env.SAGE_TOKEN?.trim() || (await loadCredentials(io.env))?.token
  if (!token) throw new CliError('not logged in: run `sage login` or set SAGE_TOKEN')
  return createApiClient(url, token)
}

/** A team as `GET /api/teams` lists it. */
export interface TeamRef {
  id: number
  name: string
}

/** The caller's team named or numbered `ref`; exit 2 naming the teams they have when none matches. */
export async function resolveTeam(client: ApiClient, ref: string): Promise<TeamRef> {
  const teams = await client.call<TeamRef[]>('GET', '/api/teams')
  const wanted = ref.trim().toLowerCase()
  const found = teams.find((t) => String(t.id) === wanted) ?? teams.find((t) => t.name.toLowerCase() === wanted)
  if (!found) {
    const yours = teams.map((t) => `${t.id} ${t.name}`).join(', ')
    throw new CliError(`unknown team: ${ref} (${yours ? `yours: ${yours}` : 'you are in no team yet'})`)
  }
  return found
}

/** A positive integer id from the command line; exit 2 otherwise. */
export function parseId(value: string, what: string): number {
  if (!/^\d{1,15}$/.test(value) || Number(value) < 1) throw new CliError(`${what} must be a positive number, not "${value}"`)
  return Number(value)
}
