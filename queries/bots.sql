-- Bots by category and name: their events, distinct user ids and days seen (is_bot; DROP_BOTS drops the
-- categories it names before the archive, so those do not appear).
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
)
SELECT coalesce(bot_category, 'other') AS bot_category,
       coalesce(bot_name, '(unnamed)') AS bot_name,
       count(*) AS events,
       count(DISTINCT user_id) AS users,
       count(DISTINCT dt) AS days
FROM events_once
WHERE is_bot
GROUP BY 1, 2
ORDER BY 3 DESC, 1, 2
