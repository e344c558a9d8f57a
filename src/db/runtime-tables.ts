/** Tables of the runtime area; added by its migrations. */
export interface RuntimeTables {}
