import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Subprocess } from 'bun'
import { freePort, type PrivatePostgres, privatePostgresAvailable, startPrivatePostgres } from '../../test/actors/support/private-services.ts'

export { freePort, privatePostgresAvailable, startPrivatePostgres, type PrivatePostgres }

/** The fault suite's own redis-server (AOF `everysec`) in a temp directory: killed, wiped and restarted by the faults. */
export interface ChaosRedis {
  url: string
  /** `kill -9`. */
  crash(): Promise<void>
  /** Deletes its append-only file and dump: the next start has no data. */
  wipe(): void
  restart(): Promise<void>
  stop(): Promise<void>
}

/** True when `redis-server` and `redis-cli` are installed. */
export function redisAvailable(): boolean {
  return Bun.which('redis-server') !== null && Bun.which('redis-cli') !== null
}

/** Starts a private redis-server on a free port of 127.0.0.1. */
export async function startChaosRedis(): Promise<ChaosRedis> {
  const dir = mkdtempSync(join(tmpdir(), 'sage-chaos-redis-'))
  const port = freePort()
  let proc: Subprocess | null = null
  const launch = async (): Promise<void> => {
    proc = Bun.spawn(
      ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', ''],
      { stdout: 'ignore', stderr: 'ignore' },
    )
    const deadline = Date.now() + 10_000
    while (Bun.spawnSync(['redis-cli', '-p', String(port), 'ping']).stdout.toString().trim() !== 'PONG') {
      if (Date.now() > deadline) throw new Error('the private redis-server did not answer')
      await Bun.sleep(50)
    }
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
    crash: kill,
    wipe() {
      rmSync(dir, { recursive: true, force: true })
      mkdirSync(dir, { recursive: true })
    },
    restart: launch,
    async stop() {
      await kill()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
