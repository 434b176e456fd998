/**
 * GA4's default channel group as the dashboard shows it: the archive's `traffic_channel` ids with GA4's names and
 * a colour each. Paid channels are the darker shade of their organic counterpart's family (search blue, social
 * violet, video red, shopping amber), so a channel keeps its colour in every range. The dashboard imports nothing
 * outside itself: test/unit/dashboard/channels.test.ts holds these ids to the transform's CHANNELS.
 */

export const CHANNEL_STYLES: Readonly<Record<string, { readonly label: string; readonly color: string }>> = {
  direct: { label: 'Direct', color: '#4b5563' },
  cross_network: { label: 'Cross-network', color: '#0f766e' },
  paid_shopping: { label: 'Paid Shopping', color: '#b45309' },
  paid_search: { label: 'Paid Search', color: '#1d4ed8' },
  paid_social: { label: 'Paid Social', color: '#7e22ce' },
  paid_video: { label: 'Paid Video', color: '#b91c1c' },
  display: { label: 'Display', color: '#c2410c' },
  paid_other: { label: 'Paid Other', color: '#9f1239' },
  organic_shopping: { label: 'Organic Shopping', color: '#f59e0b' },
  organic_social: { label: 'Organic Social', color: '#a855f7' },
  organic_video: { label: 'Organic Video', color: '#ef4444' },
  organic_search: { label: 'Organic Search', color: '#3b82f6' },
  referral: { label: 'Referral', color: '#16a34a' },
  email: { label: 'Email', color: '#0891b2' },
  affiliates: { label: 'Affiliates', color: '#65a30d' },
  audio: { label: 'Audio', color: '#db2777' },
  sms: { label: 'SMS', color: '#0d9488' },
  mobile_push_notifications: { label: 'Mobile Push Notifications', color: '#6366f1' },
  unassigned: { label: 'Unassigned', color: '#9ca3af' },
};

const BY_ID: ReadonlyMap<string, { readonly label: string; readonly color: string }> = new Map(Object.entries(CHANNEL_STYLES));
/** Unknown ids (rows archived by an older classifier) keep their id as label and take a light grey. */
const UNKNOWN_COLOR = '#d1d5db';

/** GA4's name of a channel id, or the id itself when it is not one of GA4's. */
export function channelLabel(id: string): string {
  return BY_ID.get(id)?.label ?? id;
}

/** The colour of a channel id. */
export function channelColor(id: string): string {
  return BY_ID.get(id)?.color ?? UNKNOWN_COLOR;
}
