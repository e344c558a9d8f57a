/** Something the closed loop can run: one run (a session, a workflow, a thread) per call. */
export interface Driver {
  /** Starts run `i` and resolves with its wall time (ms) once it has ended. */
  run(i: number): Promise<number>
}

/**
 * The closed loop every whole-run benchmark shares: runs `total` runs keeping `inFlight`
 * going (each lane starts the next run as its last one ends); returns the wall times (in
 * the order the runs started) and the elapsed seconds. With `rampMs`, the first `inFlight`
 * runs start spread evenly over that time instead of all at once.
 */
export async function drive(driver: Driver, total: number, inFlight: number, rampMs = 0): Promise<{ times: number[]; seconds: number }> {
  const times: number[] = []
  let next = 0
  const t0 = performance.now()
  const lanes = Math.min(inFlight, total)
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      if (rampMs > 0) await Bun.sleep((lane * rampMs) / lanes)
      while (next < total) {
        const i = next++
        times[i] = await driver.run(i)
      }
    }),
  )
  return { times, seconds: (performance.now() - t0) / 1000 }
}
