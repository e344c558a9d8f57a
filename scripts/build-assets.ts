/**
 * Copies htmx and its extensions into public/vendor, compiles Tailwind into public/app.css,
 * and writes a `.br` and a `.gz` beside each text asset (served when the browser accepts them).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { compressBytes } from '../src/http/compression.ts'

const root = join(import.meta.dir, '..')
const htmx = join(root, 'node_modules/htmx.org/dist')
const vendor = join(root, 'public/vendor')
mkdirSync(join(vendor, 'ext'), { recursive: true })
for (const file of ['htmx.min.js', 'ext/hx-sse.js', 'ext/hx-ws.js']) cpSync(join(htmx, file), join(vendor, file))

const css = join(root, 'src/styles/app.css')
if (existsSync(css)) {
  const proc = Bun.spawnSync(['bun', 'x', 'tailwindcss', '-i', css, '-o', join(root, 'public/app.css'), '--minify'], {
    cwd: root,
    stdout: 'ignore',
    stderr: 'pipe',
  })
  if (proc.exitCode !== 0) {
    console.error(proc.stderr.toString())
    process.exit(1)
  }
}

// Pre-compressed once here at the best settings, so serving them costs nothing.
const publicDir = join(root, 'public')
const TEXT = /\.(css|js|svg)$/
for (const entry of readdirSync(publicDir, { recursive: true, encoding: 'utf8' })) {
  if (!TEXT.test(entry)) continue
  const path = join(publicDir, entry)
  const body = readFileSync(path)
  writeFileSync(`${path}.br`, compressBytes(body, 'br', 'best'))
  writeFileSync(`${path}.gz`, compressBytes(body, 'gzip', 'best'))
}

// A migrated PGlite data directory, copied into a fresh ./data on first start (src/db/pglite-template.ts).
// Skipped when the one there still matches the migrations and PGlite's version.
const { buildPgliteTemplate } = await import('../src/db/pglite-template.ts')
const template = await buildPgliteTemplate()
if (template === 'built') console.log('built the pglite template (data-template/)')
