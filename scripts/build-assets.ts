/** Copies htmx and its extensions into public/vendor and compiles Tailwind into public/app.css. */
import { cpSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

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
