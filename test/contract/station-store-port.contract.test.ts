/** The StationStorePort contract: the memory and Redis station stores answer every call alike. */
import { describe, expect, it } from 'vitest';
import { MemoryStationStore } from '../../tle/adapters/catalog.memory.js';
import { RedisStationStore } from '../../tle/adapters/catalog.redis.js';
import type { Station, StationStorePort } from '../../tle/domain/index.js';
import { freshEach, inMemory, onRedis } from './adapters.js';

const adapters = [
  inMemory<StationStorePort>('memory', () => new MemoryStationStore()),
  onRedis<StationStorePort>('redis', (redis, prefix) => new RedisStationStore(redis, prefix)),
];

const graz: Station = { id: 'graz', name: 'Graz', latitudeDeg: 47.07, longitudeDeg: 15.49, altitudeM: 493 };
const matera: Station = {
  id: 'matera',
  name: 'Matera',
  latitudeDeg: 40.65,
  longitudeDeg: 16.7,
  altitudeM: 536,
  minElevationDeg: 15,
  horizonMask: [{ azimuthDeg: 0, elevationDeg: 5 }],
  clearSky: [0.4, 0.4, 0.5, 0.5, 0.6, 0.7, 0.8, 0.8, 0.7, 0.6, 0.5, 0.4],
};

describe.each(adapters)('StationStorePort: $name', (factory) => {
  const stations = freshEach(factory);

  it('an empty store has no station, lists none and is not seeded', async () => {
    expect(await stations().get('graz')).toBeUndefined();
    expect(await stations().list()).toEqual([]);
    expect(await stations().seeded()).toBe(false);
    expect(await stations().delete('graz')).toBe(false);
  });

  it('put creates once, then replaces; get answers the stored station whole', async () => {
    expect(await stations().put(matera)).toEqual({ created: true });
    expect(await stations().get('matera')).toEqual(matera);
    const moved = { ...matera, altitudeM: 540 };
    expect(await stations().put(moved)).toEqual({ created: false });
    expect(await stations().get('matera')).toEqual(moved);
  });

  it('list runs by ID ascending', async () => {
    await stations().put(matera);
    await stations().put(graz);
    expect((await stations().list()).map((station) => station.id)).toEqual(['graz', 'matera']);
  });

  it('delete removes a station, once', async () => {
    await stations().put(graz);
    expect(await stations().delete('graz')).toBe(true);
    expect(await stations().delete('graz')).toBe(false);
    expect(await stations().get('graz')).toBeUndefined();
  });

  it('the seeded mark stays until clear, which also removes every station', async () => {
    await stations().put(graz);
    await stations().markSeeded();
    expect(await stations().seeded()).toBe(true);
    await stations().clear();
    expect(await stations().seeded()).toBe(false);
    expect(await stations().list()).toEqual([]);
  });
});
