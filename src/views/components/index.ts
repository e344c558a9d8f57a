export { Button, LinkButton } from './button.view.tsx'
export type { ButtonProps, ButtonVariant, LinkButtonProps } from './button.view.tsx'
export { TextField, TextArea, SelectField, ChoiceGroup, CheckboxField, CsrfField } from './field.view.tsx'
export type {
  TextFieldProps,
  TextAreaProps,
  SelectFieldProps,
  ChoiceGroupProps,
  ChoiceOption,
  CheckboxFieldProps,
} from './field.view.tsx'
export { CONFIRMED_FIELD, ConfirmForm } from './confirm-form.view.tsx'
export type { ConfirmFormProps } from './confirm-form.view.tsx'
export { formValue, formValues } from './form-values.ts'
export { Alert, ErrorSummary } from './alert.view.tsx'
export type { ErrorSummaryProps } from './alert.view.tsx'
export { EmptyState } from './empty-state.view.tsx'
export type { EmptyStateProps } from './empty-state.view.tsx'
export { StatusBadge, RoleBadge, ConfidenceBadge } from './status-badge.view.tsx'
export { Spinner } from './spinner.view.tsx'
export type { SpinnerProps } from './spinner.view.tsx'
export { JsonTree } from './json-tree.view.tsx'
export type { JsonTreeProps } from './json-tree.view.tsx'
export { PageHeader } from './page-header.view.tsx'
export type { PageHeaderProps } from './page-header.view.tsx'
export { Stat } from './stat.view.tsx'
export type { StatProps } from './stat.view.tsx'
export { TimeText } from './time-text.view.tsx'
export { SIMULATED_BANNER_TEXT, SimulatedBanner, type SimulatedBannerProps, isSimulatedModel } from './simulated-banner.view.tsx'
export { TokenCostCells, TokenCostHeads } from './token-cost-cells.view.tsx'
export type { TokenCostCellsProps } from './token-cost-cells.view.tsx'
