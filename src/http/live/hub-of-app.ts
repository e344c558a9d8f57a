import type { AppDeps } from '../deps.ts'
import { createLiveHub, type LiveHub } from './live-hub.ts'

/** One hub per app: keyed by its feed, which the app's deps hold for its whole life. */
const hubs = new WeakMap<AppDeps['feed'], LiveHub>()

/**
 * The one live hub of an app (its HTML, JSON and WebSocket streams share it), made on first use
 * and closed when the app shuts down (`deps.shutdown`).
 */
export function liveHubFor(deps: Pick<AppDeps, 'db' | 'feed' | 'log' | 'shutdown'>): LiveHub {
  const known = hubs.get(deps.feed)
  if (known) return known
  const hub = createLiveHub({ db: deps.db, feed: deps.feed, log: deps.log })
  hubs.set(deps.feed, hub)
  deps.shutdown.addEventListener('abort', () => void hub.close(), { once: true })
  return hub
}
