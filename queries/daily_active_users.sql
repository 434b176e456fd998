-- Daily active users: distinct users with at least one event per day (UTC), bots excluded.
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
)
SELECT CAST(event_time AS DATE) AS day_utc,
       count(DISTINCT user_id) AS active_users,
       count(*) AS events
FROM events_once
WHERE NOT is_bot
GROUP BY 1
ORDER BY 1
