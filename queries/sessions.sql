-- Sessions rebuilt from the archive with the session-processor's rule: a user's events ordered by event
-- time, a new session after a gap longer than the session timeout (the setting sessionTimeoutMinutes,
-- bound where the query is bound); duplicates removed by event_id. One row per session, comparable with
-- the sessions table (bots included, as there). A session's channel, source, medium and campaign are GA4's,
-- as the session-processor attributes them: its first event's traffic_* columns, or, when those say direct,
-- the user's last non-direct session's when it started at most the lookback (90 days) before. The last
-- non-direct session is found with a running count rather than last_value(...) IGNORE NULLS, whose syntax
-- differs between the engines (Trino: after the call's parentheses; DuckDB: inside them). Only sessions inside
-- the queried dates are looked back on.
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
),
numbered AS (
  SELECT *,
         sum(starts_session) OVER (PARTITION BY user_id ORDER BY event_time, event_id ROWS UNBOUNDED PRECEDING) AS session_number,
         row_number() OVER (PARTITION BY user_id ORDER BY event_time, event_id) AS n
  FROM marked
),
bounded AS (
  SELECT *,
         first_value(page_path) OVER (PARTITION BY user_id, session_number ORDER BY event_time, event_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS landing_page,
         last_value(page_path) OVER (PARTITION BY user_id, session_number ORDER BY event_time, event_id ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS exit_page
  FROM numbered
),
sessions AS (
  SELECT user_id,
         min(event_time) AS start_time,
         max(event_time) AS last_activity_time,
         count(*) AS event_count,
         sum(CASE WHEN event_type = 'page_view' THEN 1 ELSE 0 END) AS page_views,
         max(landing_page) AS landing_page,
         max(exit_page) AS exit_page,
         max(CASE WHEN starts_session = 1 THEN CASE traffic_channel WHEN 'internal' THEN 'direct' WHEN 'affiliate' THEN 'affiliates' ELSE traffic_channel END END) AS own_channel,
         max(CASE WHEN starts_session = 1 THEN (CASE WHEN traffic_channel = 'internal' THEN '(direct)' ELSE traffic_source END) END) AS own_source,
         max(CASE WHEN starts_session = 1 THEN (CASE WHEN traffic_channel = 'internal' THEN '(none)' ELSE traffic_medium END) END) AS own_medium,
         max(CASE WHEN starts_session = 1 THEN (CASE WHEN traffic_channel = 'internal' THEN '(direct)' ELSE traffic_campaign END) END) AS own_campaign,
         max(CASE WHEN event_type = 'conversion' THEN 1 ELSE 0 END) = 1 AS converted,
         round(sum(CASE WHEN event_type = 'conversion' THEN coalesce(revenue, 0) ELSE 0 END), 6) AS revenue
  FROM bounded
  GROUP BY user_id, session_number
),
grouped AS (
  -- Each non-direct session opens a group; the direct sessions after it belong to it.
  SELECT *,
         sum(CASE WHEN own_channel <> 'direct' THEN 1 ELSE 0 END) OVER (PARTITION BY user_id ORDER BY start_time ROWS UNBOUNDED PRECEDING) AS nd_group
  FROM sessions
),
earlier AS (
  -- The group's first session is the user's last non-direct one (none in group 0).
  SELECT *,
         first_value(own_channel) OVER (PARTITION BY user_id, nd_group ORDER BY start_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nd_channel,
         first_value(own_source) OVER (PARTITION BY user_id, nd_group ORDER BY start_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nd_source,
         first_value(own_medium) OVER (PARTITION BY user_id, nd_group ORDER BY start_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nd_medium,
         first_value(own_campaign) OVER (PARTITION BY user_id, nd_group ORDER BY start_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nd_campaign,
         first_value(start_time) OVER (PARTITION BY user_id, nd_group ORDER BY start_time ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nd_start_time
  FROM grouped
),
attributed AS (
  SELECT *,
         own_channel = 'direct' AND nd_group > 0 AND date_diff('millisecond', nd_start_time, start_time) <= ${lastNonDirectLookbackMs} AS inherits
  FROM earlier
)
SELECT user_id,
       start_time,
       last_activity_time,
       event_count,
       page_views,
       landing_page,
       exit_page,
       CASE WHEN inherits THEN nd_channel ELSE own_channel END AS channel,
       CASE WHEN inherits THEN nd_source ELSE own_source END AS source,
       CASE WHEN inherits THEN nd_medium ELSE own_medium END AS medium,
       CASE WHEN inherits THEN nd_campaign ELSE own_campaign END AS campaign,
       converted,
       revenue
FROM attributed
ORDER BY user_id, start_time
