import { formatCount, formatUsd } from '../format.ts'

/** Props of {@link TokenCostCells}. */
export interface TokenCostCellsProps {
  input_tokens: number
  output_tokens: number
  /** Null shows as an em dash (not priced). */
  cost_usd: number | null
}

/** The "Tokens in", "Tokens out" and "Cost" column heads of a per-role table, numeric-aligned. */
export function TokenCostHeads(): JSX.Element {
  return (
    <>
      <th scope="col" class="num">
        Tokens in
      </th>
      <th scope="col" class="num">
        Tokens out
      </th>
      <th scope="col" class="num">
        Cost
      </th>
    </>
  )
}

/** The three cells under {@link TokenCostHeads}, each labelled for the narrow (stacked) layout. */
export function TokenCostCells(props: TokenCostCellsProps): JSX.Element {
  return (
    <>
      <td data-label="Tokens in" class="num" safe>
        {formatCount(props.input_tokens)}
      </td>
      <td data-label="Tokens out" class="num" safe>
        {formatCount(props.output_tokens)}
      </td>
      <td data-label="Cost" class="num" safe>
        {formatUsd(props.cost_usd)}
      </td>
    </>
  )
}
