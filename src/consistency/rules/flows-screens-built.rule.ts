import type { ConsistencyRule, NewFinding } from '../finding.ts'
import { sameScreen } from '../names.ts'
import { objectsAt, stringsAt, textAt } from '../output-fields.ts'

/**
 * Every screen the UI/UX designer's flows pass through is among the frontend's components
 * (`Invoice list` = `InvoiceList` = `InvoiceListPage`). One warning per missing screen, naming its flows.
 */
export const flowsScreensBuiltRule: ConsistencyRule = {
  id: 'flows_screens_built',
  title: "UI/UX flows' screens are built",
  applies: (present) => present.has('ui_ux_designer') && present.has('frontend_developer'),
  check(outputs) {
    const components = (objectsAt(outputs.frontend_developer, 'components') ?? []).map((c) => textAt(c, 'name')).filter(Boolean)
    const flowsOf = new Map<string, string[]>()
    for (const flow of objectsAt(outputs.ui_ux_designer, 'user_flows') ?? []) {
      for (const screen of stringsAt(flow, 'screens') ?? []) {
        const name = screen.trim()
        if (name) flowsOf.set(name, [...(flowsOf.get(name) ?? []), textAt(flow, 'name') || 'a flow'])
      }
    }
    const findings: NewFinding[] = []
    for (const [screen, flows] of flowsOf) {
      if (components.some((c) => sameScreen(screen, c))) continue
      findings.push({
        rule: 'flows_screens_built',
        severity: 'warning',
        roles: ['frontend_developer', 'ui_ux_designer'],
        message: `The screen ${screen} of the flow${flows.length > 1 ? 's' : ''} ${flows.map((f) => `"${f}"`).join(', ')} is not among the frontend's components.`,
      })
    }
    return findings
  },
}
