import { createClient, type RedisClientType } from 'redis'
import type { Logger } from '../log/index.ts'

export type Redis = RedisClientType

/**
 * Connects to Redis and waits until it answers. The client reconnects by itself
 * with capped backoff; errors are logged rather than thrown from the event emitter.
 */
export async function connectRedis(url: string, log: Logger): Promise<Redis> {
  const client: Redis = createClient({
    url,
    socket: { reconnectStrategy: (retries) => Math.min(50 * 2 ** retries, 2000), connectTimeout: 5000 },
  })
  let lastError = ''
  client.on('error', (error: Error) => {
    // A reconnect loop emits the same error many times; log each distinct one once.
    if (error.message !== lastError) log.warn('redis client error', { error: error.message })
    lastError = error.message
  })
  client.on('ready', () => {
    lastError = ''
  })
  await client.connect()
  return client
}

/** Closes a client, waiting for pending replies; falls back to `destroy()` when the server is gone. */
export async function closeRedis(client: Redis): Promise<void> {
  if (!client.isOpen) return
  try {
    await Promise.race([client.close(), Bun.sleep(2000).then(() => Promise.reject(new Error('close timed out')))])
  } catch {
    client.destroy()
  }
}
