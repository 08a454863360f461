/** One side's catalog as the comparison reads it (production or the copy): schema objects, roles, privileges. */
import type pg from 'pg';
import { readRoles, readSchemaObjects, readTablePrivileges, type SchemaKind } from '../db/catalog.js';

export interface CatalogSide {
  objects: Record<SchemaKind, Map<string, string>>;
  roles: Map<string, string>;
  privileges: Set<string>;
}

/** Reads the three one after the other on one connection (inside its transaction, if it is in one). */
export async function readCatalogSide(client: pg.Client): Promise<CatalogSide> {
  const objects = await readSchemaObjects(client);
  const roles = await readRoles(client);
  const privileges = await readTablePrivileges(client);
  return { objects, roles, privileges };
}
