/**
 * The site's internal hosts, one setting that both functions read: the transform classifies each event's channel
 * with it, the session-processor each session's. Declared once, so the archive's `traffic_*` columns and the
 * sessions' channels count the same referrers as internal.
 */
import { hostList } from '../settings';

/**
 * This site's other hosts, whose referrals count as internal (no referrer), besides the page's own host.
 * @default []
 */
export const INTERNAL_HOSTS = hostList({
  env: 'INTERNAL_HOSTS',
  default: [],
  reason: "the page's own host is always internal; list this site's other hosts so that moving between them is not a referral",
});
