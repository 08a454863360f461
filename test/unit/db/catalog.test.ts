import { keyPart, readsRows, tableKey } from '../../../src/db/catalog.js';

test('plain names read as they always did', () => {
  expect(tableKey('public', 'orders')).toBe('public.orders');
  expect(keyPart('order_items$2')).toBe('order_items$2');
});

test('names with dots, capitals or quotes are quoted, so keys never collide', () => {
  expect(tableKey('x', 'y.z')).toBe('x."y.z"');
  expect(tableKey('x.y', 'z')).toBe('"x.y".z');
  expect(tableKey('x', 'y.z')).not.toBe(tableKey('x.y', 'z'));
  expect(keyPart('Orders')).toBe('"Orders"');
  expect(keyPart('a"b')).toBe('"a""b"');
  expect(keyPart('1st')).toBe('"1st"');
});

test('rows are read from tables and populated materialized views only', () => {
  expect(readsRows({ persistence: 'p' })).toBe(true);
  expect(readsRows({ persistence: 'p', kind: 'materialized view', populated: true })).toBe(true);
  expect(readsRows({ persistence: 'u', kind: 'table' })).toBe(false);
  expect(readsRows({ persistence: 'p', kind: 'foreign table' })).toBe(false);
  expect(readsRows({ persistence: 'p', kind: 'materialized view', populated: false })).toBe(false);
});
