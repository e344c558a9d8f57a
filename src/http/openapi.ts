import { openapi } from '@elysiajs/openapi'
import { z } from 'zod'

/**
 * The OpenAPI 3.1 document of the JSON API, as JSON at `GET /api/docs`, generated
 * from the same zod schemas the routes validate with. No UI page: the bundled UIs load
 * from a CDN, which the CSP and the offline rule forbid.
 */
export function apiDocs() {
  return openapi({
    provider: null,
    specPath: '/api/docs',
    documentation: {
      info: {
        title: 'Sage Mode API',
        version: '0.1.0',
        description:
          'Authenticate with the `sage_session` cookie from signup or login. State-changing requests also send the login’s CSRF token in `X-CSRF-Token`. Unknown body fields and query parameters are rejected with 422.',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'sage_session' },
          csrf: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token' },
        },
      },
    },
    // Pages, fragments and operations endpoints are not part of the JSON API.
    exclude: { paths: [/^(?!\/api\/)/] },
    mapJsonSchema: { zod: (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) },
  })
}
