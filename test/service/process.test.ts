import { afterEach, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { REPO_ROOT, type ServiceProcess, serviceEnv, startServiceProcess } from '../support/service-process.ts'

// Integration tests start databases, servers and processes: more than bun's 5 s default.
setDefaultTimeout(60_000)

const children: Subprocess[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL')
    await child.exited
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sage-proc-'))
  dirs.push(dir)
  return dir
}

/** Starts `bun src/main.ts`; afterEach stops it. */
async function startChild(env: Record<string, string>): Promise<ServiceProcess> {
  const started = await startServiceProcess(env, { timeoutMs: 20_000 })
  children.push(started.child)
  return started
}

describe('the service process', () => {
  it('exits non-zero with one line naming each bad variable and no stack trace', async () => {
    const child = Bun.spawn(['bun', 'src/main.ts'], {
      cwd: REPO_ROOT,
      env: serviceEnv({ PORT: 'eighty', SAGE_ROLE: 'everything' }),
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const code = await child.exited
    const stderr = await new Response(child.stderr).text()
    expect(code).toBe(2)
    expect(stderr.trim().split('\n')).toEqual([
      'sage-mode: invalid configuration: PORT must be an integer from 0 to 65535 (got "eighty")',
      'sage-mode: invalid configuration: SAGE_ROLE must be one of all, web, node (got "everything")',
    ])
    expect(stderr).not.toContain('    at ')
  })

  it('serves /health on the embedded default and keeps its data directory', async () => {
    const dir = dataDir()
    const { port } = await startChild({ SAGE_DATA_DIR: dir })
    const res = await fetch(`http://127.0.0.1:${port}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', db: 'up', redis: 'embedded' })
    expect(existsSync(join(dir, 'pglite'))).toBe(true)
  })

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops gracefully on ${signal}: closes the port, releases the data directory and exits 0`, async () => {
      const dir = dataDir()
      const { child, port, lines } = await startChild({ SAGE_DATA_DIR: dir })
      expect(existsSync(join(dir, 'pglite.lock'))).toBe(true)
      child.kill(signal)
      expect(await child.exited).toBe(0)
      expect(lines.some((l) => l.includes('"msg":"sage mode stopped"'))).toBe(true)
      expect(existsSync(join(dir, 'pglite.lock'))).toBe(false)
      await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow()
    })
  }

  it('finishes a request that is in flight when SIGTERM arrives', async () => {
    const { child, port } = await startChild({ SAGE_DATA_DIR: dataDir() })
    const body = JSON.stringify({ username: 'nobody-here', password: 'wrong-password' })
    let response = ''
    const { promise: closed, resolve: onClose } = Promise.withResolvers<void>()
    const socket = await Bun.connect({
      hostname: '127.0.0.1',
      port,
      socket: {
        data(_s, chunk) {
          response += new TextDecoder().decode(chunk)
        },
        close() {
          onClose()
        },
      },
    })
    // Headers and half of the body now; the rest after the signal.
    socket.write(
      `POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    )
    await Bun.sleep(200)
    child.kill('SIGTERM')
    await Bun.sleep(300)
    socket.write(body.slice(10))
    await closed
    expect(response).toStartWith('HTTP/1.1 401')
    expect(response).toContain('"code":"unauthorized"')
    expect(await child.exited).toBe(0)
  })

  it('reports a data directory held by another process in one line and exits 1', async () => {
    const dir = dataDir()
    await startChild({ SAGE_DATA_DIR: dir })
    const second = Bun.spawn(['bun', 'src/main.ts'], { cwd: REPO_ROOT, env: serviceEnv({ SAGE_DATA_DIR: dir }), stdout: 'pipe', stderr: 'pipe' })
    children.push(second)
    expect(await second.exited).toBe(1)
    expect(await new Response(second.stderr).text()).toMatch(/^sage-mode: could not start: Another Sage Mode process \(pid \d+\)/)
  })
})
