/** How the copy is created (instance class, network, KMS key) and reached (restored-host, tunnel). */
import type { SslMode } from '../model/types.js';
import { planCaBundle } from './ca-bundle.js';
import { InputError } from './input-error.js';
import type { CopySettings } from './plan-types.js';
import { defined, type InputReader } from './raw-inputs.js';
import { kmsKey, pattern, portNumber } from './values.js';

// db.<family>.<size>, or db.serverless: an Aurora Serverless v2 instance.
const INSTANCE_CLASS = /^db\.([a-z0-9]+\.[a-z0-9]+|serverless)$/;
const SUBNET_GROUP = /^[A-Za-z0-9 ._-]{1,255}$/;
// AWS's rule for a parameter group name: 1-255 letters, digits and hyphens, a letter first, no hyphen last
// and no two in a row; RDS's own groups are named default.<family> (default.aurora-postgresql15).
const PARAMETER_GROUP = /^(?=.{1,255}$)(default\.[a-z0-9.-]+|[A-Za-z](?!.*--)[A-Za-z0-9-]*(?<!-))$/;
const SECURITY_GROUP = /^sg-[0-9a-f]{8}([0-9a-f]{9})?$/;
const HOST =
  /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\d{1,3}(\.\d{1,3}){3}$|^\[?[0-9a-fA-F:]+\]?$/;

/** A DB subnet group name (db-subnet-group, target-db-subnet-group). */
export const subnetGroup = (name: 'db-subnet-group' | 'target-db-subnet-group', value: string): string =>
  pattern(name, value, SUBNET_GROUP, 'accepts a DB subnet group name (letters, digits, spaces, . _ -)');

/** Comma-separated security group ids (vpc-security-group-ids, target-vpc-security-group-ids). */
export function securityGroupIds(
  value: string,
  name: 'vpc-security-group-ids' | 'target-vpc-security-group-ids' = 'vpc-security-group-ids',
): string[] {
  const ids = value.split(',').map((s) => s.trim());
  if (!ids.every((id) => SECURITY_GROUP.test(id))) {
    throw new InputError(
      name,
      'accepts comma-separated security group ids such as sg-0123456789abcdef0',
      value,
    );
  }
  return ids;
}

/** A DB (cluster) parameter group name (restore-parameter-group, restore-instance-parameter-group). */
export const parameterGroup = (
  name: 'restore-parameter-group' | 'restore-instance-parameter-group',
  value: string,
): string =>
  pattern(
    name,
    value,
    PARAMETER_GROUP,
    'accepts a parameter group name: up to 255 letters, digits and hyphens, starting with a letter, not ending with a hyphen nor holding two in a row (or an RDS default group such as default.aurora-postgresql15)',
  );

export function planCopy(
  inputs: InputReader,
  context: { sslMode: SslMode; sourceIsInstance: boolean },
): CopySettings {
  const read = inputs.parse;
  const copy = defined<CopySettings>({
    instanceClass: read('instance-class', (v) =>
      pattern(
        'instance-class',
        v,
        INSTANCE_CLASS,
        'accepts a DB instance class such as db.r6g.large, or db.serverless',
      ),
    ),
    dbSubnetGroup: read('db-subnet-group', (v) => subnetGroup('db-subnet-group', v)),
    vpcSecurityGroupIds: read('vpc-security-group-ids', (v) => securityGroupIds(v)),
    kmsKeyId: read('kms-key-id', (v) =>
      kmsKey('kms-key-id', v, 'accepts a KMS key id, key ARN, alias/name or alias ARN'),
    ),
    parameterGroup: read('restore-parameter-group', (v) => parameterGroup('restore-parameter-group', v)),
    instanceParameterGroup: read('restore-instance-parameter-group', (v) =>
      parameterGroup('restore-instance-parameter-group', v),
    ),
    restoredHost: read('restored-host', (v) =>
      pattern('restored-host', v, HOST, 'accepts a host name or IP address'),
    ),
    restoredPort: read('restored-port', (v) => portNumber('restored-port', v)),
    tunnelCommand: read('tunnel-command', (v) => {
      if (!v.includes('{localPort}')) {
        throw new InputError(
          'tunnel-command',
          'must contain {localPort}, the local port the drill connects through',
        );
      }
      return v;
    }),
    sslMode: context.sslMode,
    caBundle: planCaBundle(inputs),
  });
  if (copy.restoredPort !== undefined && copy.restoredHost === undefined) {
    throw new InputError(
      'restored-port',
      'goes only with restored-host (the tunnel or proxy to connect through)',
    );
  }
  if (copy.tunnelCommand !== undefined && copy.restoredHost !== undefined) {
    throw new InputError('tunnel-command', 'goes instead of restored-host, not with it');
  }
  if (copy.instanceClass === 'db.serverless' && context.sourceIsInstance) {
    throw new InputError(
      'instance-class',
      'accepts db.serverless only with source-cluster: Serverless v2 is an Aurora instance class',
      copy.instanceClass,
    );
  }
  if (copy.instanceParameterGroup !== undefined && context.sourceIsInstance) {
    throw new InputError(
      'restore-instance-parameter-group',
      'goes only with source-cluster: an RDS instance copy takes its DB parameter group from restore-parameter-group',
    );
  }
  if (copy.kmsKeyId !== undefined && context.sourceIsInstance) {
    throw new InputError(
      'kms-key-id',
      "goes only with source-cluster: an RDS instance restore keeps the source's KMS key",
    );
  }
  return copy;
}
