-- Networks: distinct users and events by the autonomous system announcing the client address (geo_asn,
-- geo_as_org), the 25 largest, bots included with their share: a hosting network with many
-- bots or one user making most events is a scraper's. Network data: RouteViews, DB-IP and the NRO (CC BY 4.0).
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
)
SELECT geo_asn AS asn,
       coalesce(geo_as_org, '(unknown)') AS network,
       count(DISTINCT user_id) AS users,
       count(*) AS events,
       round(100.0 * sum(CASE WHEN is_bot THEN 1 ELSE 0 END) / count(*), 1) AS bot_events_percent
FROM events_once
WHERE geo_asn IS NOT NULL
GROUP BY 1, 2
ORDER BY 4 DESC, 1
LIMIT 25
