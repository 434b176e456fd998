-- Visitors by country: distinct users, events and each country's share of the users, by the country of the
-- client address (geo_country, ISO 3166-1 alpha-2; '(unknown)' without an address or outside the data), bots
-- excluded. IP geolocation by DB-IP (db-ip.com, CC BY 4.0).
WITH events_once AS (
  SELECT *
  FROM (SELECT e.*, row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS copy_number FROM ${events} e WHERE e.dt BETWEEN CAST(? AS DATE) AND CAST(? AS DATE))
  WHERE copy_number = 1
),
by_country AS (
  SELECT coalesce(geo_country, '(unknown)') AS country,
         count(DISTINCT user_id) AS users,
         count(*) AS events
  FROM events_once
  WHERE NOT is_bot
  GROUP BY 1
)
SELECT country, users, events,
       round(100.0 * users / sum(users) OVER (), 1) AS users_percent
FROM by_country
ORDER BY 2 DESC, 1
