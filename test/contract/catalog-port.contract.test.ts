/** The CatalogPort contract: the memory and Redis catalogs answer every call alike. */
import { describe, expect, it } from 'vitest';
import { MemoryCatalog } from '../../tle/adapters/catalog.memory.js';
import { RedisCatalog } from '../../tle/adapters/catalog.redis.js';
import type { CatalogPort, ElementSet } from '../../tle/domain/index.js';
import { syntheticCatalog } from '../support/synthetic-catalog.js';
import { freshEach, inMemory, onRedis } from './adapters.js';

const DAY_MS = 86_400_000;

const adapters = [
  inMemory<CatalogPort>('memory', () => new MemoryCatalog()),
  onRedis<CatalogPort>('redis', (redis, prefix) => new RedisCatalog(redis, prefix)),
];

/** The same satellite at another epoch (days later, or earlier when negative). */
const later = (set: ElementSet, days: number): ElementSet => ({
  ...set,
  epochMs: set.epochMs + days * DAY_MS,
  epoch: new Date(set.epochMs + days * DAY_MS).toISOString(),
  elementSetNo: set.elementSetNo + days,
});

const ids = (sets: readonly ElementSet[]) => sets.map((set) => set.noradId);

describe.each(adapters)('CatalogPort: $name', (factory) => {
  const catalog = freshEach(factory);
  const [first, second, third] = syntheticCatalog(3, 40_000) as [ElementSet, ElementSet, ElementSet];

  it('an empty catalog has nothing: no set, no history, empty lists and pages', async () => {
    expect(await catalog().get(first.noradId)).toBeUndefined();
    expect(await catalog().history(first.noradId)).toEqual([]);
    expect(await catalog().list()).toEqual([]);
    expect(await catalog().page(undefined, 10)).toEqual([]);
    expect(await catalog().pageJson(undefined, 10)).toEqual([]);
    expect(await catalog().delete(first.noradId)).toBe(false);
  });

  it('a stored set is current and comes back equal', async () => {
    expect(await catalog().put(first)).toEqual({ current: true });
    expect(await catalog().get(first.noradId)).toEqual(first);
    expect(await catalog().list()).toEqual([first]);
  });

  it('the newest epoch is current; an older one only joins the history, oldest first', async () => {
    const newer = later(first, 2);
    const older = later(first, -3);
    expect(await catalog().put(first)).toEqual({ current: true });
    expect(await catalog().put(newer)).toEqual({ current: true });
    expect(await catalog().put(older)).toEqual({ current: false });
    expect(await catalog().get(first.noradId)).toEqual(newer);
    expect(await catalog().history(first.noradId)).toEqual([older, first, newer]);
    expect(await catalog().history(first.noradId, 2)).toEqual([first, newer]);
  });

  it('storing the same set again keeps one history entry', async () => {
    await catalog().put(first);
    await catalog().put(first);
    expect(await catalog().history(first.noradId)).toEqual([first]);
  });

  it('lists and pages run by NORAD ID ascending, after a cursor, within a limit, among given IDs', async () => {
    for (const set of [third, first, second]) await catalog().put(set);
    expect(ids(await catalog().list())).toEqual(ids([first, second, third]));
    expect(ids(await catalog().page(undefined, 2))).toEqual(ids([first, second]));
    expect(ids(await catalog().page(first.noradId, 10))).toEqual(ids([second, third]));
    expect(ids(await catalog().page(undefined, 10, [third.noradId, first.noradId]))).toEqual(ids([first, third]));
    expect(ids(await catalog().page(first.noradId, 10, [third.noradId, first.noradId]))).toEqual(ids([third]));
    expect(await catalog().page(undefined, 10, [1])).toEqual([]);
  });

  it('IDs of satellites not in the catalog take no place in a page', async () => {
    for (const set of [first, second, third]) await catalog().put(set);
    const selection = [1, 2, first.noradId, third.noradId];
    expect(ids(await catalog().page(undefined, 2, selection))).toEqual(ids([first, third]));
    expect((await catalog().pageJson(undefined, 2, selection)).length).toBe(2);
  });

  it('pageJson holds the JSON of the same sets page answers', async () => {
    for (const set of [first, second]) await catalog().put(set);
    const json = await catalog().pageJson(undefined, 10);
    expect(json.map((text) => JSON.parse(text) as ElementSet)).toEqual(await catalog().page(undefined, 10));
  });

  it('delete removes the satellite and its history, once', async () => {
    await catalog().put(first);
    await catalog().put(later(first, 1));
    await catalog().put(second);
    expect(await catalog().delete(first.noradId)).toBe(true);
    expect(await catalog().delete(first.noradId)).toBe(false);
    expect(await catalog().get(first.noradId)).toBeUndefined();
    expect(await catalog().history(first.noradId)).toEqual([]);
    expect(ids(await catalog().page(undefined, 10))).toEqual(ids([second]));
  });

  it('the version changes with every change of a current set; an older epoch leaves it', async () => {
    const start = await catalog().version();
    expect(await catalog().version()).toBe(start);
    await catalog().put(first);
    const afterPut = await catalog().version();
    expect(afterPut).not.toBe(start);
    await catalog().put(later(first, -1));
    expect(await catalog().version()).toBe(afterPut);
    await catalog().put(later(first, 1));
    const afterReplace = await catalog().version();
    expect(afterReplace).not.toBe(afterPut);
    await catalog().delete(first.noradId);
    expect(await catalog().version()).not.toBe(afterReplace);
  });

  it('clear removes every satellite and changes the version', async () => {
    await catalog().put(first);
    await catalog().put(second);
    const before = await catalog().version();
    await catalog().clear();
    expect(await catalog().list()).toEqual([]);
    expect(await catalog().history(first.noradId)).toEqual([]);
    expect(await catalog().page(undefined, 10)).toEqual([]);
    expect(await catalog().version()).not.toBe(before);
    expect(await catalog().put(first)).toEqual({ current: true });
    expect(await catalog().list()).toEqual([first]);
  });
});
