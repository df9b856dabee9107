/** Shapes more than one area's callables answer with. Types only: the web build compiles this. */

/** An export as the callables answer it: `{name}.{format}`, its content type and base64 bytes. */
export interface ExportedFile {
  filename: string;
  contentType: string;
  dataBase64: string;
}

/** A one-table report (rates, home-visit progress): the file and how many data rows it holds. */
export interface ExportedTable extends ExportedFile {
  rows: number;
}
