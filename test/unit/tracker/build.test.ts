/** The tracker's build: within its size budget, self-contained, and in step with the event contract. */
import { EVENT_TYPES } from '../../../functions/shared/event-contract';
import { EVENT_TYPES as TRACKER_EVENT_TYPES } from '../../../tracker/src/event-types';
import { buildTracker, TRACKER_GZIP_TARGET_BYTES } from '../../../tracker/build';
import type { TrackerBuild } from '../../../tracker/build';

let built: TrackerBuild;

beforeAll(async () => {
  built = await buildTracker();
});

describe('buildTracker', () => {
  it('keeps the script and the module within the gzip budget', () => {
    expect(built.scriptGzipBytes).toBeLessThanOrEqual(TRACKER_GZIP_TARGET_BYTES);
    expect(built.moduleGzipBytes).toBeLessThanOrEqual(TRACKER_GZIP_TARGET_BYTES);
  });

  it('bundles everything: the script loads nothing at run time', () => {
    for (const code of [built.script, built.module]) expect(code).not.toMatch(/\brequire\(|\bimport\b/);
    expect(built.script).toMatch(/^"use strict";\(\(\)=>\{/);
  });

  it('exports the public API from the module', () => {
    const exported = /export\{([^}]*)\}/
      .exec(built.module)![1]!
      .split(',')
      .map((entry) => entry.split(' as ').pop());
    expect(exported.sort()).toEqual(['EVENT_TYPES', 'consent', 'dropped', 'flush', 'identify', 'init', 'page', 'track']);
  });
});

describe('the tracker event types', () => {
  it('are the event contract’s', () => {
    expect(TRACKER_EVENT_TYPES).toEqual(EVENT_TYPES);
  });
});
