import { memoryLogger } from '../../../src/log/logger.js';
import { maskSecrets } from '../../../src/log/redact.js';

test('every occurrence of each secret is masked', () => {
  expect(maskSecrets('token ghs_abcdef and ghs_abcdef again', ['ghs_abcdef'])).toBe(
    'token *** and *** again',
  );
});

test('a secret inside a longer one is masked with it, whatever the order given', () => {
  const url = 'postgres://app:hunter22@db/app';
  expect(maskSecrets(`failed ${url}`, ['hunter22', url])).toBe('failed ***');
  expect(maskSecrets('abcdefgh', ['abcd', 'abcdefgh'], '#')).toBe('#');
});

test('values shorter than four characters and empty ones are left alone', () => {
  expect(maskSecrets('port 543 of db', ['543', '', undefined, 'db'])).toBe('port 543 of db');
});

test('the logger masks every registered secret on every level', () => {
  const logger = memoryLogger();
  logger.setSecret('hunter22');
  logger.setSecret('');
  logger.info('password hunter22');
  logger.warning('hunter22!');
  logger.error('x hunter22');
  logger.debug('hunter22');
  expect(logger.lines).toEqual(['password ***', 'warning: ***!', 'error: x ***', 'debug: ***']);
});
