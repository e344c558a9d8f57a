export { liveHubFor } from './hub-of-app.ts'
export { createLiveHub, type LiveFormat, type LiveHub, type LiveHubDeps } from './live-hub.ts'
export { foldEvents, type LiveViewState, loadViewState } from './view-state.ts'
