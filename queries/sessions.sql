-- Sessions rebuilt from the archive with the session-processor's rule: a user's events ordered by event
-- time, a new session after a gap longer than the session timeout (the setting sessionTimeoutMinutes,
-- bound where the query is bound); duplicates removed by event_id. One row per session, comparable with
-- the sessions table (bots included, as there).
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
)
SELECT user_id,
       min(event_time) AS start_time,
       max(event_time) AS last_activity_time,
       count(*) AS event_count,
       sum(CASE WHEN event_type = 'page_view' THEN 1 ELSE 0 END) AS page_views,
       max(landing_page) AS landing_page,
       max(exit_page) AS exit_page,
       max(CASE WHEN event_type = 'conversion' THEN 1 ELSE 0 END) = 1 AS converted,
       round(sum(CASE WHEN event_type = 'conversion' THEN coalesce(revenue, 0) ELSE 0 END), 6) AS revenue
FROM bounded
GROUP BY user_id, session_number
ORDER BY user_id, start_time
