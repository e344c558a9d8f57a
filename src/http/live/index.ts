import type { AppDeps } from '../deps.ts'
import { createLiveHub, type LiveHub } from './live-hub.ts'

export { createLiveHub, type LiveFormat, type LiveHub, type LiveHubDeps } from './live-hub.ts'
export { foldEvents, type LiveViewState, loadViewState } from './view-state.ts'

const hubs = new WeakMap<AppDeps['feed'], LiveHub>()

/** The one live hub of an app's feed (the HTML, JSON and WebSocket streams share it); closed at shutdown. */
export function liveHubFor(deps: Pick<AppDeps, 'db' | 'feed' | 'log' | 'shutdown'>): LiveHub {
  let hub = hubs.get(deps.feed)
  if (!hub) {
    const created = createLiveHub({ db: deps.db, feed: deps.feed, log: deps.log })
    hub = created
    hubs.set(deps.feed, created)
    deps.shutdown.addEventListener('abort', () => void created.close(), { once: true })
  }
  return hub
}
