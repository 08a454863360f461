/** The status a drill waits on after resetting the copy's master password. */
import { passwordResetStatus } from '../../../../src/providers/rds/base.js';

test('available with the password still pending is not done', () => {
  expect(passwordResetStatus('available', { MasterUserPassword: '****' })).toBe('master-password-pending');
});

test('the reset in progress, and done once nothing is pending', () => {
  expect(passwordResetStatus('resetting-master-credentials', { MasterUserPassword: '****' })).toBe(
    'resetting-master-credentials',
  );
  expect(passwordResetStatus('available', {})).toBe('available');
  expect(passwordResetStatus('available', undefined)).toBe('available');
});
