/** Tables of the auth area; added by its migrations. */
export interface AuthTables {}
