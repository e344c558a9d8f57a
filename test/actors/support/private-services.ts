import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'

/**
 * Private Redis and PostgreSQL servers for the crash tests: they get killed and
 * restarted, which the machine's shared servers (used by every other suite) must never be.
 */

/** A free TCP port on 127.0.0.1. */
export function freePort(): number {
  const server = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = server.port
  server.stop(true)
  return port
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`)
    await Bun.sleep(50)
  }
}

/** A redis-server with AOF (`appendfsync everysec`) in a temp directory. */
export interface PrivateRedis {
  url: string
  port: number
  /** `kill -9`: no shutdown, the last second of writes may be lost. */
  crash(): Promise<void>
  /** Starts it again on the same port and directory (replaying the AOF). */
  restart(): Promise<void>
  stop(): Promise<void>
}

/** True when `redis-server` is installed. */
export function redisServerAvailable(): boolean {
  return Bun.which('redis-server') !== null
}

/** Starts a private redis-server on a free port. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sage-redis-'))
  const port = freePort()
  let proc: Subprocess | null = null
  const launch = async (): Promise<void> => {
    proc = Bun.spawn(
      ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      { stdout: 'ignore', stderr: 'ignore' },
    )
    await waitUntil(
      'redis-server to answer',
      async () => {
        const r = Bun.spawnSync(['redis-cli', '-p', String(port), 'ping'])
        return r.stdout.toString().trim() === 'PONG'
      },
      10_000,
    )
  }
  await launch()
  const kill = async (): Promise<void> => {
    const p = proc
    if (!p) return
    p.kill('SIGKILL')
    await p.exited
    proc = null
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    crash: kill,
    restart: launch,
    async stop() {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

const PG_BIN = '/usr/lib/postgresql/15/bin'

/** A private PostgreSQL cluster run as the `postgres` OS user in a temp directory. */
export interface PrivatePostgres {
  /** URL of the cluster's `postgres` database; create others with `createDatabase`. */
  adminUrl: string
  port: number
  /** A URL for a new empty database. */
  createDatabase(name: string): Promise<string>
  /** `pg_ctl stop -m fast`: connections are closed, nothing committed is lost. */
  pause(): Promise<void>
  resume(): Promise<void>
  stop(): Promise<void>
}

/** True when the PostgreSQL 15 binaries are installed and this process can act as the postgres user. */
export function privatePostgresAvailable(): boolean {
  return existsSync(`${PG_BIN}/initdb`) && process.getuid?.() === 0 && Bun.which('runuser') !== null
}

function asPostgres(args: string[]): { ok: boolean; out: string } {
  const r = Bun.spawnSync(['runuser', '-u', 'postgres', '--', ...args], { stdout: 'pipe', stderr: 'pipe' })
  return { ok: r.exitCode === 0, out: r.stdout.toString() + r.stderr.toString() }
}

/** initdb + pg_ctl start on a free port. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'sage-pg-'))
  chownSync(dir, uidOf('postgres'), gidOf('postgres'))
  const data = join(dir, 'data')
  const port = freePort()
  const init = asPostgres([`${PG_BIN}/initdb`, '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  if (!init.ok) throw new Error(`initdb failed: ${init.out}`)
  const start = (): void => {
    const r = asPostgres([
      `${PG_BIN}/pg_ctl`,
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
      'start',
    ])
    if (!r.ok) throw new Error(`pg_ctl start failed: ${r.out}`)
  }
  const stop = (): void => {
    const r = asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-m', 'fast', '-w', 'stop'])
    if (!r.ok && !r.out.includes('not running')) throw new Error(`pg_ctl stop failed: ${r.out}`)
  }
  start()
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`
  return {
    adminUrl,
    port,
    async createDatabase(name) {
      const r = asPostgres([`${PG_BIN}/psql`, '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-c', `create database "${name}"`])
      if (!r.ok) throw new Error(`create database failed: ${r.out}`)
      return `postgres://postgres@127.0.0.1:${port}/${name}`
    },
    async pause() {
      stop()
    },
    async resume() {
      start()
    },
    async stop() {
      try {
        stop()
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}

function uidOf(user: string): number {
  return Number(Bun.spawnSync(['id', '-u', user]).stdout.toString().trim())
}

function gidOf(user: string): number {
  return Number(Bun.spawnSync(['id', '-g', user]).stdout.toString().trim())
}
