import { clientConfig } from '../../../src/db/connect.js';
import { smokeEnvironment } from '../../../src/checks/smoke.js';
import {
  fillTunnelTemplate,
  maskTunnelOutput,
  shellQuote,
  throughTunnel,
} from '../../../src/drill/tunnel.js';
import type { Target } from '../../../src/model/types.js';

describe('tunnel-command template', () => {
  test('fills every placeholder, shell-quoting what needs it', () => {
    expect(
      fillTunnelTemplate(
        'aws ssm start-session --target i-0abc --document-name AWS-StartPortForwardingSessionToRemoteHost ' +
          '--parameters host={host},portNumber={port},localPortNumber={localPort} # {localPort}',
        { host: 'x.cluster-abc.us-east-1.rds.amazonaws.com', port: 5432, localPort: 40123 },
      ),
    ).toBe(
      'aws ssm start-session --target i-0abc --document-name AWS-StartPortForwardingSessionToRemoteHost ' +
        '--parameters host=x.cluster-abc.us-east-1.rds.amazonaws.com,portNumber=5432,localPortNumber=40123 # 40123',
    );
    expect(shellQuote(`a'b; rm -rf /`)).toBe(`'a'\\''b; rm -rf /'`);
    expect(shellQuote('$(id)')).toBe(`'$(id)'`);
  });

  test('masks credentials in the command output', () => {
    const env = { AWS_SESSION_TOKEN: 'FQoGZXIvYXdzEJr-session-token' };
    expect(
      maskTunnelOutput('token FQoGZXIvYXdzEJr-session-token key ASIAABCDEFGHIJKLMNOP password=hunter2', env),
    ).toBe('token *** key *** password=***');
  });
});

describe('a target through the tunnel', () => {
  const target = {
    connection: {
      host: 'restore-proof-x.cluster-abc.us-east-1.rds.amazonaws.com',
      port: 5432,
      database: 'app',
      user: 'postgres',
      password: 'pw-123456',
      sslMode: 'verify-full',
    },
  } as Target;

  test('connects to 127.0.0.1:localPort and verifies TLS against the endpoint name', () => {
    const tunnelled = throughTunnel(target, 40123);
    expect(tunnelled.connection).toMatchObject({
      host: '127.0.0.1',
      port: 40123,
      tlsServername: 'restore-proof-x.cluster-abc.us-east-1.rds.amazonaws.com',
    });
    expect(clientConfig(tunnelled.connection).ssl).toMatchObject({
      rejectUnauthorized: true,
      servername: 'restore-proof-x.cluster-abc.us-east-1.rds.amazonaws.com',
    });
    expect(target.connection.host).toMatch(/^restore-proof-x/); // the original is untouched
  });

  test('the smoke command gets PGHOST (the name) and PGHOSTADDR (the tunnel)', () => {
    const env = smokeEnvironment(throughTunnel(target, 40123).connection);
    expect(env).toMatchObject({
      PGHOST: 'restore-proof-x.cluster-abc.us-east-1.rds.amazonaws.com',
      PGHOSTADDR: '127.0.0.1',
      PGPORT: '40123',
    });
    expect(env.DATABASE_URL).toMatch(
      /@restore-proof-x\.[^/]+:40123\/app\?sslmode=verify-full&hostaddr=127\.0\.0\.1$/,
    );
  });
});
