/**
 * `npx tsx functions/scripts/writeIndexes.ts`: rewrites the publicNeeds indexes of
 * firestore.indexes.json from the query shapes in domain/discovery.ts (every filter combination
 * donors can use, and the followed-regions news), adds the households list's and the review
 * queue's from domain/householdSearch.ts, keeping every other index and the field overrides (the
 * TTL policies on `expireAt` of eventMarkers and requests). discovery.test.ts and
 * householdSearch.test.ts fail when the file and the shapes disagree.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  followedRegionIndex,
  publicNeedFilters,
  publicNeedIndex,
  type IndexField,
} from '../src/domain/discovery';
import {
  householdListFilters,
  householdListIndex,
  needQueueIndexes,
} from '../src/domain/householdSearch';
import { regionLevels } from '../src/domain/regions';
import { collections } from '../src/services/db';

const path = resolve(__dirname, '../../firestore.indexes.json');
const file = JSON.parse(readFileSync(path, 'utf8')) as {
  indexes: Array<{ collectionGroup: string; queryScope: string; fields: IndexField[] }>;
};
const index = (fields: IndexField[], collectionGroup: string = collections.publicNeeds) => ({
  collectionGroup,
  queryScope: 'COLLECTION',
  fields,
});
// The review queue's indexes before it was ordered by submission time: no query uses them now.
const retired = new Set(
  [
    ['villageCode', 'status', '__name__'],
    ['villageCode', 'submittedBy', '__name__'],
  ].map((fields) =>
    JSON.stringify(
      index(
        fields.map((fieldPath) => ({ fieldPath, order: 'ASCENDING' })),
        collections.needs,
      ),
    ),
  ),
);
const generated = [
  ...householdListFilters().map((filter) =>
    index(householdListIndex(filter), collections.households),
  ),
  ...needQueueIndexes().map((fields) => index(fields, collections.needs)),
];
const kept = file.indexes.filter(
  (entry) =>
    entry.collectionGroup !== collections.publicNeeds &&
    !retired.has(JSON.stringify(entry)) &&
    !generated.some((other) => JSON.stringify(other) === JSON.stringify(entry)),
);
file.indexes = [
  ...kept,
  ...generated,
  ...publicNeedFilters().map((filter) => index(publicNeedIndex(filter))),
  ...regionLevels.map((level) => index(followedRegionIndex(level))),
];
writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
process.stdout.write(`firestore.indexes.json: ${file.indexes.length} indexes\n`);
