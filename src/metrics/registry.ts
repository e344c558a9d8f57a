/** Label values of one time series. */
export type Labels = Record<string, string | number>

/** A monotonically increasing count. */
export interface Counter {
  inc(labels?: Labels, by?: number): void
  /** The current value of one series (tests, `sage nodes`). */
  get(labels?: Labels): number
}

/** One sample of a gauge, computed when scraped. */
export interface Sample {
  labels: Labels
  value: number
}

/** Counters kept in memory and gauges computed at scrape time, rendered as Prometheus text. */
export interface MetricsRegistry {
  counter(name: string, help: string): Counter
  /** A gauge whose samples `collect` computes on each scrape; a failing collector is skipped. */
  gauge(name: string, help: string, collect: () => Sample[] | Promise<Sample[]>): void
  /** The Prometheus text exposition format (version 0.0.4). Never throws. */
  render(): Promise<string>
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort()
  if (keys.length === 0) return ''
  return `{${keys.map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`).join(',')}}`
}

/**
 * Creates a registry. One per process component that owns it (the actor node); pass
 * it to whoever renders `/metrics`.
 * @example
 * const metrics = createMetricsRegistry()
 * const handled = metrics.counter('sage_messages_handled_total', 'Messages handled')
 * handled.inc({ partition: 3 })
 */
export function createMetricsRegistry(): MetricsRegistry {
  const counters = new Map<string, { help: string; series: Map<string, number> }>()
  const gauges = new Map<string, { help: string; collect: () => Sample[] | Promise<Sample[]> }>()
  const check = (name: string): void => {
    if (!NAME.test(name)) throw new Error(`Invalid metric name: ${name}`)
  }
  return {
    counter(name, help) {
      check(name)
      let c = counters.get(name)
      if (!c) {
        c = { help, series: new Map() }
        counters.set(name, c)
      }
      const series = c.series
      return {
        inc(labels = {}, by = 1) {
          const k = labelKey(labels)
          series.set(k, (series.get(k) ?? 0) + by)
        },
        get(labels = {}) {
          return series.get(labelKey(labels)) ?? 0
        },
      }
    },
    gauge(name, help, collect) {
      check(name)
      gauges.set(name, { help, collect })
    },
    async render() {
      const lines: string[] = []
      for (const [name, c] of counters) {
        lines.push(`# HELP ${name} ${c.help}`, `# TYPE ${name} counter`)
        for (const [k, v] of c.series) lines.push(`${name}${k} ${v}`)
      }
      for (const [name, g] of gauges) {
        let samples: Sample[]
        try {
          samples = await g.collect()
        } catch {
          continue
        }
        lines.push(`# HELP ${name} ${g.help}`, `# TYPE ${name} gauge`)
        for (const s of samples) lines.push(`${name}${labelKey(s.labels)} ${s.value}`)
      }
      return `${lines.join('\n')}\n`
    },
  }
}
