import { html } from '@elysiajs/html'
import { Elysia } from 'elysia'
import { authRoutes } from './auth.routes.ts'
import { bodyLimit, SERVER_BODY_CAP } from './body-limit.ts'
import { compression } from './compression.ts'
import { dashboardRoutes } from './dashboard.routes.ts'
import { decisionsRoutes } from './decisions.routes.ts'
import type { AppDeps } from './deps.ts'
import { errorHandling } from './error-handler.ts'
import { eventsRoutes } from './events.routes.ts'
import { findingsRoutes } from './findings.routes.ts'
import { healthRoutes } from './health.routes.ts'
import { liveRoutes } from './live.routes.tsx'
import { httpMetrics } from './app-metrics.ts'
import { metricsRoutes } from './metrics.routes.ts'
import { apiDocs } from './openapi.ts'
import { originCheck } from './origin-check.ts'
import {
  assetRoutes,
  authPages,
  dashboardPages,
  decisionsPages,
  findingsPages,
  diffPages,
  notFoundPages,
  replayPages,
  sessionListPages,
  sessionsPages,
  settingsPages,
  teamSettingsPages,
  teamsPages,
  reviewPages,
} from './pages/index.ts'
import { reviewRoutes } from './review.routes.ts'
import { securityHeaders } from './security-headers.ts'
import { budgetRoutes } from './budget.routes.ts'
import { budgetPages } from './pages/budget.pages.tsx'
import { sessionsRoutes } from './sessions.routes.ts'
import { forkRoutes } from './fork.routes.ts'
import { tasksRoutes } from './tasks.routes.ts'
import { teamsRoutes } from './teams.routes.ts'
import { tokensRoutes } from './tokens.routes.ts'

/** The whole web app: pages, fragments, JSON API, streams. */
export function createApp(deps: AppDeps) {
  return new Elysia({ serve: { maxRequestBodySize: SERVER_BODY_CAP } })
    .use(html())
    .use(compression())
    .use(errorHandling(deps.log))
    // Request hooks run in this order, before routing, for every route registered anywhere.
    .use(securityHeaders({ hsts: deps.config.APP_ORIGIN?.startsWith('https:') ?? false }))
    .use(bodyLimit(deps.config.BODY_LIMIT_BYTES))
    .use(originCheck(deps.config.APP_ORIGIN))
    .use(apiDocs(deps))
    .use(healthRoutes({ db: deps.db, redis: deps.redis, nodeId: deps.config.NODE_ID }))
    .use(httpMetrics(deps.metrics))
    .use(metricsRoutes(deps))
    .use(apiRoutes(deps))
    // The HTML pages, their live streams and their assets (htmx, CSS).
    .use(pageRoutes(deps))
    // Last: any other GET is a 404 page (a 404 in the JSON shape under /api).
    .use(notFoundPages(deps))
}

/** The JSON API's routes (in their own instance: one long chain of plugins is more than TypeScript's instantiation depth allows). */
function apiRoutes(deps: AppDeps) {
  return new Elysia({ name: 'api-routes' })
    .use(authRoutes(deps))
    .use(tokensRoutes(deps))
    .use(teamsRoutes(deps))
    .use(budgetRoutes(deps))
    .use(sessionsRoutes(deps))
    .use(forkRoutes(deps))
    .use(eventsRoutes(deps))
    .use(decisionsRoutes(deps))
    .use(tasksRoutes(deps))
    .use(findingsRoutes(deps))
    .use(reviewRoutes(deps))
    .use(dashboardRoutes(deps))
}

/** The HTML pages, their fragments, live streams and static assets. */
function pageRoutes(deps: AppDeps) {
  return new Elysia({ name: 'page-routes' })
    .use(assetRoutes())
    .use(authPages(deps))
    .use(teamsPages(deps))
    .use(teamSettingsPages(deps))
    .use(sessionListPages(deps))
    .use(sessionsPages(deps))
    .use(reviewPages(deps))
    .use(diffPages(deps))
    .use(budgetPages(deps))
    .use(replayPages(deps))
    .use(decisionsPages(deps))
    .use(findingsPages(deps))
    .use(dashboardPages(deps))
    .use(settingsPages(deps))
    .use(liveRoutes(deps))
}

/** The operations endpoints alone, served by a process in the `node` role. */
export function createOpsApp(deps: AppDeps) {
  return new Elysia()
    .use(errorHandling(deps.log))
    .use(securityHeaders({ hsts: deps.config.APP_ORIGIN?.startsWith('https:') ?? false }))
    .use(healthRoutes({ db: deps.db, redis: deps.redis, nodeId: deps.config.NODE_ID }))
    .use(httpMetrics(deps.metrics))
    .use(metricsRoutes(deps))
}

export type App = ReturnType<typeof createApp>
