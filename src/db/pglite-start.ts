import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { PGlite as KyselyPGlite } from 'kysely'
import { acquireDirLock, type DirLock } from './dir-lock.ts'
import { openPgliteThread, type PgliteOpened } from './pglite-thread.ts'

/** PGlite opening in its Worker: the data directory's lock is held from the start. */
export interface PgliteStarting {
  /** The `SAGE_DATA_DIR` it was started for (undefined: in memory). */
  readonly dataDir: string | undefined
  readonly opening: Promise<{ pglite: KyselyPGlite; opened: PgliteOpened; lock: DirLock | null }>
}

/**
 * Starts opening the embedded database in its Worker at once: locks `<dataDir>/pglite.lock`,
 * then the Worker copies the template into a missing `<dataDir>/pglite` and opens it. It
 * imports little, so main.ts calls it before loading the rest of the app, which then loads
 * while the Worker works; `connectDatabase({ pgliteStarting })` takes it over. Never throws:
 * a failure (the directory in use by another process) rejects `opening`, releasing the lock.
 */
export function startPgliteThread(dataDir: string | undefined, templateDir: string | null): PgliteStarting {
  let lock: DirLock | null = null
  const open = async (): Promise<{ pglite: KyselyPGlite; opened: PgliteOpened; lock: DirLock | null }> => {
    try {
      let dir: string | undefined
      if (dataDir) {
        mkdirSync(dataDir, { recursive: true })
        // PGlite supports one process per data directory; a second one would corrupt it.
        lock = acquireDirLock(join(dataDir, 'pglite.lock'))
        dir = join(dataDir, 'pglite')
      }
      return { ...(await openPgliteThread(dir, templateDir)), lock }
    } catch (error) {
      ;(lock as DirLock | null)?.release()
      throw error
    }
  }
  const opening = open()
  // Awaited by connectDatabase; until then a failure is not an unhandled rejection.
  opening.catch(() => undefined)
  return { dataDir, opening }
}
