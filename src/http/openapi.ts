import { toOpenAPISchema } from '@elysiajs/openapi'
import { Elysia } from 'elysia'
import { z } from 'zod'
import packageJson from '../../package.json'
import { ApiReferencePage, apiReferenceModel } from '../views/index.ts'
import type { AppDeps } from './deps.ts'
import { apiDocument, type OpenApiDocument } from './openapi-document.ts'
import { publicPage } from './pages/index.ts'
import { htmlResponse } from './pages/page-response.ts'

/** Which routes the document describes: the JSON API under `/api/`, not pages, streams of HTML or operations endpoints. */
const EXCLUDE = { paths: [/^(?!\/api\/)/] }
const VENDORS = { zod: (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) }

/** Whether the client asks for HTML (a browser): an explicit `text/html` in `Accept`, unless `?format=json`. */
export function wantsHtml(request: Request): boolean {
  if (new URL(request.url).searchParams.get('format') === 'json') return false
  const accept = request.headers.get('accept') ?? ''
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(accept)
}

/**
 * `GET /api/docs`: the OpenAPI 3.1 document of the JSON API, generated from the routes' zod
 * schemas and their `documented()` details. Clients get JSON; a browser (`Accept: text/html`)
 * gets a reference page rendered here from the same document, with no script and no CDN.
 * The document is built once, on the first request.
 */
export function apiDocs(deps: AppDeps) {
  const plugin = new Elysia({ name: 'api-docs' })
  let cached: OpenApiDocument | null = null
  // Built once, on the first request: by then every route of the app is registered.
  function document(): OpenApiDocument {
    cached ??= apiDocument(toOpenAPISchema(plugin, EXCLUDE, undefined, VENDORS, '3.1.2') as { paths: OpenApiDocument }, {
      origin: deps.config.APP_ORIGIN,
      version: packageJson.version,
    })
    return cached
  }
  const page = publicPage(deps, async ({ ctx }) => htmlResponse(ApiReferencePage({ ctx, model: apiReferenceModel(document()) })))
  return plugin.get(
    '/api/docs',
    async (c) => {
      if (!wantsHtml(c.request)) {
        c.set.headers.vary = 'Accept'
        return document()
      }
      const response = await page(c)
      response.headers.set('vary', 'Accept')
      return response
    },
    { detail: { hide: true } },
  )
}
