import { describe, expect, it } from 'vitest';
import { readPath, readText } from '../../../src/sources/read-path.js';

const value = { data: { object: { id: 'pi_1', amount: 2000, empty: '', none: null, list: [{ f: 'a' }] } } };

describe('readPath / readText', () => {
  it.each([
    ['data.object.id', 'pi_1'],
    ['data.object.amount', '2000'],
    ['data.object.list.0.f', 'a'],
    ['data.object.empty', undefined],
    ['data.object.none', undefined],
    ['data.object', undefined],
    ['data.missing.id', undefined],
    ['data.object.id.length', undefined],
  ])('%s → %j', (path, expected) => expect(readText(value, path)).toBe(expected));

  it('does not walk into the prototype', () => {
    expect(readPath({}, 'constructor')).toBeUndefined();
    expect(readPath({ a: {} }, 'a.__proto__')).toBeUndefined();
  });

  it('returns objects as they are', () => expect(readPath(value, 'data.object.list')).toEqual([{ f: 'a' }]));
});
