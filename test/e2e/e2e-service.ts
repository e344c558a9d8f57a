/**
 * The real service for browser tests: startService() in this process on port 0, over a scratch
 * PostgreSQL database (PGlite in a temp dir when no server is reachable) and the run's Redis (under
 * its own key prefix), with the simulated model slowed down so progress is visible (a session takes a few seconds). Also a TCP
 * proxy in front of it, so a test can cut the browser's connections as a network drop would.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Socket, TCPSocketListener } from 'bun'
import { startService } from '../../src/boot/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { testConfig } from '../support/engines.ts'
import { createScratchDatabase, deleteRedisKeys, testServices } from '../support/services.ts'

const root = new URL('../..', import.meta.url).pathname

/** A running service and how to reach it. */
export interface E2EService {
  /** `http://127.0.0.1:<port>` of the service itself. */
  base: string
  port: number
  stop(): Promise<void>
}

/** Builds the CSS and vendored htmx the pages load, as `bun run build` does. */
export function buildAssets(): void {
  const build = Bun.spawnSync(['bun', 'scripts/build-assets.ts'], { cwd: root, stderr: 'pipe' })
  if (build.exitCode !== 0) throw new Error(`build-assets failed: ${build.stderr.toString()}`)
}

/** Starts the whole service (web + actor node) for a browser test. */
export async function startE2EService(label: string, env: Record<string, string> = {}): Promise<E2EService> {
  const services = testServices()
  const scratch = services.postgresUrl ? await createScratchDatabase(label) : null
  const dataDir = scratch ? null : mkdtempSync(join(tmpdir(), 'sage-e2e-'))
  const prefix = `${services.redisPrefix}e2e${Math.random().toString(36).slice(2, 8)}:`
  const config = testConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    // Slow enough that a session spans a dropped connection and its reconnect.
    SIM_LATENCY_MS: '400-900',
    SAGE_WORKERS: '2',
    SHUTDOWN_TIMEOUT_MS: '2000',
    REDIS_PREFIX: prefix,
    ...(scratch ? { DATABASE_URL: scratch.url } : { SAGE_DATA_DIR: dataDir as string }),
    ...(services.redisUrl ? { REDIS_URL: services.redisUrl } : {}),
    ...env,
  })
  const service = await startService(config, silentLogger())
  return {
    base: `http://127.0.0.1:${service.port}`,
    port: service.port,
    async stop() {
      await service.stop()
      if (services.redisUrl) await deleteRedisKeys(services.redisUrl, prefix)
      await scratch?.drop()
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

/** A TCP proxy to a local port whose connections a test can cut. */
export interface DropProxy {
  base: string
  /** Closes every open connection and refuses new ones for `ms` milliseconds. */
  drop(ms: number): Promise<void>
  /** How many connections were cut so far. */
  readonly cut: number
  stop(): void
}

interface Pipe {
  upstream: Socket<Pipe> | null
  pending: Uint8Array[]
  client: Socket<Pipe>
}

/** Starts a TCP proxy on 127.0.0.1 in front of `port`. */
export function startDropProxy(port: number): DropProxy {
  const open = new Set<Socket<Pipe>>()
  let refusing = false
  let cut = 0
  const listener: TCPSocketListener<Pipe> = Bun.listen<Pipe>({
    hostname: '127.0.0.1',
    port: 0,
    socket: {
      async open(client) {
        if (refusing) {
          client.end()
          return
        }
        const pipe: Pipe = { upstream: null, pending: [], client }
        client.data = pipe
        open.add(client)
        pipe.upstream = await Bun.connect<Pipe>({
          hostname: '127.0.0.1',
          port,
          data: pipe,
          socket: {
            data(_up, chunk) {
              client.write(chunk)
            },
            close() {
              client.end()
            },
            error() {
              client.end()
            },
          },
        })
        for (const chunk of pipe.pending) pipe.upstream.write(chunk)
        pipe.pending = []
      },
      data(client, chunk) {
        if (client.data.upstream) client.data.upstream.write(chunk)
        else client.data.pending.push(new Uint8Array(chunk))
      },
      close(client) {
        open.delete(client)
        client.data?.upstream?.end()
      },
      error(client) {
        open.delete(client)
        client.data?.upstream?.end()
      },
    },
  })
  return {
    base: `http://127.0.0.1:${listener.port}`,
    get cut() {
      return cut
    },
    async drop(ms) {
      refusing = true
      for (const client of open) {
        cut += 1
        client.data?.upstream?.terminate()
        client.terminate()
      }
      open.clear()
      await Bun.sleep(ms)
      refusing = false
    },
    stop() {
      for (const client of open) client.terminate()
      listener.stop(true)
    },
  }
}
