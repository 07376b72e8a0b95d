import type { ColumnDataType, ColumnDefinitionBuilder } from 'kysely';
import type { Dialect } from '../database.js';

/**
 * Column types that differ between the dialects, so each migration is written once. Flags are
 * integers (0/1) on both: better-sqlite3 cannot bind booleans.
 */
export function columnTypes(dialect: Dialect) {
  return {
    id: (dialect === 'postgres' ? 'bigserial' : 'integer') as ColumnDataType,
    ref: (dialect === 'postgres' ? 'bigint' : 'integer') as ColumnDataType,
    real: (dialect === 'postgres' ? 'double precision' : 'real') as ColumnDataType,
    bytes: (dialect === 'postgres' ? 'bytea' : 'blob') as ColumnDataType,
    primaryId: (c: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()),
  };
}
