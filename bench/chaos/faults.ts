import { z } from 'zod'
import { createActorClient, createRedisStreamsTransport, defineMessage } from '../../src/actors/index.ts'
import { createSimulatedProvider } from '../../src/agents/index.ts'
import { silentLogger } from '../../src/log/index.ts'
import { closeRedis, connectRedis } from '../../src/redis/index.ts'
import { type FakeModelServer, openaiStream, startFakeModelServer } from '../../test/agents/support/fake-model-server.ts'
import { runAllRoles } from '../../test/agents/support/inputs.ts'
import { followSession } from './load.ts'
import type { Fault, FaultContext } from './run-fault.ts'

/** The faults of `bun run chaos`, in the order they run; `quick` ones make `--quick`. */
export function faults(plain: number): Fault[] {
  const load = async (ctx: FaultContext): Promise<void> => {
    await ctx.startPlain(plain)
  }
  const node = (ctx: FaultContext, i: number) => ctx.cluster.nodes[i % ctx.cluster.nodes.length] as FaultContext['cluster']['nodes'][number]
  return [
    {
      name: 'node kill -9',
      quick: true,
      load,
      async inject(ctx) {
        await node(ctx, 0).signal('SIGKILL')
        const from = Date.now()
        ctx.log('node-a killed (-9); restarting it under a new id in 1 s')
        await Bun.sleep(1000)
        await node(ctx, 0).start()
        return from
      },
    },
    {
      name: 'worker crash beside plain sessions',
      quick: true,
      async load(ctx) {
        await ctx.start('Crashy [sim:crash=backend_developer]', 'failed')
        await ctx.startPlain(plain)
      },
      inject: async () => null,
    },
    {
      name: 'poison message',
      quick: true,
      async load(ctx) {
        // Its architect's first attempt hangs until TASK_TIMEOUT_MS: still active when the poison arrives.
        await ctx.start('Poisoned [sim:hang=software_architect:1]', 'failed')
        await ctx.startPlain(plain)
      },
      async inject(ctx) {
        // A message its supervisor cannot take (a payload no handler accepts), sent as a client would.
        const target = ctx.expected[0] as { id: number }
        const Poison = defineMessage('session.task-succeeded', z.object({ role: z.string(), attempt: z.number() }))
        const redis = await connectRedis(ctx.redis.url, silentLogger())
        const transport = createRedisStreamsTransport({ redis, prefix: ctx.redisPrefix, consumer: 'chaos', log: silentLogger() })
        const client = createActorClient({ db: ctx.db.db, transport, partitions: 16, clientId: 'chaos-driver', log: silentLogger() })
        try {
          await client.tell(`session/${target.id}`, Poison({ role: 'no_such_role', attempt: 0 }))
        } finally {
          await client.close()
          await transport.stop()
          await closeRedis(redis)
        }
        ctx.log(`poison message sent to session/${target.id}`)
        return null
      },
    },
    { ...unstorableReply(plain), quick: true },
    {
      name: 'hung model call',
      quick: false,
      async load(ctx) {
        // The first attempt hangs until TASK_TIMEOUT_MS; the retry completes.
        await ctx.start('Slow [sim:hang=backend_developer:1]', 'completed')
        await ctx.startPlain(plain)
      },
      inject: async () => null,
    },
    {
      name: 'SIGSTOP node 10 s',
      quick: false,
      load,
      async inject(ctx) {
        await node(ctx, 1).signal('SIGSTOP')
        const from = Date.now()
        await Bun.sleep(10_000)
        await node(ctx, 1).signal('SIGCONT')
        ctx.log('node-b continued after 10 s stopped')
        return from
      },
    },
    {
      name: 'Redis kill -9 + wiped',
      quick: false,
      load,
      async inject(ctx) {
        await ctx.redis.crash()
        ctx.redis.wipe()
        const from = Date.now()
        await Bun.sleep(1000)
        await ctx.redis.restart()
        ctx.log('Redis killed, its AOF deleted, started empty after 1 s')
        return from
      },
    },
    {
      name: 'PostgreSQL stopped 10 s',
      quick: false,
      load,
      async inject(ctx) {
        await ctx.pg.pause()
        await Bun.sleep(10_000)
        await ctx.pg.resume()
        ctx.log('PostgreSQL back after 10 s')
        return Date.now()
      },
    },
    {
      name: 'web kill -9 under SSE clients',
      quick: false,
      async load(ctx) {
        for (const id of await ctx.startPlain(plain)) ctx.followers.push(followSession(ctx.user, id))
      },
      async inject(ctx) {
        await ctx.cluster.web.signal('SIGKILL')
        const from = Date.now()
        await Bun.sleep(1000)
        await ctx.cluster.web.start()
        // Recovery here: until the restarted web process answers again (the nodes never stopped).
        const back = Date.now() - from
        ctx.log(`web killed (-9) under ${ctx.followers.length} SSE clients; answering again after ${back} ms`)
        return { recoveryMs: back }
      },
    },
    {
      name: 'rolling SIGTERM restart',
      quick: false,
      load,
      async inject(ctx) {
        const recoveries: Array<Promise<number | null>> = []
        for (let i = 0; i < ctx.cluster.nodes.length; i++) {
          // Sessions in flight at every step.
          await ctx.startPlain(3)
          recoveries.push(ctx.recovery(Date.now()))
          await node(ctx, i).signal('SIGTERM')
          await node(ctx, i).start()
        }
        ctx.log('every node stopped gracefully and started again, one at a time')
        return { recoveryMs: worst(await Promise.all(recoveries)) }
      },
    },
    {
      name: 'kill/restart churn 60 s',
      quick: false,
      load,
      async inject(ctx) {
        const end = Date.now() + 60_000
        const recoveries: Array<Promise<number | null>> = []
        let kills = 0
        for (let i = 0; Date.now() < end; i++) {
          const victim = node(ctx, Math.floor(Math.random() * 3))
          await victim.signal('SIGKILL')
          recoveries.push(ctx.recovery(Date.now()))
          kills++
          await ctx.startPlain(2)
          await Bun.sleep(1000)
          await victim.start()
          await Bun.sleep(3000)
        }
        ctx.log(`${kills} nodes killed (-9) and restarted under new ids in 60 s`)
        return { recoveryMs: worst(await Promise.all(recoveries)) }
      },
    },
  ]
}

