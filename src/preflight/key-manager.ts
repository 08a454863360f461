/**
 * Who manages a KMS key: the customer (a key with its own key policy) or AWS (the aws/rds default key).
 * A cluster reports only the key's ARN, which looks the same for both, so the answer takes kms:DescribeKey.
 */
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';

export type KeyManager = 'CUSTOMER' | 'AWS';

/** Resolves a key id or ARN to its manager; injectable so tests can stand in for what moto cannot show. */
export type KeyManagerResolver = (keyId: string) => Promise<KeyManager>;

export function kmsClient(region: string): KMSClient {
  return new KMSClient({ region, maxAttempts: 5, retryMode: 'adaptive' });
}

const AWS_MANAGED_ALIAS = /(^|:)alias\/aws\//;

/** kms:DescribeKey through `client`. An alias of the aws/ family is AWS-managed without asking. */
export function describeKeyManager(client: KMSClient): KeyManagerResolver {
  return async (keyId) => {
    if (AWS_MANAGED_ALIAS.test(keyId)) return 'AWS';
    const out = await client.send(new DescribeKeyCommand({ KeyId: keyId }));
    const manager = out.KeyMetadata?.KeyManager;
    if (manager !== 'CUSTOMER' && manager !== 'AWS') {
      throw new Error(`kms:DescribeKey reported no KeyManager for the key`);
    }
    return manager;
  };
}
