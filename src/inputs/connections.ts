/**
 * The PostgreSQL connections the drill reads, parsed once: production-url (production, or its reader), and
 * for local-pitr source-url (the local server, ssl-mode disable). Also the database the drill validates.
 */
import { SSL_MODES, type ProviderName, type SslMode } from '../model/types.js';
import type { PostgresUrl, ProductionConnection } from './plan-types.js';
import { defined, type InputReader } from './raw-inputs.js';
import { pattern, postgresUrl } from './values.js';

const DATABASE = /^[A-Za-z_][A-Za-z0-9_$-]{0,62}$/;

export interface PlannedConnections {
  productionUrl?: PostgresUrl;
  /** source-url as the local-pitr provider connects to it (ssl-mode disable). */
  sourceUrl?: PostgresUrl;
  /** Where production is read: production-url, else (local-pitr) source-url. */
  production?: ProductionConnection;
  /** The database input. */
  database?: string;
  /** The database input, else production-url's. */
  databaseName?: string;
}

export function planConnections(
  inputs: InputReader,
  context: { provider: ProviderName; sslMode: SslMode; caBundle?: string[] },
): PlannedConnections {
  const database = inputs.parse('database', (v) =>
    pattern(
      'database',
      v,
      DATABASE,
      'accepts a PostgreSQL database name (a letter or _, then letters, digits, _ $ -; at most 63)',
    ),
  );
  const productionUrl = inputs.parse('production-url', (v) =>
    postgresUrl('production-url', v, SSL_MODES, context.sslMode),
  );
  // The local server a local-pitr drill backs up: read as production with the URL's own sslmode, else
  // plain text; the provider itself always connects to it without TLS.
  const asProduction = inputs.parse('source-url', (v) => postgresUrl('source-url', v, SSL_MODES, 'disable'));
  const sourceUrl = asProduction && {
    ...asProduction,
    settings: { ...asProduction.settings, sslMode: 'disable' as const },
  };
  const withCa = context.caBundle ? { ca: context.caBundle } : {};
  const production: ProductionConnection | undefined = productionUrl
    ? { ...productionUrl, settings: { ...productionUrl.settings, ...withCa }, input: 'production-url' }
    : asProduction && context.provider === 'local-pitr'
      ? { ...asProduction, input: 'source-url' }
      : undefined;
  return defined<PlannedConnections>({
    productionUrl,
    sourceUrl,
    production,
    database,
    databaseName: database ?? productionUrl?.database,
  });
}
