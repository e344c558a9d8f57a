import { isSessionEnd, readEvents, type SessionEvent } from '../../events/index.ts'
import { type LiveRenderMemo, type LiveViewer, renderLiveEvent } from '../pages/live-renderer.tsx'
import { sseFrame } from '../sse-frame.ts'
import { type Channel, type Client, DONE, keyOf, type LiveHub, type LiveHubDeps, OPEN, PAGE, PING } from './live-hub-types.ts'
import { foldEvents, type LiveViewState, loadViewState } from './view-state.ts'

export type { LiveFormat, LiveHub, LiveHubDeps } from './live-hub-types.ts'

export function createLiveHub(deps: LiveHubDeps): LiveHub {
  const clock = deps.clock ?? (() => new Date())
  const idleMs = deps.idleMs ?? 30_000
  const maxBuffered = deps.maxBuffered ?? 2000
  const channels = new Map<number, Promise<Channel | null>>()
  /** The channels opened and not dropped. */
  const live = new Set<Channel>()

  const heartbeat = setInterval(() => {
    for (const [, pending] of channels) {
      void pending.then((channel) => {
        for (const client of channel?.clients ?? []) client.ping()
        for (const client of channel?.jsonClients ?? []) client.ping()
      })
    }
  }, deps.heartbeatMs ?? 15_000)
  heartbeat.unref?.()

  const enqueue = (channel: Channel, step: () => Promise<void>): Promise<void> => {
    channel.work = channel.work.then(step).catch((error: unknown) => deps.log.warn('live stream step failed', { session_id: channel.sessionId, error }))
    return channel.work
  }

  /** One event's payload per client key, rendered once. */
  const output = async (
    state: LiveViewState,
    event: SessionEvent,
    key: string,
    viewer: LiveViewer | null,
    now: string,
    memo: LiveRenderMemo,
  ): Promise<{ data: string; frame: Uint8Array }> => {
    const data = key === 'json' || !viewer ? JSON.stringify(event) : await renderLiveEvent(state, event, viewer, now, memo)
    return { data, frame: sseFrame(data, { id: event.id }) }
  }

  /** Sends `event` to `clients` that do not have it yet, one render per key; ends those it ends. */
  const deliver = async (channel: Channel, event: SessionEvent, clients: Iterable<Client>, batch?: { now: string; memo: LiveRenderMemo }): Promise<void> => {
    const seq = Number(event.id)
    const now = batch?.now ?? clock().toISOString()
    const memo = batch?.memo ?? new Map()
    const made = new Map<string, { event: SessionEvent; data: string; frame: Uint8Array }>()
    const terminal = isSessionEnd(event.type)
    for (const client of clients) {
      if (client.delivered >= seq) continue
      let out = made.get(client.key)
      if (!out) {
        out = { event, ...(await output(channel.state, event, client.key, client.viewer, now, memo)) }
        made.set(client.key, out)
      }
      client.delivered = seq
      client.send(out)
      if (terminal) {
        channel.clients.delete(client)
        client.end(true)
      }
    }
    if (terminal) scheduleIdle(channel)
  }

  /** Sends `event` as JSON to those of `clients` that lack it, encoded once; ends them after the session's end. */
  const sendJson = (channel: Channel, event: SessionEvent, clients: Iterable<Client>): void => {
    const seq = Number(event.id)
    let out: { event: SessionEvent; data: string; frame: Uint8Array } | null = null
    for (const client of clients) {
      if (client.delivered >= seq) continue
      if (!out) {
        const data = JSON.stringify(event)
        out = { event, data, frame: sseFrame(data, { id: event.id }) }
      }
      client.delivered = seq
      client.send(out)
      if (isSessionEnd(event.type)) {
        channel.jsonClients.delete(client)
        client.end(true)
      }
    }
    if (isSessionEnd(event.type)) scheduleIdle(channel)
  }

  /** Adds a JSON client once it has every event the channel has seen (the backlog read from the log). */
  const joinJson = async (channel: Channel, afterSeq: number, client: Client, signal: AbortSignal): Promise<void> => {
    client.delivered = afterSeq
    if (!channel.active && afterSeq >= channel.seq) {
      client.end(true)
      return
    }
    for (;;) {
      if (signal.aborted) return
      // Checked and added in one turn: the next event the feed delivers reaches it.
      if (client.delivered >= channel.seq) break
      const page = await readEvents(deps.db, channel.sessionId, client.delivered, PAGE)
      for (const event of page) {
        if (Number(event.id) > channel.seq) break
        sendJson(channel, event, [client])
        if (isSessionEnd(event.type)) return
      }
      if (page.length === 0) break
    }
    channel.jsonClients.add(client)
    signal.addEventListener(
      'abort',
      () => {
        if (channel.jsonClients.delete(client)) scheduleIdle(channel)
      },
      { once: true },
    )
  }

  const drop = (channel: Channel): void => {
    live.delete(channel)
    void channels.get(channel.sessionId)?.then((c) => {
      if (c === channel) channels.delete(channel.sessionId)
    })
    channel.stop.abort()
    if (channel.idle) clearTimeout(channel.idle)
    for (const client of [...channel.clients, ...channel.jsonClients]) client.end(false)
    channel.clients.clear()
    channel.jsonClients.clear()
  }

  const scheduleIdle = (channel: Channel): void => {
    if (channel.idle || channel.clients.size + channel.jsonClients.size > 0) return
    channel.idle = setTimeout(() => {
      channel.idle = null
      if (channel.clients.size + channel.jsonClients.size === 0) drop(channel)
    }, idleMs)
  }

  const open = async (sessionId: number): Promise<Channel | null> => {
    const state = await loadViewState(deps.db, sessionId)
    if (!state) return null
    const channel: Channel = {
      sessionId,
      state,
      seq: state.seq,
      active: state.row.status === 'active',
      clients: new Set(),
      jsonClients: new Set(),
      stop: new AbortController(),
      work: Promise.resolve(),
      pending: [],
      idle: null,
    }
    live.add(channel)
    const step = async (): Promise<void> => {
      const batch = channel.pending.splice(0)
      if (batch.length === 0) return
      try {
        await foldEvents(deps.db, channel.state, batch)
      } catch (error) {
        // The state may now lag its events: drop it; its clients reconnect and resume from the log.
        drop(channel)
        throw error
      }
      // One state for the whole batch: the parts its events render alike are rendered once.
      const shared = { now: clock().toISOString(), memo: new Map() }
      for (const event of batch) await deliver(channel, event, [...channel.clients], shared)
    }
    // The one feed subscription of this session in this process; a burst is folded as one batch.
    void (async () => {
      try {
        for await (const event of deps.feed.follow(sessionId, state.seq, channel.stop.signal)) {
          channel.seq = Number(event.id)
          if (isSessionEnd(event.type)) channel.active = false
          else if (event.type === 'session_resumed') channel.active = true
          sendJson(channel, event, channel.jsonClients)
          channel.pending.push(event)
          if (channel.pending.length === 1) void enqueue(channel, step)
        }
      } catch (error) {
        deps.log.warn('live stream feed failed', { session_id: sessionId, error })
      }
      // Ended without being stopped (its follower fell too far behind): drop it; clients reconnect.
      if (!channel.stop.signal.aborted) void enqueue(channel, async () => drop(channel))
    })()
    return channel
  }

  const channelFor = async (sessionId: number): Promise<Channel | null> => {
    let pending = channels.get(sessionId)
    if (!pending) {
      pending = open(sessionId)
      channels.set(sessionId, pending)
      pending.then(
        (c) => {
          if (!c) channels.delete(sessionId)
        },
        () => channels.delete(sessionId),
      )
    }
    return pending
  }

  /** Adds `client` after sending it the events it lacks (read from the log, rendered from the state as it is now). */
  const join = async (sessionId: number, afterSeq: number, client: Client, signal: AbortSignal): Promise<boolean> => {
    for (;;) {
      const channel = await channelFor(sessionId)
      if (!channel) return false
      if (channel.idle) {
        clearTimeout(channel.idle)
        channel.idle = null
      }
      if (client.key === 'json') {
        if (channel.stop.signal.aborted) {
          const current = channels.get(sessionId)
          if (current && (await current) === channel) channels.delete(sessionId)
          continue
        }
        try {
          await joinJson(channel, afterSeq, client, signal)
        } catch (error) {
          client.end(false)
          deps.log.warn('live stream join failed', { session_id: sessionId, error })
        }
        // Dropped while it read its backlog: it reconnects.
        if (channel.stop.signal.aborted) client.end(false)
        scheduleIdle(channel)
        return true
      }
      let outcome: 'joined' | 'ended' | 'retry' = 'retry'
      await enqueue(channel, async () => {
        // Dropped (idle) between the lookup and this step: join its successor.
        if (channel.stop.signal.aborted) return
        if (signal.aborted) {
          outcome = 'ended'
          return
        }
        try {
          outcome = await catchUp(channel, afterSeq, client)
        } catch (error) {
          outcome = 'ended'
          client.end(false)
          throw error
        }
        if (outcome !== 'joined') return
        channel.clients.add(client)
        signal.addEventListener(
          'abort',
          () => {
            if (channel.clients.delete(client)) scheduleIdle(channel)
          },
          { once: true },
        )
      })
      if (outcome === 'retry') {
        const current = channels.get(sessionId)
        if (current && (await current) === channel) channels.delete(sessionId)
        continue
      }
      scheduleIdle(channel)
      return true
    }
  }

  /** Sends a joining client the events between `afterSeq` and the channel's state; 'ended' when one was the session's end. */
  const catchUp = async (channel: Channel, afterSeq: number, client: Client): Promise<'joined' | 'ended'> => {
    const state = channel.state
    client.delivered = afterSeq
    // Ended, and the client has it all: nothing more will come.
    if (state.row.status !== 'active' && afterSeq >= state.seq) {
      client.end(true)
      return 'ended'
    }
    while (client.delivered < state.seq) {
      const page = await readEvents(deps.db, channel.sessionId, client.delivered, PAGE)
      for (const event of page) {
        if (Number(event.id) > state.seq) return 'joined'
        await deliver(channel, event, [client])
        if (isSessionEnd(event.type)) return 'ended'
      }
      if (page.length < PAGE) break
    }
    return 'joined'
  }

  return {
    async sse(sessionId, afterSeq, format, signal, options) {
      let controller: ReadableStreamDefaultController<Uint8Array> | null = null
      let closed = false
      const stop = new AbortController()
      const finish = (): void => {
        if (closed) return
        closed = true
        stop.abort()
        try {
          controller?.close()
        } catch {
          // already closed by the client
        }
      }
      const write = (bytes: Uint8Array): void => {
        if (closed || !controller) return
        if ((controller.desiredSize ?? 0) < -maxBuffered) {
          finish()
          return
        }
        controller.enqueue(bytes)
      }
      const client: Client = {
        key: keyOf(format),
        viewer: format.json ? null : format.viewer,
        delivered: afterSeq,
        send: (out) => write(out.frame),
        ping: () => write(PING),
        end: (terminal) => {
          if (terminal && options.doneEvent) write(DONE)
          finish()
        },
      }
      const stream = new ReadableStream<Uint8Array>(
        {
          start(c) {
            controller = c
            c.enqueue(OPEN)
          },
          cancel() {
            closed = true
            stop.abort()
          },
        },
        { highWaterMark: 0 },
      )
      const both = AbortSignal.any([signal, stop.signal])
      both.addEventListener('abort', finish, { once: true })
      const found = await join(sessionId, afterSeq, client, both)
      if (!found) {
        finish()
        return null
      }
      return stream
    },

    async socket(sessionId, afterSeq, format, signal, sink) {
      let closed = false
      const stop = new AbortController()
      const close = (reason: 'ended' | 'dropped' | 'shutdown'): void => {
        if (closed) return
        closed = true
        stop.abort()
        sink.close(reason)
      }
      const client: Client = {
        key: keyOf(format),
        viewer: format.json ? null : format.viewer,
        delivered: afterSeq,
        send: (out) => {
          if (!closed && out.data) sink.send(out.data)
        },
        ping: () => {},
        end: (terminal) => close(terminal ? 'ended' : 'dropped'),
      }
      const both = AbortSignal.any([signal, stop.signal])
      signal.addEventListener('abort', () => close('shutdown'), { once: true })
      return join(sessionId, afterSeq, client, both)
    },

    sessions: () => channels.size,
    clients() {
      let n = 0
      for (const channel of live) n += channel.clients.size + channel.jsonClients.size
      return n
    },
    async close() {
      clearInterval(heartbeat)
      for (const [, pending] of [...channels]) {
        const channel = await pending.catch(() => null)
        if (channel) drop(channel)
      }
      channels.clear()
    },
  }
}

