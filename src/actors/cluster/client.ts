import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../../db/index.ts'
import type { Logger } from '../../log/index.ts'
import { type Address, AskTimeoutError, decodeEnvelope, encodeEnvelope, type Message, parseAddress, partitionOf, StopActor } from '../model/index.ts'
import { makeEnvelope, toOutbox } from '../handling/index.ts'
import { insertOutbox, type OutboxMessage, upsertSpawn } from '../storage/index.ts'
import type { MailboxTransport } from '../transport/index.ts'

/** A message written in the caller's transaction; publish it after that transaction commits. */
export interface PendingMessage {
  readonly messageId: string
  /** Hands the message to its mailbox. If never called (a crash), the reconciler publishes it within seconds. */
  publish(): Promise<void>
}

/** Options of an external `tell`. */
export interface TellOptions {
  /**
   * true (the default): the message is committed to the outbox first, so it survives
   * any crash. false: appended straight to the mailbox (one hop, as a job queue does);
   * lost if the transport loses it before it is handled.
   */
  durable?: boolean
}

/** Sends messages to actors from outside them (HTTP handlers, scripts, tests). */
export interface ActorClient {
  /** The address replies to this client's asks go to (`node:<id>`). */
  readonly replyAddress: string
  /**
   * Sends a message; resolves with its id once it is committed and handed to its mailbox.
   * @example await client.tell('counter/7', Increment({ by: 1 }))
   */
  tell(to: Address, message: Message, options?: TellOptions): Promise<string>
  /**
   * Writes a message in the caller's transaction (so it commits or rolls back with the
   * caller's rows). Call `publish()` after commit.
   * @example
   * const pending = await db.transaction().execute(async (trx) => {
   *   const session = await trx.insertInto('execution_sessions')…
   *   return client.tellIn(trx, `session/${session.id}`, StartSession({}))
   * })
   * await pending.publish()
   */
  tellIn(trx: Transaction<Database>, to: Address, message: Message): Promise<PendingMessage>
  /**
   * Sends a message and waits for the handler's `ctx.reply(...)`. Rejects with
   * AskTimeoutError after `timeoutMs`. The request is not durable (an ask is a live question).
   * @example const reply = await client.ask('counter/7', GetCount({}), { timeoutMs: 2000 })
   */
  ask(to: Address, message: Message, options: { timeoutMs: number }): Promise<Message>
  /** Records `address` as spawned (with an optional supervisor) in the caller's transaction, telling it `init`. */
  spawnIn(trx: Transaction<Database>, address: Address, options?: { supervisor?: Address; init?: Message }): Promise<PendingMessage | null>
  /** Stops an actor (its timers and jobs are cancelled; later messages are dead-lettered). */
  stop(address: Address): Promise<void>
  /** Unsubscribes from replies and rejects pending asks. Idempotent. */
  close(): Promise<void>
}

/** What a client needs. */
export interface ActorClientDeps {
  db: Kysely<Database>
  transport: MailboxTransport
  partitions: number
  /** Unique per process: replies are addressed to it. */
  clientId: string
  log: Logger
  /** How committed messages reach their mailbox; defaults to appending to the transport. A node passes its local router. */
  route?: (messages: OutboxMessage[]) => Promise<void>
}

/** Creates a client. In a process that runs a node, use `node.client` (it shares the node's local routing). */
export function createActorClient(deps: ActorClientDeps): ActorClient {
  const { db, transport, partitions, log } = deps
  const route =
    deps.route ??
    (async (messages: OutboxMessage[]): Promise<void> => {
      const byPartition = new Map<number, OutboxMessage[]>()
      for (const m of messages) {
        const list = byPartition.get(m.targetPartition)
        if (list) list.push(m)
        else byPartition.set(m.targetPartition, [m])
      }
      await Promise.all(
        [...byPartition].map(([p, list]) => transport.append(p, list.map((m) => ({ messageId: m.messageId, body: m.envelope })))),
      )
    })
  const replyAddress = `node:${deps.clientId}`
  const waiting = new Map<string, { resolve: (m: Message) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>()
  let unsubscribe: Promise<() => Promise<void>> | null = null
  let closed = false

  const subscribe = (): Promise<() => Promise<void>> => {
    unsubscribe ??= transport.onReply(deps.clientId, (body) => {
      const decoded = decodeEnvelope(body)
      if (!decoded.ok || !decoded.envelope.correlation_id) return
      const w = waiting.get(decoded.envelope.correlation_id)
      if (!w) return
      waiting.delete(decoded.envelope.correlation_id)
      clearTimeout(w.timer)
      w.resolve({ type: decoded.envelope.type, payload: decoded.envelope.payload })
    })
    return unsubscribe
  }

  const checkAddress = (to: string): void => {
    if (!parseAddress(to)) throw new Error(`Invalid actor address: ${to}`)
  }

  const tellIn = async (trx: Transaction<Database>, to: Address, message: Message): Promise<PendingMessage> => {
    checkAddress(to)
    const out = toOutbox(makeEnvelope(to, message, { from: replyAddress }), partitions)
    await insertOutbox(trx, [out])
    return { messageId: out.messageId, publish: () => route([out]) }
  }

  return {
    replyAddress,
    async tell(to, message, options = {}) {
      checkAddress(to)
      const out = toOutbox(makeEnvelope(to, message, { from: replyAddress }), partitions)
      if (options.durable !== false) await insertOutbox(db, [out])
      await route([out])
      return out.messageId
    },
    tellIn,
    async ask(to, message, options) {
      checkAddress(to)
      if (closed) throw new Error('The actor client is closed.')
      await subscribe()
      const envelope = makeEnvelope(to, message, { from: replyAddress, reply_to: replyAddress })
      envelope.correlation_id = envelope.id
      const reply = new Promise<Message>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(envelope.id)
          reject(new AskTimeoutError(to, message.type, options.timeoutMs))
        }, options.timeoutMs)
        waiting.set(envelope.id, { resolve, reject, timer })
      })
      const out: OutboxMessage = {
        messageId: envelope.id,
        targetPartition: partitionOf(to, partitions),
        sourcePartition: null,
        envelope: encodeEnvelope(envelope),
      }
      try {
        await route([out])
      } catch (error) {
        const w = waiting.get(envelope.id)
        if (w) {
          clearTimeout(w.timer)
          waiting.delete(envelope.id)
        }
        throw error
      }
      return reply
    },
    async spawnIn(trx, address, options = {}) {
      checkAddress(address)
      const parsed = parseAddress(address) as { kind: string }
      await upsertSpawn(trx, [{ address, partition: partitionOf(address, partitions), kind: parsed.kind, supervisor: options.supervisor ?? null }])
      return options.init ? tellIn(trx, address, options.init) : null
    },
    async stop(address) {
      checkAddress(address)
      const out = toOutbox(makeEnvelope(address, StopActor({ reason: 'stopped from outside' }), { from: replyAddress }), partitions)
      await insertOutbox(db, [out])
      await route([out])
    },
    async close() {
      if (closed) return
      closed = true
      for (const [id, w] of waiting) {
        clearTimeout(w.timer)
        w.reject(new Error('The actor client closed before a reply came.'))
        waiting.delete(id)
      }
      if (unsubscribe) {
        try {
          await (await unsubscribe)()
        } catch (error) {
          log.debug('reply unsubscribe failed', { error: String(error) })
        }
      }
    },
  }
}
