import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../../../shared/domain/errors.js';
import { DEFAULT_PAGE_SIZE, readListQuery } from '../../../shared/domain/management/request-schemas.js';

const query = (parameters: Record<string, string>, repeated: Record<string, string[]> = {}) => ({
  queryStringParameters: parameters,
  multiValueQueryStringParameters: repeated,
});

describe('readListQuery', () => {
  it('defaults to 50 and accepts limits 1 to 100 and a cursor', () => {
    expect(readListQuery({ queryStringParameters: null })).toEqual({ limit: DEFAULT_PAGE_SIZE });
    expect(readListQuery(query({ limit: '1' }))).toEqual({ limit: 1 });
    expect(readListQuery(query({ limit: '100', cursor: 'abc' }))).toEqual({ limit: 100, cursor: 'abc' });
    expect(readListQuery(query({ other: 'ignored' }))).toEqual({ limit: 50 });
  });

  it.each(['0', '101', '-1', '1.5', 'abc', '', ' 5', '1e2', '0x10', '99999'])(
    'answers 400 for limit=%j',
    (limit) => {
      expect(() => readListQuery(query({ limit }))).toThrow(InvalidRequestError);
      try {
        readListQuery(query({ limit }));
      } catch (error) {
        expect((error as InvalidRequestError).errors).toEqual([
          { parameter: 'limit', detail: expect.any(String) },
        ]);
      }
    },
  );

  it('answers 400 for an empty cursor and for repeated parameters', () => {
    expect(() => readListQuery(query({ cursor: '' }))).toThrow(InvalidRequestError);
    expect(() => readListQuery(query({ limit: '5' }, { limit: ['5', '6'] }))).toThrow(InvalidRequestError);
  });
});
