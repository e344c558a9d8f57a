/** What the fault suite does through the web process's API: a user with a token and a team, sessions, SSE followers. */

export interface ApiUser {
  url: string
  token: string
  teamId: number
}

async function retrying<T>(what: string, attempt: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await attempt()
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what}: ${error instanceof Error ? error.message : String(error)}`)
      await Bun.sleep(250)
    }
  }
}

/** Signs up a user, makes an API token and a team. */
export async function createApiUser(url: string): Promise<ApiUser> {
  const username = `chaos_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`
  const signup = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, email: `${username}@example.com`, password: 'correct horse battery' }),
  })
  if (signup.status !== 201) throw new Error(`signup failed: ${signup.status} ${await signup.text()}`)
  const { csrf_token } = (await signup.json()) as { csrf_token: string }
  const cookie = (signup.headers.get('set-cookie') ?? '').split(';')[0] as string
  const headers = { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf_token }
  const token = (await (await fetch(`${url}/api/auth/tokens`, { method: 'POST', headers, body: JSON.stringify({ name: 'chaos' }) })).json()) as { secret: string }
  const team = (await (await fetch(`${url}/api/teams`, { method: 'POST', headers, body: JSON.stringify({ name: `Chaos ${username}` }) })).json()) as { team: { id: number } }
  return { url, token: token.secret, teamId: team.team.id }
}

/** Starts a session through the API (retried while the web tier is unavailable); returns its id. */
export async function createSession(user: ApiUser, featureName: string): Promise<number> {
  return retrying(`creating session "${featureName}"`, async () => {
    const res = await fetch(`${user.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ team_id: user.teamId, feature_name: featureName, description: 'Finance users export filtered invoices as CSV files.' }),
    })
    if (res.status !== 201) throw new Error(`${res.status} ${await res.text()}`)
    return ((await res.json()) as { session: { id: number } }).session.id
  })
}

/** What an SSE client saw of one session's JSON event stream, across reconnections. */
export interface Follower {
  sessionId: number
  /** Event ids in the order received (a duplicate appears twice). */
  ids: string[]
  reconnects: number
  ended: boolean
  done: Promise<void>
  stop(): void
}

const END_TYPES = new Set(['session_completed', 'session_failed', 'session_cancelled'])

/**
 * Follows `GET /api/sessions/:id/events` until the session's end event; when the stream breaks
 * (the web process died) it reconnects with `Last-Event-ID` set to the last id it received.
 */
export function followSession(user: ApiUser, sessionId: number): Follower {
  const controller = new AbortController()
  const f: Follower = { sessionId, ids: [], reconnects: 0, ended: false, done: Promise.resolve(), stop: () => controller.abort() }
  f.done = (async () => {
    while (!f.ended && !controller.signal.aborted) {
      try {
        const last = f.ids.at(-1)
        const res = await fetch(`${user.url}/api/sessions/${sessionId}/events`, {
          headers: { authorization: `Bearer ${user.token}`, accept: 'text/event-stream', ...(last ? { 'last-event-id': last } : {}) },
          signal: controller.signal,
        })
        if (res.status !== 200 || !res.body) throw new Error(`status ${res.status}`)
        const reader = res.body.getReader()
        const decoder = new TextDecoder()
        let buffer = ''
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          buffer += decoder.decode(value, { stream: true })
          let cut = buffer.indexOf('\n\n')
          while (cut >= 0) {
            const frame = buffer.slice(0, cut)
            buffer = buffer.slice(cut + 2)
            cut = buffer.indexOf('\n\n')
            const id = /^id: ?(.*)$/m.exec(frame)?.[1]
            const data = /^data: ?(.*)$/m.exec(frame)?.[1]
            if (!id || !data) continue
            f.ids.push(id)
            if (END_TYPES.has((JSON.parse(data) as { type: string }).type)) f.ended = true
          }
        }
      } catch {
        // The web process went away: reconnect below.
      }
      if (!f.ended && !controller.signal.aborted) {
        f.reconnects++
        await Bun.sleep(200)
      }
    }
  })()
  return f
}
