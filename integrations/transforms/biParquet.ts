/**
 * The nightly BI extract's files as Apache Parquet (docs/bi-extract.md): the same files, columns
 * and values as the CSV, each column typed so that a BI tool reads it without guessing: dates as
 * DATE, money as DECIMAL(18,2) from the cents (exact, never through a float), counters as INT64,
 * the event time as a UTC TIMESTAMP in milliseconds. Rows are added a page at a time and written in
 * row groups of up to 100,000 rows; `finish` returns the file's bytes.
 */
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { biColumns, type BiFileName } from '../../domain/bi';

type Cell = string | number | boolean | null;
type ColumnType = 'string' | 'int32' | 'int64' | 'date' | 'decimal' | 'boolean' | 'timestamp';

/** Each column's type; a column not named here is text. Money columns take the `<name>_cents` cell. */
const columnTypes: Readonly<Record<string, ColumnType>> = {
  birth_year: 'int32',
  fee_year: 'int32',
  created_on: 'date',
  start_date: 'date',
  end_date: 'date',
  period_start: 'date',
  period_end: 'date',
  issued_on: 'date',
  due_date: 'date',
  occurred_on: 'date',
  deceased: 'boolean',
  amount: 'decimal',
  open: 'decimal',
  invoice_number: 'int64',
  ledger_id: 'int64',
  position: 'int64',
  member_seq: 'int64',
  occurred_at: 'timestamp',
};

const typeOf = (column: string): ColumnType => columnTypes[column] ?? 'string';

function schemaElement(name: string, type: ColumnType): SchemaElement {
  const optional = { name, repetition_type: 'OPTIONAL' } as const;
  switch (type) {
    case 'string':
      return { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8' };
    case 'int32':
      return { ...optional, type: 'INT32' };
    case 'int64':
      return { ...optional, type: 'INT64' };
    case 'date':
      return { ...optional, type: 'INT32', converted_type: 'DATE' };
    case 'decimal':
      return { ...optional, type: 'INT64', converted_type: 'DECIMAL', scale: 2, precision: 18 };
    case 'boolean':
      return { ...optional, type: 'BOOLEAN' };
    case 'timestamp':
      return { ...optional, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
  }
}

/** A cell as the column's type holds it; null stays null. A decimal is the cents as a bigint (the unscaled value). */
function value(type: ColumnType, v: Cell | undefined): unknown {
  if (v === null || v === undefined || v === '') return null;
  switch (type) {
    case 'string':
      return String(v);
    case 'int32':
      return Number(v);
    case 'int64':
    case 'decimal':
      return BigInt(String(v));
    case 'date':
      return new Date(`${String(v).slice(0, 10)}T00:00:00Z`);
    case 'boolean':
      return v === true || v === 'true' || v === 't';
    case 'timestamp':
      return new Date(String(v));
  }
}

/** One BI file being built as Parquet: `add` each page of rows, then `finish`. */
export class BiParquetFile {
  private readonly columns: readonly string[];
  private readonly types: readonly ColumnType[];
  private readonly out = new ByteWriter();
  private readonly writer: ParquetWriter;
  private pending: unknown[][];
  private pendingRows = 0;
  private readonly rowGroup: number;

  /** `rowGroupSize`: rows per row group (100,000 unless a test asks for fewer). */
  constructor(file: BiFileName, opts: { rowGroupSize?: number } = {}) {
    this.rowGroup = opts.rowGroupSize ?? 100_000;
    this.columns = biColumns[file];
    this.types = this.columns.map(typeOf);
    const schema: SchemaElement[] = [{ name: 'root', num_children: this.columns.length }, ...this.columns.map((c, i) => schemaElement(c, this.types[i]!))];
    this.writer = new ParquetWriter({ writer: this.out, schema, createdBy: 'jasenrekisteri bi-extract' });
    this.pending = this.columns.map(() => []);
  }

  /** One row: its cells by column (money as `<column>_cents`) and the member's pseudonym. */
  add(cells: Readonly<Record<string, Cell>>, pseudonym: string | null): void {
    this.columns.forEach((column, i) => {
      const type = this.types[i]!;
      const cell = column === 'person_pseudonym' ? pseudonym : type === 'decimal' ? cells[`${column}_cents`] : cells[column];
      this.pending[i]!.push(value(type, cell));
    });
    if (++this.pendingRows >= this.rowGroup) this.flush();
  }

  private flush(): void {
    if (this.pendingRows === 0) return;
    void this.writer.write({ columnData: this.columns.map((name, i) => ({ name, data: this.pending[i]! })), rowGroupSize: this.rowGroup });
    this.pending = this.columns.map(() => []);
    this.pendingRows = 0;
  }

  /** The whole file (an empty file is valid Parquet with the schema and no row group). */
  finish(): Uint8Array {
    this.flush();
    void this.writer.finish();
    return this.out.getBytes();
  }
}
