export { linearScale, niceStep, niceTicks, timeTicks, px } from './scale.ts'
export { ganttLayout } from './gantt-geometry.ts'
export type { GanttInput, GanttLayout, GanttRow, GanttStage, GanttTask } from './gantt-geometry.ts'
export { stackedBarLayout, horizontalBarLayout } from './bar-geometry.ts'
export type {
  StackedBarInput,
  StackedBar,
  StackedBarLayout,
  StackedBarOptions,
  HorizontalBarInput,
  HorizontalBarLayout,
  HorizontalBarOptions,
} from './bar-geometry.ts'
export { ChartDataTable } from './chart-data-table.view.tsx'
export type { ChartDataRow, ChartDataTableProps } from './chart-data-table.view.tsx'
export { GanttChart } from './gantt-chart.view.tsx'
export type { GanttChartProps } from './gantt-chart.view.tsx'
export { StackedBarChart } from './stacked-bar-chart.view.tsx'
export type { StackedBarChartProps, ChartSeries } from './stacked-bar-chart.view.tsx'
export { HorizontalBarChart } from './horizontal-bar-chart.view.tsx'
export type { HorizontalBarChartProps, HorizontalBarItem } from './horizontal-bar-chart.view.tsx'
export {
  SessionsPerDayChart,
  RoleSuccessChart,
  RoleDurationChart,
  DecisionsByCategoryChart,
  ConfidenceChart,
} from './dashboard-charts.view.tsx'
export { CalibrationChart } from './calibration-chart.view.tsx'
export type { CalibrationView } from './calibration-chart.view.tsx'
export { CostPerDayChart, TeamCostTable } from './cost-per-day.view.tsx'
export type { CostPerDayChartProps } from './cost-per-day.view.tsx'
