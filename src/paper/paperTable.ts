/** A table a paper study returns: its caption and its rows, ready for `showTable(rows, { caption })`. */
export interface PaperTable {
  readonly caption: string;
  readonly rows: ReadonlyArray<Readonly<Record<string, unknown>>>;
}
