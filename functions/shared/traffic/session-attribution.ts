/**
 * A session's traffic source as GA4 reports it ("Session source / medium", "Session default channel group"):
 * the classification of its first event, except that a direct session takes the user's last non-direct source.
 *
 * GA4's session-scoped traffic dimensions follow the last non-direct click: a user who came from a YouTube link
 * and returns the next day through a bookmark has a second session of `youtube / referral`, not `(direct) /
 * (none)` ("[GA4] Scopes of traffic-source dimensions", https://support.google.com/analytics/answer/11080067).
 * How far back a direct session looks is GA4's lookback window, 90 days by default for key events other than
 * acquisition ones ("[GA4] Select attribution settings", https://support.google.com/analytics/answer/10597962).
 * Pure: the caller keeps the user's last non-direct source between sessions.
 */
import { classifyChannel } from './channel-group';
import type { ChannelId } from './channel-group';
import { withReferrer } from './click-ids';
import { hostOf, urlParts } from './url-parts';

/** Days a direct session looks back for the user's last non-direct source. */
export const LAST_NON_DIRECT_LOOKBACK_DAYS = 90;
export const LAST_NON_DIRECT_LOOKBACK_MS = LAST_NON_DIRECT_LOOKBACK_DAYS * 86_400_000;

/** GA4's channel, source, medium and campaign of a session. */
export interface SessionTraffic {
  readonly channel: ChannelId;
  readonly source: string;
  readonly medium: string;
  readonly campaign: string;
}

/** The user's last non-direct session traffic, and the start of the session that had it (epoch ms). */
export interface LastNonDirect extends SessionTraffic {
  readonly atMs: number;
}

/**
 * GA4's classification of one event from its URL and referrer, as the transform gives it in the archive's
 * `traffic_*` columns: the same inputs (the URL's parts and click id, the referrer as sent, the internal hosts).
 */
export function eventSessionTraffic(url: string, referrer: string | undefined, internalHosts: ReadonlySet<string>): SessionTraffic {
  const page = urlParts(url);
  const click = withReferrer(page.click, hostOf(referrer));
  const c = classifyChannel(
    {
      pageHost: page.host,
      utmSource: page.utmSource,
      utmMedium: page.utmMedium,
      utmCampaign: page.utmCampaign,
      click,
      referrer: referrer ?? null,
    },
    internalHosts,
  );
  return { channel: c.channel, source: c.source, medium: c.medium, campaign: c.campaign };
}

/** A session's attributed traffic, and what the user's state keeps as the last non-direct source afterwards. */
export interface Attribution {
  readonly traffic: SessionTraffic;
  readonly lastNonDirect: LastNonDirect | undefined;
}

/**
 * GA4's last non-direct rule for a session starting at `startMs` whose first event is classified `own`: a
 * non-direct session keeps its own traffic and becomes the user's last non-direct; a direct one takes `prior`
 * when that started at most {@link LAST_NON_DIRECT_LOOKBACK_MS} before, and otherwise stays direct. An inherited
 * source never replaces `prior`, so its time stays that of the session that really had it.
 */
export function attributeSession(own: SessionTraffic, startMs: number, prior: LastNonDirect | undefined): Attribution {
  if (own.channel !== 'direct') return { traffic: own, lastNonDirect: { ...own, atMs: startMs } };
  if (prior !== undefined && startMs - prior.atMs <= LAST_NON_DIRECT_LOOKBACK_MS) {
    const traffic = { channel: prior.channel, source: prior.source, medium: prior.medium, campaign: prior.campaign };
    return { traffic, lastNonDirect: prior };
  }
  return { traffic: own, lastNonDirect: prior };
}
