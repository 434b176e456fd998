-- Device and browser breakdown: events and distinct users by device type, operating system and browser
-- (bots included, as device type 'bot').
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
)
SELECT coalesce(ua_device_type, 'unknown') AS device_type,
       coalesce(ua_os, 'unknown') AS os,
       coalesce(ua_browser, 'unknown') AS browser,
       count(DISTINCT user_id) AS users,
       count(*) AS events
FROM events_once
GROUP BY 1, 2, 3
ORDER BY 4 DESC, 1, 2, 3
