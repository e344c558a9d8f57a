import { createModelLimits, type ModelLimits } from './model-limits.ts'

/** What a thread asks on the channel, and what the host answers. */
type LimitsMessage = { t: 'need' } | { t: 'memory'; memory: SharedArrayBuffer }

/** The node's side of the shared limits: the memory, the channel its Workers join by, and `stop()`. */
export interface ModelLimitsHost {
  limits: ModelLimits
  /** The BroadcastChannel name to give the node's Workers (`joinModelLimits(channel)`). */
  channel: string
  stop(): void
}

/**
 * Creates the node's shared model limits on the main thread and answers every Worker that
 * asks for them on a BroadcastChannel named for this host (`postMessage` of a
 * SharedArrayBuffer shares it, it does not copy it). Start it before the Worker pool; stop it
 * after the pool.
 */
export function startModelLimitsHost(): ModelLimitsHost {
  const limits = createModelLimits()
  const channel = `sage-model-limits:${crypto.randomUUID()}`
  const bc = new BroadcastChannel(channel)
  bc.onmessage = (event: MessageEvent<LimitsMessage>) => {
    if (event.data?.t === 'need') bc.postMessage({ t: 'memory', memory: limits.memory } satisfies LimitsMessage)
  }
  // The channel must not keep the process alive on its own.
  ;(bc as BroadcastChannel & { unref?: () => void }).unref?.()
  return { limits, channel, stop: () => bc.close() }
}

/**
 * The node's shared limits, asked for on `channel` (from a Worker). Resolves with Worker-local
 * limits (and a warning) when no host answers within `timeoutMs`: the calls still run, but the
 * limit then holds per Worker. Never rejects.
 */
export function joinModelLimits(channel: string, timeoutMs = 5000): Promise<ModelLimits> {
  return new Promise((resolve) => {
    const bc = new BroadcastChannel(channel)
    const timer = setTimeout(() => {
      bc.close()
      console.warn(`model limits: no answer on ${channel}; limiting calls per Worker`)
      resolve(createModelLimits())
    }, timeoutMs)
    bc.onmessage = (event: MessageEvent<LimitsMessage>) => {
      if (event.data?.t !== 'memory') return
      clearTimeout(timer)
      bc.close()
      resolve(createModelLimits(event.data.memory))
    }
    bc.postMessage({ t: 'need' } satisfies LimitsMessage)
  })
}
