-- Events per hour by type: how much of each kind of interaction happened in each hour (UTC), producer
-- duplicates removed by event_id.
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
)
SELECT date_trunc('hour', event_time) AS hour_utc,
       event_type,
       count(*) AS events
FROM events_once
GROUP BY 1, 2
ORDER BY 1, 2
