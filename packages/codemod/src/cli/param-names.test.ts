// `--param` values are judged by their names before anything loads: both sides of `name=key`, and
// nothing after the `:` (a type may hold any text).
import { describe, expect, it } from 'vitest';
import { invalidParamName } from './param-names.js';

describe('--param names', () => {
  it('accepts a name, name:Type, name=key and name=key:Type', () => {
    for (const value of ['requestId', 'req:BridgeRequest', 'request_id=requestId', 'request_id=requestId:string', 'onDone:() => void']) {
      expect(invalidParamName(value), value).toBeUndefined();
    }
  });

  it('judges both names of name=key', () => {
    expect(invalidParamName('request-id=requestId')).toBe("'request-id' is not a valid parameter name");
    expect(invalidParamName('request_id=class')).toBe("'class' is a reserved word and cannot name a parameter");
    expect(invalidParamName('request_id=')).toBe('a parameter name is empty');
  });
});
