/**
 * What an e2e test of the built action stands on when it sets the copy up itself: moto_server and a real
 * PostgreSQL with an `app` database standing in for the restored copy, serving TLS when asked with a
 * certificate made here (self-signed, or issued for the copy's endpoint name by a throwaway CA). The action
 * reaches moto directly, or, given the copy's endpoint name, through the fault proxy, which rewrites the
 * random endpoint moto reports to that name (the name TLS checks). Moto behind the fault proxy for every
 * test, its rules reset before each: drill-servers.ts.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { LocalServer } from '../../src/db/local-server.js';
import { createSourceCluster, motoClient } from './aurora-fixture.js';
import { appServer } from './drill-servers.js';
import { startFaultProxy, type FaultProxy } from './fault-proxy.js';
import { startMoto, type Moto } from './moto.js';
import { tempDir } from './temp-dir.js';

/** Where a server reads its TLS certificate and private key. */
export interface CertificateFiles {
  cert: string;
  key: string;
}

/** A throwaway certificate authority: `cert` is what the ca-bundle input names. */
export interface TestCa {
  /** Its temp dir (removed when the test file ends), which also holds the requests it signs. */
  dir: string;
  cert: string;
  key: string;
}

/** Runs openssl with the fixed words of `command` (split on spaces) and then `args` as they are. */
const openssl = (command: string, ...args: string[]): void => {
  execFileSync('openssl', [...command.split(' '), ...args], { stdio: 'ignore' });
};

/** PostgreSQL takes a key only when it is private to the user it runs as (postgres, when this is root). */
function keepForPostgres({ cert, key }: CertificateFiles): void {
  chmodSync(key, 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(key, uid, gid);
    chownSync(cert, uid, gid);
  }
}

/** Writes a new key and a certificate for the common name `name` that it signs itself, valid for a day. */
function selfSigned(name: string, { cert, key }: CertificateFiles): void {
  openssl('req -x509 -newkey rsa:2048 -nodes -days 1', '-subj', `/CN=${name}`, '-keyout', key, '-out', cert);
}

/** A new certificate authority with the common name `name`. */
function createTestCa(name: string): TestCa {
  const dir = tempDir('pki');
  const ca = { dir, cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
  selfSigned(name, ca);
  return ca;
}

/**
 * Writes a new key and a certificate that `ca` issues for the subjectAltName `san` (`DNS:name`, or several
 * comma-separated, e.g. `DNS:name,IP:127.0.0.1`) to `files`, replacing what they held.
 */
export function issueCertificate(ca: TestCa, files: CertificateFiles, san: string): void {
  const csr = join(ca.dir, 'server.csr');
  const ext = join(ca.dir, 'san.ext');
  const subject = '/CN=restore-proof test copy';
  openssl('req -newkey rsa:2048 -nodes', '-subj', subject, '-keyout', files.key, '-out', csr);
  writeFileSync(ext, `subjectAltName=${san}\n`);
  openssl(
    'x509 -req -days 1 -CAcreateserial',
    '-in',
    csr,
    '-CA',
    ca.cert,
    '-CAkey',
    ca.key,
    '-extfile',
    ext,
    '-out',
    files.cert,
  );
  keepForPostgres(files);
}

export interface CopyDrillOptions {
  /**
   * The copy serves TLS with a certificate that is `self-signed` (for the common name localhost, with no
   * subjectAltName), or `ca-issued`: issued for the endpoint name by a throwaway CA (`ca`).
   */
  tls?: 'self-signed' | 'ca-issued';
  /** The copy's endpoint name as RDS reports it: moto goes behind the fault proxy, which rewrites it. */
  endpoint?: string;
}

export interface CopyDrill {
  moto: Moto;
  /** The fault proxy in front of moto, when started with an endpoint. */
  proxy: FaultProxy | undefined;
  /** The restored copy's stand-in. */
  server: LocalServer;
  /** The copy's certificate and key, when it serves TLS (a new certificate there is read on a reload). */
  certificate: CertificateFiles | undefined;
  /** The CA that issued the copy's certificate, when `ca-issued`: its cert is what ca-bundle names. */
  ca: TestCa | undefined;
  /** An RDS client of moto itself, for the source cluster and the leftovers. */
  rds: RDSClient;
  /** The environment the built action needs to reach moto (through the proxy when there is one), and `extra`. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

/**
 * The jest hooks of a test file that drills against moto and a copy it serves: starts them before the file's
 * tests and stops them after; before each test, resets moto and creates the prod-db source cluster. Call it at
 * the top of the file. The returned object reads the started servers.
 */
export function useCopyDrill(options: CopyDrillOptions = {}): CopyDrill {
  const { tls, endpoint } = options;
  if (tls === 'ca-issued' && !endpoint) throw new Error('a ca-issued certificate is issued for the endpoint');
  let moto: Moto | undefined;
  let proxy: FaultProxy | undefined;
  let server: LocalServer | undefined;
  let certificate: CertificateFiles | undefined;
  let ca: TestCa | undefined;
  let rds: RDSClient | undefined;
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the copy drill is not started: call useCopyDrill() at the top of the file');
    return value;
  };
  const configure = (copy: LocalServer): void => {
    if (!tls) return;
    const dir = copy.options.runDir;
    certificate = { cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
    if (tls === 'ca-issued') {
      ca = createTestCa('restore-proof test CA');
      issueCertificate(ca, certificate, `DNS:${endpoint}`);
    } else {
      selfSigned('localhost', certificate);
      keepForPostgres(certificate);
    }
    copy.options.settings = {
      ssl: 'on',
      ssl_cert_file: `'${certificate.cert}'`,
      ssl_key_file: `'${certificate.key}'`,
    };
  };

  beforeAll(async () => {
    const [motoStarted, serverStarted] = await Promise.allSettled([startMoto(), appServer({ configure })]);
    // Whatever did start is stopped in afterAll, also when the other failed.
    if (motoStarted.status === 'fulfilled') moto = motoStarted.value;
    if (serverStarted.status === 'fulfilled') server = serverStarted.value;
    for (const s of [motoStarted, serverStarted]) if (s.status === 'rejected') throw s.reason;
    if (endpoint) {
      proxy = await startFaultProxy(started(moto).endpoint, [
        { kind: 'rewrite', action: 'DescribeDBClusters', element: 'Endpoint', value: endpoint },
      ]);
    }
    rds = motoClient(started(moto).endpoint);
  });
  afterAll(async () => {
    await Promise.all([proxy?.close(), moto?.stop(), server?.destroy()]);
  });
  beforeEach(async () => {
    await started(moto).reset();
    await createSourceCluster(started(rds));
  });

  return {
    get moto() {
      return started(moto);
    },
    get proxy() {
      return proxy;
    },
    get server() {
      return started(server);
    },
    get certificate() {
      return certificate;
    },
    get ca() {
      return ca;
    },
    get rds() {
      return started(rds);
    },
    env: (extra = {}) => ({
      AWS_ENDPOINT_URL: (proxy ?? started(moto)).endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      ...extra,
    }),
  };
}
