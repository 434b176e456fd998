-- Top pages: the 20 most viewed page paths, with the distinct users who viewed them, bots excluded.
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
)
SELECT page_path,
       count(*) AS page_views,
       count(DISTINCT user_id) AS users
FROM events_once
WHERE event_type = 'page_view' AND NOT is_bot
GROUP BY 1
ORDER BY 2 DESC, 1
LIMIT 20
