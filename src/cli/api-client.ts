import { CliError, EXIT } from './cli-error.ts'

/** Options of one API call. */
export interface ApiCallOptions {
  body?: unknown
  headers?: Record<string, string>
  signal?: AbortSignal
  /** Return the raw Response (for downloads and streams) instead of parsed JSON. */
  raw?: boolean
}

/** A client of the JSON API, authenticated by a personal API token. */
export interface ApiClient {
  readonly url: string
  /** The parsed JSON body of a 2xx answer (undefined for 204); throws CliError for everything else. */
  call<T = unknown>(method: string, path: string, options?: ApiCallOptions): Promise<T>
  /** The raw 2xx Response; throws CliError for everything else. */
  fetch(method: string, path: string, options?: ApiCallOptions): Promise<Response>
}

/** `{error:{code,message}}` of API.md, as a one-line description. */
async function describeError(res: Response): Promise<{ code: string; message: string }> {
  const text = await res.text().catch(() => '')
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } }
    if (body.error?.message) return { code: body.error.code ?? String(res.status), message: body.error.message }
  } catch {
    // not JSON: fall through
  }
  return { code: String(res.status), message: text.trim().split('\n')[0]?.slice(0, 200) || res.statusText || `HTTP ${res.status}` }
}

/**
 * A client for `url` with bearer `token`. Errors become one-line CliErrors: an unreachable
 * server, a refused token (401, with how to log in again) and every other API error name
 * the server's message; all exit 2 (bad usage or input), as API.md's "Command line" says.
 */
export function createApiClient(url: string, token: string | null): ApiClient {
  const base = url.replace(/\/+$/, '')
  async function send(method: string, path: string, options: ApiCallOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
    if (token) headers.authorization = `Bearer ${token}`
    let body: string | undefined
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.body)
    }
    let res: Response
    try {
      res = await fetch(`${base}${path}`, { method, headers, body, signal: options.signal, redirect: 'manual' })
    } catch (error) {
      if (options.signal?.aborted) throw error
      throw new CliError(`cannot reach Sage Mode at ${base} (${error instanceof Error ? error.message : String(error)}); is it running? Set --url or SAGE_URL.`)
    }
    if (res.ok) return res
    const { code, message } = await describeError(res)
    if (res.status === 401) {
      throw new CliError(
        token ? `the API token was refused: ${message} Run \`sage login\` or set SAGE_TOKEN.` : 'not logged in: run `sage login` or set SAGE_TOKEN.',
      )
    }
    if (res.status === 404 && /^Not found\.?$/.test(message)) {
      // The catch-all's answer, not a missing record: the route itself is not on this server.
      throw new CliError(`${method} ${path.split('?')[0]}: Not found (404 ${code}): this server has no such route yet`)
    }
    throw new CliError(`${message} (${res.status} ${code})`, res.status >= 500 ? EXIT.failed : EXIT.usage)
  }
  return {
    url: base,
    async call<T>(method: string, path: string, options?: ApiCallOptions): Promise<T> {
      const res = await send(method, path, options)
      if (res.status === 204) return undefined as T
      const text = await res.text()
      return (text ? JSON.parse(text) : undefined) as T
    },
    fetch: send,
  }
}
