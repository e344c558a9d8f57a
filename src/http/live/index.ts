/**
 * Live streams of a web process: one view state per watched session, folded from its events
 * (view-state.ts), and the hub that renders and encodes each event once per kind of viewer and
 * writes the same bytes to every client of that kind over SSE or WebSocket (live-hub.ts).
 */
export { liveHubFor } from './hub-of-app.ts'
export { createLiveHub, type LiveFormat, type LiveHub, type LiveHubDeps } from './live-hub.ts'
export { foldEvents, type LiveViewState, loadViewState } from './view-state.ts'
