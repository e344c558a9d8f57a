/** Tables of the event area; added by its migrations. */
export interface EventTables {}
