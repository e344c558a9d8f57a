import { join, normalize } from 'node:path'
import { Elysia } from 'elysia'
import { chooseEncoding } from '../compression.ts'
import { NotFoundError } from '../errors.ts'

/** The folder `bun run build` writes CSS and the vendored htmx into. */
export const PUBLIC_DIR = join(import.meta.dir, '../../../public')

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
}

const SUFFIX = { br: '.br', gzip: '.gz' } as const

/**
 * `GET /public/*`: the built assets (app.css, htmx and its extensions, the favicon), cached for a
 * day; the `.br` or `.gz` copy `bun run build` made when the client accepts it. Only known
 * file types inside `public/`; anything else is 404.
 */
export function assetRoutes(dir: string = PUBLIC_DIR) {
  return new Elysia({ name: 'assets' }).get('/public/*', async ({ params, set, request }) => {
    const rel = normalize(String(params['*'] ?? '')).replace(/^(\.\.(\/|$))+/, '')
    const type = TYPES[rel.slice(rel.lastIndexOf('.'))]
    const path = join(dir, rel)
    if (!type || !path.startsWith(`${dir}/`) || rel.split('/').some((p) => p.startsWith('.'))) throw new NotFoundError()
    const file = Bun.file(path)
    if (!(await file.exists())) throw new NotFoundError()
    set.headers['content-type'] = type
    set.headers['cache-control'] = 'public, max-age=86400'
    set.headers.vary = 'Accept-Encoding'
    const coding = chooseEncoding(request.headers.get('accept-encoding'))
    const encoded = coding ? Bun.file(path + SUFFIX[coding]) : null
    if (coding && encoded && (await encoded.exists())) {
      set.headers['content-encoding'] = coding
      return encoded
    }
    return file
  })
}
