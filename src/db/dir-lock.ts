import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'

/** A held lock file; `release()` removes it. */
export interface DirLock {
  release(): void
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes an exclusive lock file holding this process's pid. A lock left by a process
 * that is gone is taken over; one held by a live process throws a clear error.
 */
export function acquireDirLock(path: string): DirLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, String(process.pid))
      closeSync(fd)
      return { release: () => rmSync(path, { force: true }) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number.parseInt(readFileSync(path, 'utf8'), 10)
      if (Number.isInteger(holder) && holder !== process.pid && alive(holder)) {
        throw new Error(
          `Another Sage Mode process (pid ${holder}) is using this data directory; PGlite allows one process per directory. Stop it, or set DATABASE_URL to share PostgreSQL.`,
        )
      }
      rmSync(path, { force: true })
    }
  }
  throw new Error(`Could not lock ${path}`)
}
