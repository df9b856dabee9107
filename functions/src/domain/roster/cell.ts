/** A roster cell as both readers hand it over, and its text. */

/** A cell as read: text (CSV, text cells), a number (numeric XLSX cells), or nothing. */
export type Cell = string | number | null;

export const textOf = (cell: Cell | undefined): string =>
  cell === null || cell === undefined ? '' : String(cell).trim();
