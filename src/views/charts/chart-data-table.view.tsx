/** One row of a {@link ChartDataTable}: its header cell and its data cells, as text. */
export interface ChartDataRow {
  label: string
  cells: string[]
}

/** Props of {@link ChartDataTable}. */
export interface ChartDataTableProps {
  caption: string
  /** Column headers, the row-label column's first. */
  headers: string[]
  rows: ChartDataRow[]
}

/**
 * A chart's numbers as a table for screen readers, visually hidden. Every chart has one; each
 * passes its columns as text. All text is escaped.
 */
export function ChartDataTable(props: ChartDataTableProps): JSX.Element {
  return (
    // sr-only on a wrapper: a table cannot shrink to 1px and would widen the page.
    <div class="sr-only">
      <table>
        <caption safe>{props.caption}</caption>
        <thead>
          <tr>
            {props.headers.map((h) => (
              <th scope="col" safe>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>
              <th scope="row" safe>
                {r.label}
              </th>
              {r.cells.map((c) => (
                <td safe>{c}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
