/** The RDS API in one region: NotFound reads as absent, and parameter groups are read page by page. */
import {
  DescribeDBClusterParametersCommand,
  DescribeDBClustersCommand,
  DescribeDBParametersCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { mockClient } from 'aws-sdk-client-mock';
import { RdsRegion } from '../../../../src/providers/rds/region.js';

function setup() {
  const client = new RDSClient({ region: 'us-east-1' });
  return { rds: mockClient(client), api: new RdsRegion('us-east-1', client) };
}

test('rds.force_ssl is found on a later page of the cluster parameter group', async () => {
  const { rds, api } = setup();
  rds
    .on(DescribeDBClusterParametersCommand)
    .callsFake((input: { Marker?: string }) =>
      input.Marker
        ? { Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1' }] }
        : { Parameters: [{ ParameterName: 'shared_buffers', ParameterValue: '1024' }], Marker: 'page-2' },
    );
  expect(await api.forceSsl('prod-params')).toBe('1');
  expect(rds.commandCalls(DescribeDBClusterParametersCommand)).toHaveLength(2);
});

test('an instance parameter group is read with DescribeDBParameters; unreadable or absent is undefined', async () => {
  const { rds, api } = setup();
  rds.on(DescribeDBParametersCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDenied' }));
  expect(await api.forceSsl('prod-pg16', 'instance')).toBeUndefined();
  expect(rds.commandCalls(DescribeDBParametersCommand)[0]!.args[0].input).toMatchObject({
    DBParameterGroupName: 'prod-pg16',
  });
  expect(await api.forceSsl(undefined)).toBeUndefined();
});

test('a describe of something gone is undefined; any other error is thrown', async () => {
  const { rds, api } = setup();
  rds
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'gone' })
    .rejects(Object.assign(new Error('gone'), { name: 'DBClusterNotFoundFault' }))
    .on(DescribeDBClustersCommand, { DBClusterIdentifier: 'denied' })
    .rejects(Object.assign(new Error('no'), { name: 'AccessDenied' }));
  expect(await api.describeCluster('gone')).toBeUndefined();
  await expect(api.describeCluster('denied')).rejects.toThrow('no');
});
