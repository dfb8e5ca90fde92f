import { describe, expect, it } from 'vitest';
import { CsvMappingError, compileHeader, parseColumn, rowToRecord } from './csvMapping.js';

describe('CSV column mapping', () => {
  it('reads dotted and indexed paths', () => {
    expect(parseColumn('contactMedium[0].characteristic.emailAddress')).toEqual([
      'contactMedium',
      0,
      'characteristic',
      'emailAddress',
    ]);
    expect(parseColumn('engagedParty.@referredType')).toEqual(['engagedParty', '@referredType']);
  });

  it('refuses headers that are not paths, reserved keys and repeated columns', () => {
    for (const bad of ['[0].name', 'a..b', '__proto__.x', 'a.constructor', '']) {
      expect(() => compileHeader([bad]), bad).toThrow(CsvMappingError);
    }
    expect(() => compileHeader(['name', 'name'])).toThrow(/twice/);
  });

  it('builds nested records typed by the swagger, skipping empty cells and closing up arrays', () => {
    const header = compileHeader([
      'name',
      'creditProfile[0].creditScore',
      'contactMedium[0].preferred',
      'contactMedium[2].mediumType',
      'characteristic',
      'engagedParty.id',
    ]);
    expect(rowToRecord(header, ['Ann', '710', 'false', 'phone', '[{"name":"tier","value":3}]', ''])).toEqual({
      name: 'Ann',
      creditProfile: [{ creditScore: 710 }],
      contactMedium: [{ preferred: false }, { mediumType: 'phone' }],
      characteristic: [{ name: 'tier', value: 3 }],
    });
  });

  it('takes JSON in untyped cells when it parses, and the text otherwise', () => {
    const header = compileHeader(['characteristic[0].value']);
    expect(rowToRecord(header, ['42'])).toEqual({ characteristic: [{ value: 42 }] });
    expect(rowToRecord(header, ['gold'])).toEqual({ characteristic: [{ value: 'gold' }] });
  });

  it('names the column of a cell of the wrong type', () => {
    const header = compileHeader(['contactMedium[0].preferred', 'creditProfile[0].creditScore']);
    expect(() => rowToRecord(header, ['yes', ''])).toThrow(/contactMedium\[0\]\.preferred: "yes" is not true or false/);
    expect(() => rowToRecord(header, ['', 'high'])).toThrow(/creditScore: "high" is not a number/);
    expect(() => rowToRecord(compileHeader(['engagedParty']), ['{"__proto__":{}}'])).toThrow(/__proto__/);
  });

  it('refuses two columns that disagree about an attribute', () => {
    const header = compileHeader(['contactMedium', 'contactMedium[0].mediumType']);
    expect(() => rowToRecord(header, ['{"mediumType":"email"}', 'phone'])).toThrow(/clashes/);
  });
});
