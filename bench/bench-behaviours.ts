import { sql } from 'kysely'
import { z } from 'zod'
import { type Behaviour, defineBehaviour, defineMessage, on } from '../src/actors/index.ts'

/** Messages and behaviours the runtime benchmark drives. */
export const Ping = defineMessage('bench.ping', z.object({ i: z.number() }))
export const Load = defineMessage('bench.load', z.object({ i: z.number() }))
export const StartFlow = defineMessage('bench.start-flow', z.object({ i: z.number() }))
export const Work = defineMessage('bench.work', z.object({ parent: z.string() }))
export const Done = defineMessage('bench.done', z.object({}))
export const Mark = defineMessage('bench.mark', z.object({ token: z.string() }))

/** In-process callbacks the driver waits on. */
export interface BenchHooks {
  started(i: number): void
  loaded(): void
  flowDone(i: number): void
}

/** The benchmark's behaviours: latency probe, committed load, 1 → 7 → 1 workflow, failover marker. */
export function benchBehaviours(hooks: BenchHooks): Behaviour[] {
  const latency = defineBehaviour({
    kind: 'lat',
    handlers: {
      [Ping.type]: on(Ping, (_ctx, message) => {
        hooks.started(message.payload.i)
      }),
    },
  })
  // The effect row goes in with the batch's one multi-row INSERT (ctx.append).
  const load = defineBehaviour({
    kind: 'load',
    handlers: {
      [Load.type]: on(Load, (ctx, message) => {
        ;(ctx.append as (table: string, row: Record<string, unknown>) => void)('bench_effects', { actor: ctx.self, i: message.payload.i })
        hooks.loaded()
      }),
    },
  })
  // The same effect with one INSERT round trip per message.
  const loadEach = defineBehaviour({
    kind: 'load1',
    handlers: {
      [Load.type]: on(Load, async (ctx, message) => {
        await sql`insert into bench_effects (actor, i) values (${ctx.self}, ${message.payload.i})`.execute(ctx.trx)
        hooks.loaded()
      }),
    },
  })
  const flow = defineBehaviour<{ i: number; done: number }>({
    kind: 'wf',
    activate: () => ({ i: -1, done: 0 }),
    handlers: {
      [StartFlow.type]: on(StartFlow, (ctx, message) => {
        ctx.state = { i: message.payload.i, done: 0 }
        const key = ctx.self.split('/')[1] as string
        for (let k = 0; k < 7; k++) ctx.tell(`wfc/${key}/${k}`, Work({ parent: ctx.self }))
      }),
      [Done.type]: on(Done, async (ctx) => {
        ctx.state.done++
        if (ctx.state.done === 7) {
          await sql`insert into bench_effects (actor, i) values (${ctx.self}, ${ctx.state.i})`.execute(ctx.trx)
          hooks.flowDone(ctx.state.i)
        }
      }),
    },
  })
  const child = defineBehaviour({
    kind: 'wfc',
    handlers: {
      [Work.type]: on(Work, (ctx, message) => {
        ctx.tell(message.payload.parent, Done({}))
      }),
    },
  })
  const marker = defineBehaviour({
    kind: 'mark',
    handlers: {
      [Mark.type]: on(Mark, async (ctx, message) => {
        await sql`insert into bench_marks (token, node) values (${message.payload.token}, ${ctx.self})`.execute(ctx.trx)
      }),
    },
  })
  return [latency, load, loadEach, flow, child, marker]
}

/** Tables the benchmark behaviours write. */
export async function createBenchTables(db: Parameters<ReturnType<typeof sql>['execute']>[0]): Promise<void> {
  await sql`create table if not exists bench_effects (id bigserial primary key, actor text not null, i integer not null)`.execute(db)
  await sql`create table if not exists bench_marks (token text primary key, node text not null, at timestamptz not null default now())`.execute(db)
}
