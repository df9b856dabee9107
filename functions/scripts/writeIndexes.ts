/**
 * `npx tsx functions/scripts/writeIndexes.ts`: rewrites the publicNeeds indexes of
 * firestore.indexes.json from the query shapes in domain/discovery.ts (every filter combination
 * donors can use, and the followed-regions news), keeping every other collection's indexes and the
 * field overrides (the TTL policies on `expireAt` of eventMarkers and requests).
 * discovery.test.ts fails when the file and the shapes disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  followedRegionIndex,
  publicNeedFilters,
  publicNeedIndex,
  type IndexField,
} from '../src/domain/discovery';
import { regionLevels } from '../src/domain/regions';
import { collections } from '../src/services/db';

const path = resolve(__dirname, '../../firestore.indexes.json');
const file = JSON.parse(readFileSync(path, 'utf8')) as {
  indexes: Array<{ collectionGroup: string; queryScope: string; fields: IndexField[] }>;
};
const index = (fields: IndexField[]) => ({
  collectionGroup: collections.publicNeeds,
  queryScope: 'COLLECTION',
  fields,
});
file.indexes = [
  ...file.indexes.filter((entry) => entry.collectionGroup !== collections.publicNeeds),
  ...publicNeedFilters().map((filter) => index(publicNeedIndex(filter))),
  ...regionLevels.map((level) => index(followedRegionIndex(level))),
];
writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
process.stdout.write(`firestore.indexes.json: ${file.indexes.length} indexes\n`);
