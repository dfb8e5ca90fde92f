import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { toCustomerItem } from '../repository/customerTable.js';
import { changesOf, type StreamRecord } from './publish.js';

const image = (id: string, writtenIn?: string) =>
  marshall(toCustomerItem({ id, name: id, engagedParty: { id: '1' } }, 1, [], writtenIn ? { writtenIn } : {}), {
    removeUndefinedValues: true,
  });
const insert = (id: string, writtenIn?: string): StreamRecord => ({
  eventID: `insert-${id}`,
  eventName: 'INSERT',
  dynamodb: { NewImage: image(id, writtenIn) },
});
const remove = (id: string, writtenIn?: string): StreamRecord => ({
  eventID: `remove-${id}`,
  eventName: 'REMOVE',
  dynamodb: { OldImage: image(id, writtenIn) },
});

describe('changesOf across Regions (each change published once)', () => {
  const records = [
    insert('A1', 'eu-west-1'),
    insert('B1', 'eu-central-1'),
    remove('A2', 'eu-west-1'),
    remove('B2', 'eu-central-1'),
  ];
  const ids = (changes: ReturnType<typeof changesOf>) => changes.map((change) => (change.after ?? change.before)?.id);

  it('publishes in each Region only what was written there, deletes by the version they removed', () => {
    expect(ids(changesOf(records, { region: 'eu-west-1' }))).toEqual(['A1', 'A2']);
    expect(ids(changesOf(records, { region: 'eu-central-1' }))).toEqual(['B1', 'B2']);
  });

  it('publishes every change once over both Regions, and everything in a single-Region deployment', () => {
    const both = [...changesOf(records, { region: 'eu-west-1' }), ...changesOf(records, { region: 'eu-central-1' })];
    expect(ids(both).sort()).toEqual(['A1', 'A2', 'B1', 'B2']);
    expect(ids(changesOf(records))).toEqual(['A1', 'B1', 'A2', 'B2']);
    // A version written before the deployment became multi-Region carries no stamp: still published.
    expect(ids(changesOf([insert('OLD')], { region: 'eu-west-1' }))).toEqual(['OLD']);
  });
});