/** The longest of several recoveries (those with nothing to recover left out). */
function worst(recoveries: Array<number | null>): number | null {
  const measured = recoveries.filter((r): r is number => r !== null)
  return measured.length === 0 ? null : Math.max(...measured)
}

/** Every model reply holds a NUL and a lone surrogate (a stand-in OpenAI server): sessions complete with them replaced. */
function unstorableReply(plain: number): Fault {
  let model: FakeModelServer | null = null
  return {
    name: 'unstorable reply',
    quick: false,
    async prepare() {
      const server = startFakeModelServer()
      model = server
      const outputs = await runAllRoles(createSimulatedProvider({ latencyMs: { min: 0, max: 0 } }), { name: 'Invoice export', description: 'CSV export.' })
      const replies = new Map<string, string>()
      for (const { role, output } of outputs) {
        const decisions = output.decisions.map((d, i) => (i === 0 ? { ...d, text: `${d.text} \ud800here` } : d))
        replies.set(`${role}_output`, JSON.stringify({ ...output, analysis: `${output.analysis} with a \u0000 inside`, decisions }))
      }
      server.reply((recorded, request) => {
        const format = recorded.body.response_format as { json_schema: { name: string } }
        return openaiStream(replies.get(format.json_schema.name) ?? '{}', { chunks: 4 })(recorded, request)
      })
      return async () => {
        await server.stop()
        model = null
      }
    },
    env: (): Record<string, string> => (model ? { MODEL_PROVIDER: 'openai', OPENAI_BASE_URL: `${model.url}/v1`, OPENAI_API_KEY: 'sk-chaos', MODEL_NAME: 'gpt-4o' } : {}),
    async load(ctx) {
      await ctx.startPlain(plain)
    },
    inject: async () => null,
  }
}
