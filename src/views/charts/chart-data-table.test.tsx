import { describe, expect, it } from 'bun:test'
import { ChartDataTable } from './chart-data-table.view.tsx'

describe('ChartDataTable', () => {
  it('renders the caption, the column headers and one row per item, escaping every text, inside a visually hidden wrapper', async () => {
    const html = await (<ChartDataTable caption="Tasks <b>" headers={['Role', 'Done & failed']} rows={[{ label: '<script>', cells: ['3', '1 < 2'] }]} />)
    expect(html).toBe(
      '<div class="sr-only"><table><caption>Tasks &lt;b&gt;</caption><thead><tr><th scope="col">Role</th><th scope="col">Done &amp; failed</th></tr></thead>' +
        '<tbody><tr><th scope="row">&lt;script&gt;</th><td>3</td><td>1 &lt; 2</td></tr></tbody></table></div>',
    )
  })
})
