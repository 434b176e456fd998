-- Traffic sources and channels: sessions by the channel (GA4's default channel group) and source of their first
-- event, with conversions and revenue, bots excluded. Sessions follow the session-processor's rule.
-- Rows archived before GA4's channel group carry two older channel ids, read as today's: `internal` (a referral
-- from the site's own hosts, now `direct`, `(direct) / (none)`, campaign `(direct)`) and `affiliate` (now
-- `affiliates`).
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
),
marked AS (
  SELECT *,
         CASE WHEN date_diff('millisecond', lag(event_time) OVER (PARTITION BY user_id ORDER BY event_time, event_id), event_time) <= ${sessionTimeoutMs}
              THEN 0 ELSE 1 END AS starts_session
  FROM events_once
  WHERE NOT is_bot
),
numbered AS (
  SELECT *, sum(starts_session) OVER (PARTITION BY user_id ORDER BY event_time, event_id ROWS UNBOUNDED PRECEDING) AS session_number
  FROM marked
),
sessions AS (
  SELECT user_id, session_number,
         max(CASE WHEN starts_session = 1 THEN CASE traffic_channel WHEN 'internal' THEN 'direct' WHEN 'affiliate' THEN 'affiliates' ELSE traffic_channel END END) AS channel,
         max(CASE WHEN starts_session = 1 THEN (CASE WHEN traffic_channel = 'internal' THEN '(direct)' ELSE traffic_source END) END) AS source,
         max(CASE WHEN event_type = 'conversion' THEN 1 ELSE 0 END) AS converted,
         sum(CASE WHEN event_type = 'conversion' THEN coalesce(revenue, 0) ELSE 0 END) AS revenue
  FROM numbered
  GROUP BY 1, 2
)
SELECT channel, source,
       count(*) AS sessions,
       sum(converted) AS conversions,
       round(sum(revenue), 2) AS revenue
FROM sessions
GROUP BY 1, 2
ORDER BY 3 DESC, 1, 2
