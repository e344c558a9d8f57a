import { type ServiceProcess, startServiceProcess } from '../../test/support/service-process.ts'

/** One `bun src/main.ts` of the fault suite's cluster: a web process or an actor node. */
export interface Member {
  name: string
  role: 'web' | 'node'
  proc: ServiceProcess | null
  /** Starts it (again): a node gets a new NODE_ID each time, as a replaced machine would. */
  start(): Promise<void>
  /** Sends `signal` and, for SIGKILL/SIGTERM, waits for the process to exit. */
  signal(signal: 'SIGKILL' | 'SIGTERM' | 'SIGSTOP' | 'SIGCONT'): Promise<void>
  alive(): boolean
}

/** A web process and three actor nodes over one database and Redis prefix. */
export interface Cluster {
  web: Member
  nodes: Member[]
  url: string
  stop(): Promise<void>
}

let generation = 0

function member(name: string, role: 'web' | 'node', env: () => Record<string, string>): Member {
  const m: Member = {
    name,
    role,
    proc: null,
    async start() {
      const id = `${name}-${++generation}`
      m.proc = await startServiceProcess({ ...env(), SAGE_ROLE: role, NODE_ID: id }, { timeoutMs: 90_000 })
    },
    async signal(signal) {
      const p = m.proc
      if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return
      p.child.kill(signal)
      if (signal === 'SIGKILL' || signal === 'SIGTERM') {
        await p.child.exited
        m.proc = null
      }
    },
    alive: () => m.proc !== null && m.proc.child.exitCode === null && m.proc.child.signalCode === null,
  }
  return m
}

/** Starts the web process (on `port`, so a restart keeps its address) and three nodes; `env` is read at every (re)start. */
export async function startCluster(env: () => Record<string, string>, port: number): Promise<Cluster> {
  const web = member('web', 'web', () => ({ ...env(), PORT: String(port), HOST: '127.0.0.1' }))
  const nodes = ['node-a', 'node-b', 'node-c'].map((n) => member(n, 'node', env))
  const all = [web, ...nodes]
  try {
    await Promise.all(all.map((m) => m.start()))
  } catch (error) {
    await Promise.all(all.map((m) => m.signal('SIGKILL')))
    throw error
  }
  return {
    web,
    nodes,
    url: `http://127.0.0.1:${port}`,
    async stop() {
      // A stopped process must be continued before it can handle SIGTERM.
      await Promise.all(all.map((m) => m.signal('SIGCONT')))
      await Promise.all(
        all.map(async (m) => {
          const p = m.proc
          if (!p) return
          p.child.kill('SIGTERM')
          const exited = await Promise.race([p.child.exited.then(() => true), Bun.sleep(15_000).then(() => false)])
          if (!exited) await m.signal('SIGKILL')
          m.proc = null
        }),
      )
    },
  }
}
