import { CHANNELS } from '../../../functions/shared/traffic/channel-group';
import { CHANNEL_STYLES, channelColor, channelLabel } from '../../../dashboard/src/channels';

describe('dashboard channels', () => {
  it("names and colours exactly the transform's 19 channel ids, each colour once", () => {
    expect(Object.keys(CHANNEL_STYLES).sort()).toEqual([...CHANNELS].sort());
    const colors = Object.values(CHANNEL_STYLES).map((s) => s.color);
    expect(new Set(colors).size).toBe(colors.length);
  });

  it("shows GA4's names, and an unknown id as itself in a neutral colour", () => {
    expect(channelLabel('mobile_push_notifications')).toBe('Mobile Push Notifications');
    expect(channelLabel('organic_search')).toBe('Organic Search');
    expect(channelLabel('internal')).toBe('internal');
    expect(channelColor('internal')).not.toBe(channelColor('direct'));
    expect(channelLabel('toString')).toBe('toString');
  });
});
